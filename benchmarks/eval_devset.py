"""Discovery on a collection that looks real: the development set beside the bare model.

Run: python benchmarks/eval_devset.py [--courier N] [--work DIR] [--no-bare] [--markdown]
     (`make eval` runs it plainly, after eval_crosslingual.py)

Data (benchmarks/devset/, README there): 151 hand-written practices in 16 languages, most
without a translation, with hand-labelled topics; 40 short teacher queries in 13 languages;
17 queries about the last paragraph of three long practices; 6 near-empty submissions; and,
as unrelated texts, the first N (default 400) passages of the shared Courier set (English),
read through tests/shared_data.py. Everything is imported through the CLI (`flask practices
import --publish`) into SQLite and queried through the API (GET /api/v1/search and
/api/v1/practices/<id>/similar), as a school or a program would.

Measures (a result is "on topic" when it shares a hand-labelled topic; Courier passages and
near-empty practices have none; languages compare by primary subtag):
  similar P@5        mean over the set's practices of the on-topic share of their 5 similar.
  similar xlang@5    share of practices whose 5 similar hold an on-topic practice in another
                     language (every practice of the set has one in the collection).
  queries on-topic@10   mean on-topic share of each short query's top 10.
  queries xlang R@10    mean share of the on-topic practices in another language than the
                     query's found in its top 10 (of at most 10 of them).
  late rank          rank of a long practice for a query about its last paragraph (queries in
                     the practice's own language and in others reported apart).
  floor              results passing the relevance floor (the search's `total`) for nonsense
                     queries, and share of real queries whose top 10 on-topic results all pass.
  near-empty         near-empty submissions refused by the import (each alone).
The bare model: the same encoder, plain cosine between whole texts (title + body, cut at the
model's 512 tokens as sentence-transformers does), `passage: ` for texts, `query: ` for
queries; similar practices by passage-passage cosine.

--work DIR keeps the database, index and bare vectors there and reuses them (the import and
the encoding take minutes; the evaluation seconds). Figures go to
benchmarks/results/eval_devset.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import crosslingual as xl  # noqa: E402
from benchmarks import devset_data as dev  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
NONSENSE = ("zzqxw blorf", "asdfgh", "🙂🙂🙂", "qwertyuiop asdf")
ISSUE_BARE = {"similar_p5": "0.65", "similar_xlang5": "0.76", "query_on_topic10": "0.37",
              "query_xlang10": "0.26"}
ISSUE_TODAY = {"similar_p5": "0.70", "similar_xlang5": "0.79", "query_on_topic10": "0.63",
               "query_xlang10": "0.58"}
TARGETS = {"similar_p5": 0.80, "similar_xlang5": 0.90, "query_on_topic10": 0.75,
           "query_xlang10": 0.70}
# search(query, limit) -> (external ids best first, total); similar(external id, limit) -> ids
Search = Callable[[str, int], tuple[list[str], int]]
Similar = Callable[[str, int], list[str]]


def primary(tag: str) -> str:
    """The primary language subtag ("pt-BR" -> "pt")."""
    return tag.split("-")[0].casefold()


class Collection:
    """The evaluated collection: the set's practices and the distractors, by external id."""

    def __init__(self, practices: Sequence[dev.DevPractice],
                 distractors: Sequence[dev.DevPractice], labels: dev.Labels) -> None:
        self.practices = list(practices)
        self.all = [*practices, *distractors]
        self.by_id = {p.external_id: p for p in self.all}
        self.labels = labels

    def on_topic(self, external_id: str, topics: frozenset[str]) -> bool:
        """True when the practice shares a topic with `topics`."""
        found = self.by_id.get(external_id)
        return found is not None and bool(found.topics & topics)


