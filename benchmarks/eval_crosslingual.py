"""Cross-language retrieval of the product against the issue's targets and the bare model.

Run: python benchmarks/eval_crosslingual.py [--database-url URL] [--no-neutralizer]
     [--markdown] [--no-bare] [--threads N] [--cache DIR]   (`make eval` runs it plainly)

Imports xling_dev (210 practices) and the SDG targets (1,014) through the CLI, one data set
after the other in the same database, and searches through the API; measures and data are
defined in benchmarks/crosslingual.py. The bare model (plain cosine over the same texts) is
measured with the same encoder, so its column is measured here, not quoted; the issue's bare
figures are shown beside it. Prints per-language and per-pair tables, then the summary
(--markdown: the summary as the README's Markdown table), and writes every figure to
benchmarks/results/eval_crosslingual-<engine>-<neutralizer>.json.

--database-url must name an empty database (never migrated): it is migrated, emptied between
the two data sets and left empty (`alembic downgrade base`). Default: SQLite in a temporary
folder. The language neutralizer is fitted once per model (minutes) and kept in --cache.
About 6 minutes on 2 cores with the neutralizer cached.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import crosslingual as xl  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
# (label, measure key, target as (operator, value) or None, the issue's bare-model figure)
SUMMARY = (
    ("xling, X -> its English version, R@1 (language=en), min over 6 languages",
     "xling_en1_min", (">=", 0.95), "1.00"),
    ("xling, same, no filter (all 210), min over 6 languages", "xling_all1_min", None, ""),
    ("xling, 22 keyword queries, R@1 / R@5", "kw", None, ""),
    ("SDG, language=Y, X -> Y R@1, min over 30 pairs", "y1_min", (">=", 0.90), "0.80"),
    ("SDG, language=Y, X -> Y R@1, mean", "y1_mean", None, ""),
    ("SDG, language=Y, X -> Y R@10, min over 30 pairs", "y10_min", (">=", 0.97), "0.97"),
    ("SDG, no filter (1,014 texts), X -> Y in top 10, min", "all10_min", (">=", 0.80), "0.006"),
    ("SDG, no filter (1,014 texts), X -> Y in top 10, mean", "all10_mean", (">=", 0.95), "0.50"),
)


def summary(xling: xl.XlingReport, sdg: xl.SdgReport) -> dict[str, object]:
    """The summary figures of one system (keys of SUMMARY), with the worst pair or language."""
    out: dict[str, object] = {}
    for name, values in (("xling_en1", xling.en1), ("xling_all1", xling.all1),
                         ("y1", sdg.y1), ("y10", sdg.y10), ("all10", sdg.all10)):
        low, mean, worst = xl.spread(values)
        out |= {f"{name}_min": low, f"{name}_mean": mean, f"{name}_worst": _key(worst)}
    out["kw"] = f"{xling.kw1:.2f} / {xling.kw5:.2f}"
    return out


def _key(key) -> str:
    return ">".join(key) if isinstance(key, tuple) else str(key)


def prepare_database(url: str) -> None:
    """Refuse a database that is not empty, then migrate it."""
    from sqlalchemy import create_engine, inspect

    from app.migrate import upgrade

    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    if tables:
        sys.exit(f"{url} is not empty ({len(tables)} tables): name a scratch database")
    upgrade(url)


def run_dataset(name: str, texts, evaluate, url: str, work: Path, args, encoder):
    """Import `texts` into a freshly migrated database through the CLI, evaluate through the
    API; return (report, encoder, timings). The database is emptied afterwards."""
    from app.migrate import downgrade
    from app.search import get_maintenance

    prepare_database(url)
    index_dir = work / name
    cache = args.cache / "neutralizer"
    if cache.is_dir():
        shutil.copytree(cache, index_dir / "neutralizer", dirs_exist_ok=True)
    threads = {} if args.threads is None else {"EMBEDDING_THREADS": args.threads}
    app = xl.make_app(url, index_dir, encoder=encoder or "sentence-transformers",
                      neutralizer=not args.no_neutralizer, **threads)
    try:
        started = time.perf_counter()
        print(xl.import_texts(app, texts).strip(), file=sys.stderr)
        imported = time.perf_counter() - started
        if (index_dir / "neutralizer").is_dir():
            shutil.copytree(index_dir / "neutralizer", cache, dirs_exist_ok=True)
        with app.app_context():
            search = get_maintenance()
            encoder, info = search.encoder.get(), search.info()
        if (info["neutralizer"] is None) != args.no_neutralizer:
            sys.exit(f"the index was built with neutralizer {info['neutralizer']!r}")
        started = time.perf_counter()
        report = evaluate(xl.api_search(app))
        return report, encoder, {"import_s": imported,
                                 "evaluate_s": time.perf_counter() - started}
    finally:
        app.extensions["db_engine"].dispose()
        downgrade(url, "base")


def evaluate_bare(encoder, texts, queries, sdg_texts):
    """The same measures on the bare model (plain cosine over the raw texts)."""
    bare = xl.BareModel(encoder, texts)
    bare.prepare([t.body for t in texts] + [q.query for q in queries])
    xling = xl.evaluate_xling(bare, texts, queries)
    bare = xl.BareModel(encoder, sdg_texts)
    bare.prepare(t.body for t in sdg_texts)
    return xling, xl.evaluate_sdg(bare, sdg_texts)


def print_languages(product: xl.XlingReport, bare: xl.XlingReport | None) -> None:
    print("\nxling_dev: query language -> its English version, R@1")
    print(f"{'language':10s}{'en@1':>9s}{'bare':>7s}{'all@1':>9s}{'bare':>7s}")
    for lang in product.en1:
        b1 = f"{bare.en1[lang]:7.2f}" if bare else f"{'-':>7s}"
        ba = f"{bare.all1[lang]:7.2f}" if bare else f"{'-':>7s}"
        print(f"{lang:10s}{product.en1[lang]:9.2f}{b1}{product.all1[lang]:9.2f}{ba}")


def print_matrix(title: str, values: dict[tuple[str, str], float]) -> None:
    languages = sorted({x for x, _ in values})
    print(f"\n{title} (rows: query language X, columns: document language Y)")
    print("X \\ Y".ljust(9) + "".join(f"{y:>9s}" for y in languages))
    for x in languages:
        print(f"{x:9s}" + "".join(f"{values[x, y]:9.3f}" if x != y else f"{'-':>9s}"
                                  for y in languages))


def _cell(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_summary(product: dict, bare: dict | None, markdown: bool, label: str) -> None:
    head = ("measure", "target", "bare (issue)", "bare (measured)", f"product ({label})", "met")
    rows = []
    for text, key, target, issue in SUMMARY:
        met = "" if target is None else ("yes" if product[key] >= target[1] else "NO")
        rows.append((text, f"{target[0]} {target[1]:.2f}" if target else "-", issue or "-",
                     _cell(bare[key]) if bare else "-", _cell(product[key]), met))
    if markdown:
        print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        print("\n".join("| " + " | ".join(row) + " |" for row in rows))
        return
    print("\nsummary")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for row in (head, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    parser.add_argument("--no-neutralizer", action="store_true",
                        help="SEARCH_NEUTRALIZER off (the product's default is on)")
    parser.add_argument("--markdown", action="store_true", help="the summary in Markdown")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare-model baseline")
    parser.add_argument("--threads", type=int, default=None,
                        help="EMBEDDING_THREADS (default: the app's, 1; 0: one per core)")
    parser.add_argument("--cache", type=Path, default=RESULTS / "cache",
                        help="where the fitted neutralizer is kept between runs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eval_crosslingual_"))
    url = args.database_url or f"sqlite:///{work / 'eval.db'}"
    texts, queries, sdg_texts = xl.xling_texts(), xl.keyword_queries(), xl.sdg_texts()
    try:
        xling, encoder, t_xling = run_dataset(
            "xling", texts, lambda s: xl.evaluate_xling(s, texts, queries), url, work, args, None)
        sdg, encoder, t_sdg = run_dataset(
            "sdg", sdg_texts, lambda s: xl.evaluate_sdg(s, sdg_texts), url, work, args, encoder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare = None if args.no_bare else evaluate_bare(encoder, texts, queries, sdg_texts)
    print_languages(xling, bare[0] if bare else None)
    print(f"keyword queries R@1 / R@5: product {xling.kw1:.2f} / {xling.kw5:.2f}" + (
        f", bare {bare[0].kw1:.2f} / {bare[0].kw5:.2f}" if bare else ""))
    for key, title in (("y1", "SDG R@1 with language=Y"), ("y10", "SDG R@10 with language=Y"),
                       ("all10", "SDG Y version in the top 10, no filter")):
        print_matrix(f"product: {title}", getattr(sdg, key))
        if bare:
            print_matrix(f"bare model: {title}", getattr(bare[1], key))
    engine = url.split(":")[0].split("+")[0]
    label = f"{engine}, neutralizer {'off' if args.no_neutralizer else 'on'}"
    figures = summary(xling, sdg)
    bare_figures = summary(*bare) if bare else None
    print_summary(figures, bare_figures, args.markdown, label)
    print(f"\ntimes: xling import {t_xling['import_s']:.0f} s, evaluation "
          f"{t_xling['evaluate_s']:.0f} s; SDG import {t_sdg['import_s']:.0f} s, evaluation "
          f"{t_sdg['evaluate_s']:.0f} s (6,084 API searches)")
    save(label, figures, bare_figures, xling, sdg, bare, {"xling": t_xling, "sdg": t_sdg})


def save(label, figures, bare_figures, xling, sdg, bare, times) -> None:
    """Write every figure as JSON under benchmarks/results/ (pairs as "X>Y")."""
    def report(x: xl.XlingReport, s: xl.SdgReport) -> dict:
        return {"xling": vars(x), **{k: {_key(p): v for p, v in getattr(s, k).items()}
                                     for k in ("y1", "y10", "all10")}}

    RESULTS.mkdir(parents=True, exist_ok=True)
    name = label.replace(", neutralizer ", "-neutralizer-")
    path = RESULTS / f"eval_crosslingual-{name}.json"
    path.write_text(json.dumps({
        "label": label, "summary": figures, "bare_summary": bare_figures,
        "product": report(xling, sdg), "bare": report(*bare) if bare else None,
        "times_s": times}, indent=1))
    print(f"figures written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
