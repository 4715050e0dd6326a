"""Courier benchmark (`make bench`): issue 11's targets, today's path beside the new one.

Run: python benchmarks/bench_courier.py [--n 10000] [--ratio-n 1000] [--threads 1]
     [--queries 300] [--database-url URL] [--no-scale]   (`make bench`: about 40 minutes)

"Today" is the plain sentence-transformers library in fp32 (EMBEDDING_*_PATH =
sentence-transformers, each web worker loading its own model and index); "new" is the default
configuration (cpu_features.choose for this CPU; gunicorn.conf.py's preloaded workers). Both
are measured in this one run, one torch/ONNX Runtime thread throughout, each step in its own
process so that peaks and timings do not mix.

Data: the first n passages of ../shared/data/courier/courier_passages_part*.jsonl in file
order (title = the article title, body = the passage, language en); theme and country are
assigned round-robin (3 themes, 20 countries). Queries: distinct article titles and two-word
keyword queries, alternating, from passages after the first n; none is asked twice.
  (a) bare   SentenceTransformerEncoder.encode_passages (fp32) over exactly the chunks the
             product encodes for the first --ratio-n passages (fewer than n, to keep the run
             short: the ratio is a rate, and 1,000 passages take minutes per path), batch 32.
  (b) import `flask practices import FILE --publish` of those passages into an empty database,
             today's path and the new one; wall time of the command and net of the fixed cost
             of one command (start, model load: a one-record import first). Ratio b/a.
             Then the rest of the n passages (new path) into the new database.
  (c) search GET /api/v1/search?limit=10 (Flask test client) in a fresh web process over the n
             practices, today's path and the new one: p50/p95 over --queries distinct queries
             per setting (no filter, language, theme, country);
  (d) the bare query encode, SentenceTransformerEncoder.encode_queries([q]) in the same
             processes over the same queries: ratio (c) p50 / (d) p50.
  (e) workers: benchmarks/bench_workers.py, today and new: private memory of each worker of 3,
             first search answered after gunicorn starts with 1 worker.
  (f) scale: benchmarks/bench_scale.py (index only) at 10k, 100k and 1M documents, unless
             --no-scale.
Prints the issue's target table and the details; writes benchmarks/results/bench_courier.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import courier_steps as steps  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
THEMES = ("gced", "esd", "intercultural")
COUNTRIES = ("FR", "DE", "ES", "IT", "KE", "TZ", "NG", "EG", "MA", "JO",
             "IN", "CN", "JP", "TH", "BR", "AR", "MX", "CA", "GB", "NO")
DIM = 384  # multilingual-e5-small; a vector is DIM float32


def record(i: int, passage: dict) -> dict:
    """The import record of the i-th passage."""
    return {"external_id": passage["id"], "title": passage["title"], "body": passage["body"],
            "language": "en", "themes": [THEMES[i % len(THEMES)]],
            "country": COUNTRIES[i % len(COUNTRIES)]}


def make_queries(passages: list[dict], count: int, seed: int = 7) -> list[str]:
    """`count` distinct queries: an article title, then two words of a passage, in turn."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    for passage in passages:
        words = re.findall(r"[A-Za-z]{5,}", passage["body"])
        keyword = " ".join(rng.sample(words, 2)).lower() if len(words) >= 2 else ""
        for query in (" ".join(passage["title"].split()), keyword):
            if query and len(found) < count:
                found.setdefault(query, None)
    if len(found) < count:
        raise SystemExit(f"only {len(found)} distinct queries in the query passages")
    return list(found)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return path


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, its peak RSS in MB, stdout). Exit on failure."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, cwd=REPO, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)  # wait4: this child's own peak RSS
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(f"{' '.join(args)} failed:\n{out.read()}\n{err.read()[-3000:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


PATHS = {"today": "sentence-transformers", "new": "auto"}


def flask_env(url: str, index_dir: Path, threads: int, path: str = "auto") -> dict[str, str]:
    """Environment of a `flask` command or web process on `url` (config from FLASK_*)."""
    return {**os.environ, "FLASK_DATABASE_URL": url, "FLASK_SEARCH_INDEX_DIR": str(index_dir),
            "FLASK_EMBEDDING_THREADS": str(threads), "FLASK_SECRET_KEY": "bench",
            "FLASK_SEARCH_WARM_UP": "false", "HF_HUB_OFFLINE": "1",
            "FLASK_EMBEDDING_QUERY_PATH": path, "FLASK_EMBEDDING_PASSAGE_PATH": path,
            "TOKENIZERS_PARALLELISM": "false"}


def import_timed(url: str, work: Path, name: str, rows: list[dict], env: dict) -> dict:
    """(b) one import command of `rows` into `url`, after a one-record import (fixed cost)."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    run([*flask, "db", "upgrade"], env)
    one = write_jsonl(work / f"{name}-one.jsonl", [dict(rows[0], external_id=f"one-{name}")])
    fixed, _, _ = run([*flask, "practices", "import", str(one), "--publish"], env)
    data = write_jsonl(work / f"{name}.jsonl", rows)
    wall, peak, out = run([*flask, "practices", "import", str(data), "--publish"], env)
    return {"practices": len(rows), "wall_s": wall, "fixed_s": fixed, "peak_mb": peak,
            "output": out.strip()}


def measure(args, url: str, work: Path, records: list[dict], query_file: Path) -> dict:
    """Run (a) to (e); see the module doc."""
    step = [sys.executable, str(Path(steps.__file__))]
    sample = records[: args.ratio_n]
    data = write_jsonl(work / "sample.jsonl", sample)
    _, _, out = run([*step, "bare", str(data), str(args.threads)], os.environ)
    results: dict = {"bare": json.loads(out), "import": {}, "web": {}, "workers": {}}
    scratch = f"sqlite:///{work / 'today.db'}"
    for name, target in (("today", scratch), ("new", url)):
        env = flask_env(target, work / f"cli_index_{name}", args.threads, PATHS[name])
        results["import"][name] = import_timed(target, work, name, sample, env)
    env = flask_env(url, work / "cli_index_new", args.threads)
    if len(records) > len(sample):
        results["import"]["rest"] = import_timed(url, work, "rest", records[len(sample):], env)
    for name, path in PATHS.items():
        web_env = flask_env(url, work / f"web_index_{name}", args.threads, path)
        _, _, out = run([*step, "web", str(query_file), str(args.queries), "latency"], web_env)
        results["web"][name] = json.loads(out)
    for name in PATHS:
        env = flask_env(url, work / "web_index_new", args.threads)
        _, _, out = run([sys.executable, str(REPO / "benchmarks" / "bench_workers.py"), name],
                        env)
        results["workers"][name] = json.loads(out)
    return results


def import_ratio(r: dict, name: str) -> tuple[float, float]:
    """(b)/(a): whole command, and net of the fixed cost of one command."""
    imp, per_s = r["import"][name], r["bare"]["per_s"]
    whole = imp["practices"] / imp["wall_s"] / per_s
    return whole, imp["practices"] / max(imp["wall_s"] - imp["fixed_s"], 1e-9) / per_s


def report(r: dict, scale: dict | None) -> None:
    """Print the issue's target table (today beside new), then the details."""
    web, workers = r["web"], r["workers"]
    print(f"\nCourier benchmark: {r['n']:,} practices ({r['ratio_n']:,} for the import ratio), "
          f"{r['threads']} thread(s), {r['database']}; load average before "
          f"{r['load_before']}, after {r['load_after']}; passage path chosen here: "
          f"{r['paths']['passage']}, query path: {r['paths']['query']}")
    ratios = {name: import_ratio(r, name) for name in PATHS}
    rows = [("import throughput / bare sentence-transformers fp32 encode of the same chunks",
             *(f"{w:.2f} ({n:.2f} net)" for w, n in ratios.values()), ">= 2.0 (bf16 CPU)")]
    for label, key in (("search p50 / bare query encode p50", "ratio"),
                       ("search p95, ms", "p95")):
        cells = []
        for name in PATHS:
            encode = web[name]["bare_encode_ms"]["p50"]
            values = [s["p50"] / encode if key == "ratio" else s["p95"]
                      for s in web[name]["latency_ms"].values()]
            cells.append(f"{min(values):.2f}-{max(values):.2f}" if key == "ratio"
                         else f"{min(values):.1f}-{max(values):.1f}")
        rows.append((f"{label}, at {web['new']['practices']:,}, none/language/theme/country",
                     *cells, "<= 1.0" if key == "ratio" else "<= 20 ms"))
    rows.append(("private memory of each additional web worker (smaps), MB",
                 *(f"{max(workers[n]['worker_private_mb']):.0f}" for n in PATHS), "<= 150"))
    rows.append(("first search answered after a worker starts (1 worker), s",
                 *(f"{workers[n]['first_search_s']:.1f}" for n in PATHS), "<= 3"))
    if scale:
        rows.extend(scale_rows(scale))
    print("\n| measure | today | new | target |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    details(r)


def scale_rows(scale: dict) -> list[tuple[str, ...]]:
    """The rows of the target table that bench_scale.py measures."""
    out = []
    if "100000" in scale:
        s = scale["100000"]["serve"]
        out.append(("snapshot load + first search at 100k practices (index), s",
                    "not measured", f"{s['load_s'] + s['first_search_ms'] / 1000:.1f}",
                    "<= 10"))
    cells = []
    for n in ("100000", "1000000"):
        if n in scale:
            s = scale[n]["serve"]
            p95 = max(v["p95"] for v in s["latency_ms"].values())
            recall = min(s.get("recall10", {"exact": 1.0}).values())
            cells.append(f"{p95:.0f} ms, recall {recall:.3f}")
    out.append(("index-only search p95 at 100k / 1M documents (worst filter)", "not measured",
                " / ".join(cells), "<= 30 / <= 150 ms, recall@10 >= 0.95"))
    return out


def details(r: dict) -> None:
    bare = r["bare"]
    print(f"\n(a) bare sentence-transformers fp32: {bare['practices']:,} practices "
          f"({bare['chunks']:,} chunks) in {bare['encode_s']:.0f} s = {bare['per_s']:.2f}/s")
    for name, imp in r["import"].items():
        print(f"(b) import {name:5s}: {imp['practices']:6,} practices {imp['wall_s']:6.0f} s "
              f"(fixed {imp['fixed_s']:.1f} s), {imp['practices'] / imp['wall_s']:.2f}/s, "
              f"peak {imp['peak_mb']:.0f} MB")
    for name, web in r["web"].items():
        enc = web["bare_encode_ms"]
        print(f"(c/d) {name}: bare query encode p50 {enc['p50']:.1f} ms; search p50/p95 ms: "
              + ", ".join(f"{f} {s['p50']:.1f}/{s['p95']:.1f}"
                          for f, s in web["latency_ms"].items())
              + f"; web process RSS {web['rss_mb']:.0f} MB")
    for name, w in r["workers"].items():
        print(f"(e) {name}: first search {w['first_search_s']:.1f} s; private MB per worker "
              f"{[round(m) for m in w['worker_private_mb']]}, master "
              f"{w['master_private_mb']:.0f}; torch loaded in workers: {w['torch_in_workers']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="passages to import")
    parser.add_argument("--ratio-n", type=int, default=1_000,
                        help="passages of the import ratio (a, b)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads of every step (EMBEDDING_THREADS)")
    parser.add_argument("--queries", type=int, default=300, help="queries per filter setting")
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    parser.add_argument("--no-scale", action="store_true",
                        help="skip bench_scale.py (its last results are shown)")
    args = parser.parse_args()
    from search_index.cpu_features import choose

    work = Path(tempfile.mkdtemp(prefix="bench_courier_"))
    url = args.database_url or f"sqlite:///{work / 'courier.db'}"
    passages = steps.passages(args.n + len(steps.FILTERS) * args.queries)
    records = [record(i, p) for i, p in enumerate(passages[: args.n])]
    query_file = write_jsonl(work / "queries.jsonl", [
        {"q": q} for q in make_queries(passages[args.n:], len(steps.FILTERS) * args.queries)])
    results = {"n": args.n, "ratio_n": min(args.ratio_n, args.n), "threads": args.threads,
               "database": url.split(":")[0],
               "paths": {kind: choose("auto", kind) for kind in ("query", "passage")},
               "load_before": [round(x, 2) for x in os.getloadavg()]}
    results |= measure(args, url, work, records, query_file)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "bench_courier.json"
    path.write_text(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    if not args.no_scale:
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_scale.py")], check=True)
    scale_file = RESULTS / "bench_scale.json"  # with --no-scale: the last run's, if any
    scale = json.loads(scale_file.read_text()) if scale_file.exists() else None
    report(json.loads(path.read_text()), scale)
    print(f"figures written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