def evaluate(coll: Collection, search: Search, similar: Similar) -> dict[str, object]:
    """Every measure of the module doc through `search` and `similar`."""
    p5, x5 = [], []
    for p in coll.practices:
        found = similar(p.external_id, 5)
        on = [f for f in found if coll.on_topic(f, p.topics)]
        p5.append(len(on) / 5)
        x5.append(any(primary(coll.by_id[f].language) != primary(p.language) for f in on))
    on10, xr10 = [], []
    for q in coll.labels.queries:
        found, _ = search(q.text, 10)
        on10.append(sum(coll.on_topic(f, q.topics) for f in found) / 10)
        others = {p.external_id for p in coll.practices if p.topics & q.topics
                  and primary(p.language) != primary(q.language)}
        xr10.append(len(others & set(found)) / min(10, len(others)))
    own, other, late = [], [], []
    for q in coll.labels.late:
        found, _ = search(q.text, 50)
        target = dev.PREFIX + q.practice
        rank = found.index(target) + 1 if target in found else 51
        same = primary(q.language) == primary(coll.by_id[target].language)
        (own if same else other).append(rank)
        late.append({"practice": q.practice, "query": q.text, "language": q.language,
                     "rank": rank})
    nonsense = {q: search(q, 10)[1] for q in NONSENSE}
    return {
        "similar_p5": float(np.mean(p5)), "similar_xlang5": float(np.mean(x5)),
        "query_on_topic10": float(np.mean(on10)), "query_xlang10": float(np.mean(xr10)),
        "late_other_median": float(statistics.median(other)),
        "late_other_top10": float(np.mean([r <= 10 for r in other])),
        "late_own_median": float(statistics.median(own)) if own else None,
        "late": late, "nonsense_totals": nonsense,
    }


class Bare:
    """The bare model over whole texts: plain cosine, numpy, no index."""

    def __init__(self, encoder, coll: Collection, cache: Path | None) -> None:
        self.ids = [p.external_id for p in coll.all]
        path = None if cache is None else cache / "bare_passages.npy"
        if path is not None and path.exists():
            self.matrix = np.load(path)
        else:
            self.matrix = np.asarray(encoder.encode_passages([p.text for p in coll.all]),
                                     np.float32)
            if path is not None:
                np.save(path, self.matrix)
        self.encoder = encoder

    def search(self, query: str, limit: int) -> tuple[list[str], int]:
        """Best `limit` texts for `query`; every text counts as found."""
        vector = np.asarray(self.encoder.encode_queries([query]), np.float32)[0]
        order = np.argsort(-(self.matrix @ vector), kind="stable")[:limit]
        return [self.ids[i] for i in order], len(self.ids)

    def similar(self, external_id: str, limit: int) -> list[str]:
        """Best `limit` texts for a text (passage-passage cosine), itself excluded."""
        i = self.ids.index(external_id)
        scores = self.matrix @ self.matrix[i]
        scores[i] = -np.inf
        return [self.ids[j] for j in np.argsort(-scores, kind="stable")[:limit]]


