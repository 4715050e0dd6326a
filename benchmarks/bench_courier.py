"""Courier benchmark: import throughput, search latency and memory at 10,000 practices.

Run: python benchmarks/bench_courier.py [--n 10000] [--threads 1] [--queries 300]
     [--database-url URL] [--http]          (`make bench`; about 75 minutes on 2 cores)

Data: the first n passages of ../shared/data/courier/courier_passages_part*.jsonl in file
order (title = the article title, body = the passage, language en); theme and country are
assigned round-robin (3 themes, 20 countries), so a theme filter keeps a third of the corpus
and a country filter a twentieth (language=en keeps all of it: the Courier set is English).
Queries: distinct article titles and two-word keyword queries, alternating, from passages
after the first n; none is asked twice, so every search encodes its query.

Each step runs in its own process (benchmarks/courier_steps.py or the real `flask` command),
so peaks and timings do not mix; all use --threads torch threads:
  (a) bare   SentenceTransformerEncoder.encode_passages over exactly the texts the product
             encodes (its chunks: title + passage), batch 32.
  (b) import `flask --app wsgi practices import FILE --publish` (validation, rendering, DB
             writes, chunking, encoding, commit) in three commands: 25%, 25%, 50% of n. Wall
             time of the whole commands, and net of the fixed cost of one command (Python
             start, model load), measured by importing one record first. Ratio b/a.
  (c) search GET /api/v1/search?limit=10 through the Flask test client in a fresh web
             process holding n practices (with --http also through a werkzeug HTTP server):
             p50/p95 over --queries distinct queries per setting: no filter, language,
             theme, country.
  (d) the bare query-encode time: encode_queries([q]) over the same queries in the same
             process; ratio (c) p50 / (d) p50.
  (e) memory: RSS of a fresh web process after loading the index from the database and
             searching, at 0, 25%, 50% and 100% of n; growth per practice against the vector
             bytes and text it holds; peak RSS of every process.
Targets (issue): (b)/(a) >= 0.9; (c) p50 <= 1.5 x (d) and p95 <= 50 ms, with or without
filters; memory that grows with the corpus only by the vectors and rows it holds.
Prints tables; writes benchmarks/results/bench_courier-<threads>t.json.
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


def flask_env(url: str, index_dir: Path, threads: int) -> dict[str, str]:
    """Environment of a `flask` command or web process on `url` (config from FLASK_*)."""
    return {**os.environ, "FLASK_DATABASE_URL": url, "FLASK_SEARCH_INDEX_DIR": str(index_dir),
            "FLASK_EMBEDDING_THREADS": str(threads), "FLASK_SECRET_KEY": "bench",
            "FLASK_SEARCH_WARM_UP": "false", "HF_HUB_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false"}


def measure(args, url: str, work: Path, records: list[dict], query_file: Path) -> dict:
    """Run (a), then (b) in steps with a fresh web process measured before and after each."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    step = [sys.executable, str(Path(steps.__file__))]
    data = write_jsonl(work / "records.jsonl", records)
    wall, peak, out = run([*step, "bare", str(data), str(args.threads)], os.environ)
    results: dict = {"bare": json.loads(out), "import": {"steps": []}, "web": {}}
    env = flask_env(url, work / "cli_index", args.threads)
    run([*flask, "db", "upgrade"], env)
    one = write_jsonl(work / "one.jsonl", [dict(records[0], external_id="warm-up-record")])
    fixed, peak, _ = run([*flask, "practices", "import", str(one), "--publish"], env)
    results["import"] |= {"fixed_s": fixed, "fixed_peak_mb": peak}
    bounds = [0, len(records) // 4, len(records) // 2, len(records)]
    for low, high in [(0, 0), *zip(bounds, bounds[1:], strict=False)]:
        if high:
            path = write_jsonl(work / f"step{high}.jsonl", records[low:high])
            wall, peak, out = run([*flask, "practices", "import", str(path), "--publish"], env)
            results["import"]["steps"].append({"practices": high - low, "wall_s": wall,
                                               "peak_mb": peak, "output": out.strip()})
        mode = "latency" if high == len(records) else "memory"
        web_env = flask_env(url, work / f"web_index_{high}", args.threads)
        wall, peak, out = run([*step, "web", str(query_file), str(args.queries), mode,
                               "--http" if args.http else ""], web_env)
        results["web"][high] = json.loads(out)
    return results


def report(r: dict) -> None:
    """Print the tables of the results."""
    bare, imp, n = r["bare"], r["import"], r["n"]
    print(f"\nCourier benchmark: {n:,} passages, {r['threads']} torch thread(s), "
          f"{r['database']}; load average before {r['load_before']}, after {r['load_after']}")
    print(f"(a) bare model: {bare['practices']:,} practices ({bare['chunks']:,} chunks) encoded "
          f"in {bare['encode_s']:.0f} s = {bare['per_s']:.1f}/s (model load "
          f"{bare['load_s']:.1f} s, chunking {bare['chunk_s']:.1f} s); "
          f"peak {bare['peak_mb']:.0f} MB")
    print("(b) import through the CLI:")
    for s in imp["steps"]:
        print(f"    {s['practices']:>6,} practices  {s['wall_s']:6.0f} s  "
              f"{s['practices'] / s['wall_s']:5.1f}/s  peak {s['peak_mb']:5.0f} MB   {s['output']}")
    wall = sum(s["wall_s"] for s in imp["steps"])
    net = wall - len(imp["steps"]) * imp["fixed_s"]
    print(f"    fixed cost of one command (1 record): {imp['fixed_s']:.1f} s")
    print(f"    throughput {n / wall:.1f}/s whole commands, {n / net:.1f}/s net of the fixed "
          f"cost; ratio to (a): {n / wall / bare['per_s']:.2f} / {n / net / bare['per_s']:.2f}"
          f"   (target >= 0.90)")
    latency_report(r["web"][str(n)] if str(n) in r["web"] else r["web"][n])
    memory_report(r["web"])


def latency_report(web: dict) -> None:
    encode = web["query_encode_ms"]
    print(f"(c/d) search through the API at {web['practices']:,} practices; bare query encode "
          f"p50 {encode['p50']:.1f} ms, p95 {encode['p95']:.1f} ms (n={encode['n']})")
    print(f"    {'filter':10s} {'p50 ms':>8s} {'p95 ms':>8s} {'p50/(d)':>8s}   targets: "
          "p50/(d) <= 1.5, p95 <= 50 ms")
    rows = dict(web["latency_ms"])
    if "http_latency_ms" in web:
        rows["none, HTTP"] = web["http_latency_ms"]
    for name, stats in rows.items():
        ratio = stats["p50"] / encode["p50"]
        met = "met" if ratio <= 1.5 and stats["p95"] <= 50 else "NOT MET"
        print(f"    {name:10s} {stats['p50']:8.1f} {stats['p95']:8.1f} {ratio:8.2f}   {met}")


def memory_report(web: dict) -> None:
    print("(e) a fresh web process, index loaded from the database:")
    print(f"    {'practices':>9s} {'chunks':>7s} {'RSS MB':>7s} {'peak MB':>8s} "
          f"{'KB/practice more':>17s} {'vectors KB':>11s} {'text KB':>8s}  (per practice)")
    previous = None
    for entry in sorted(web.values(), key=lambda w: w["practices"]):
        grown = ""
        if previous is not None and entry["practices"] > previous["practices"]:
            added = entry["practices"] - previous["practices"]
            grown = f"{(entry['rss_mb'] - previous['rss_mb']) * 1024 / added:17.1f}"
            chunks = entry["chunks"] - previous["chunks"]
            text = entry["text_chars"] - previous["text_chars"]
            grown += f" {chunks * DIM * 4 / 1024 / added:11.2f} {text / 1024 / added:8.2f}"
        print(f"    {entry['practices']:9,} {entry['chunks']:7,} {entry['rss_mb']:7.0f} "
              f"{entry['peak_mb']:8.0f} {grown}")
        previous = entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="passages to import")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads of every step (EMBEDDING_THREADS); 0: one per core")
    parser.add_argument("--queries", type=int, default=300, help="queries per filter setting")
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    parser.add_argument("--http", action="store_true", help="also time a real HTTP server")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_courier_"))
    url = args.database_url or f"sqlite:///{work / 'courier.db'}"
    settings = len(steps.FILTERS) + args.http
    passages = steps.passages(args.n + settings * args.queries)
    records = [record(i, p) for i, p in enumerate(passages[: args.n])]
    query_file = write_jsonl(work / "queries.jsonl", [
        {"q": q} for q in make_queries(passages[args.n:], settings * args.queries)])
    results = {"n": args.n, "threads": args.threads, "database": url.split(":")[0],
               "load_before": [round(x, 2) for x in os.getloadavg()]}
    results |= measure(args, url, work, records, query_file)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"bench_courier-{args.threads}t.json"
    path.write_text(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    report(json.loads(path.read_text()))
    print(f"figures written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