def import_records(app, records: Sequence[dict], name: str) -> str:
    """Import `records` through `flask practices import --publish`; return its output.

    Raises RuntimeError (with the command's output) when the import refuses them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                        encoding="utf-8")
        return xl.cli(app, "practices", "import", str(path), "--publish")


def product_functions(app) -> tuple[Search, Similar]:
    """Search and Similar through the API of `app` (Flask test client)."""
    client = app.test_client()
    ids: dict[str, int] = {}

    def search(query: str, limit: int) -> tuple[list[str], int]:
        response = client.get("/api/v1/search", query_string={"q": query, "limit": limit})
        if response.status_code != 200:
            raise RuntimeError(f"search failed ({response.status_code}): {response.text}")
        body = response.get_json()
        for hit in body["results"]:
            ids[hit["external_id"]] = hit["id"]
        return [hit["external_id"] for hit in body["results"]], body["total"]

    def similar(external_id: str, limit: int) -> list[str]:
        if external_id not in ids:
            from sqlalchemy import select

            from app.db import get_session
            from practices.models import Practice
            with app.test_request_context():
                for pid, ext in get_session().execute(select(Practice.id, Practice.external_id)):
                    ids[ext] = pid
        response = client.get(f"/api/v1/practices/{ids[external_id]}/similar",
                              query_string={"limit": limit})
        if response.status_code != 200:
            raise RuntimeError(f"similar failed ({response.status_code}): {response.text}")
        return [hit["external_id"] for hit in response.get_json()["results"]]

    return search, similar


def run_product(coll: Collection, near_empty: list[dict], work: Path, cache: Path):
    """Import (unless `work` already holds the database), evaluate; return (figures,
    encoder, near-empty refused count)."""
    from app.migrate import upgrade
    from app.search import get_maintenance

    db = work / "devset.db"
    url = f"sqlite:///{db}"
    fresh = not db.exists()
    index_dir = work / "index"
    if (cache / "neutralizer").is_dir() and not (index_dir / "neutralizer").is_dir():
        shutil.copytree(cache / "neutralizer", index_dir / "neutralizer", dirs_exist_ok=True)
    if fresh:
        upgrade(url)
    app = xl.make_app(url, index_dir)
    try:
        if fresh:
            print(import_records(app, [p.record() for p in coll.all], "devset").strip(),
                  file=sys.stderr)
            print(xl.cli(app, "search-index", "verify").strip(), file=sys.stderr)
            shutil.copytree(index_dir / "neutralizer", cache / "neutralizer",
                            dirs_exist_ok=True)
        refused = 0
        for record in near_empty:
            try:
                import_records(app, [record], "near_empty")
            except RuntimeError:
                refused += 1
        with app.app_context():
            encoder = get_maintenance().encoder.get()
        figures = evaluate(coll, *product_functions(app))
        return figures, encoder, refused
    finally:
        app.extensions["db_engine"].dispose()


ROWS = (
    ("similar practices, topic P@5", "similar_p5"),
    ("similar practices, on-topic other language among the 5", "similar_xlang5"),
    ("short queries, on-topic share of the top 10", "query_on_topic10"),
    ("short queries, on-topic other-language practices found in the top 10", "query_xlang10"),
    ("late paragraph, other-language queries: median rank of the long practice",
     "late_other_median"),
    ("late paragraph, other-language queries: share in the top 10", "late_other_top10"),
    ("late paragraph, own-language queries: median rank", "late_own_median"),
)


def print_table(product: dict, bare: dict | None, refused: int, total_empty: int,
                markdown: bool) -> None:
    """The summary: issue figures, bare model, product, target."""
    head = ("measure", "target", "issue: bare / before", "bare (measured)", "product")
    rows = []
    for text, key in ROWS:
        issue = (f"{ISSUE_BARE[key]} / {ISSUE_TODAY[key]}" if key in ISSUE_BARE else "-")
        target = f">= {TARGETS[key]:.2f}" if key in TARGETS else "-"
        rank = "median" in key
        rows.append((text, target, issue, _cell(bare[key], rank) if bare else "-",
                     _cell(product[key], rank)))
    nonsense = ", ".join(f"{q!r} {n}" for q, n in product["nonsense_totals"].items())
    rows.append(("nonsense queries: results counted", "0", "-", "all", nonsense))
    rows.append(("near-empty submissions refused by the import", f"{total_empty}", "-", "-",
                 str(refused)))
    if markdown:
        print("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        print("\n".join("| " + " | ".join(r) + " |" for r in rows))
        return
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    print("\ndevelopment set")
    for row in (head, *rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _cell(value, rank: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if rank or not isinstance(value, float) else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courier", type=int, default=400,
                        help="unrelated Courier passages added (default 400)")
    parser.add_argument("--work", type=Path, help="keep and reuse the database here")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare model")
    parser.add_argument("--markdown", action="store_true", help="the summary in Markdown")
    parser.add_argument("--cache", type=Path, default=RESULTS / "cache",
                        help="where the fitted neutralizer is kept between runs")
    args = parser.parse_args()
    labels = dev.read_labels()
    coll = Collection(dev.read_practices(labels=labels), dev.courier_distractors(args.courier),
                      labels)
    near_empty = dev.read_near_empty()
    work = args.work or Path(tempfile.mkdtemp(prefix="eval_devset_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        product, encoder, refused = run_product(coll, near_empty, work, args.cache)
        bare = None
        if not args.no_bare:
            model = Bare(encoder, coll, work if args.work else None)
            bare = evaluate(coll, model.search, model.similar)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\nlate paragraph: rank of the long practice per query (product / bare)")
    for i, item in enumerate(product["late"]):
        b = bare["late"][i]["rank"] if bare else "-"
        print(f"  {item['practice']:10s} {item['language']:8s} {item['rank']:>3} / {b:>3}  "
              f"{item['query']}")
    print_table(product, bare, refused, len(near_empty), args.markdown)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "eval_devset.json"
    path.write_text(json.dumps({"product": product, "bare": bare, "near_empty_refused": refused,
                                "courier": args.courier}, indent=1, ensure_ascii=False))
    print(f"figures written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
