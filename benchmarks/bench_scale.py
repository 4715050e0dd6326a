"""Scale benchmark of the search index alone: 10,000, 100,000 and 1,000,000 documents.

Run: python benchmarks/bench_scale.py [--sizes 10000,100000,1000000] [--queries 200]
     (part of `make bench`; about 15 minutes on 2 cores, most of it the 1M build)

Index-only (query encoding excluded; the encoder is a stub returning prepared vectors), with
synthetic documents shaped like the product's: 1-3 chunks (mean 2) of 384-d unit vectors, each
= normalize(topic + 0.3 x language offset + noise) over 2,000 topics and 20 languages of
Zipf-like sizes (cosine to the own topic ~0.7, between texts of one topic ~0.5, of different
topics ~0: the spread of neutralised e5 vectors), 20 words of text, and facets like
practices' (theme: a third; country: a twentieth). Per size, in two fresh processes:
  build   upsert all documents (hubness table included), save a snapshot: seconds, peak RSS;
  serve   load the snapshot (seconds), the first search (ms), p50/p95 of SearchIndex.search
          (limit 10) without filter, with theme and with country, each over --queries
          distinct queries; RSS after; one document added, then one deleted, each followed by
          a search (ms); above the approximate limit, recall@10 of the dense ranking against
          the exact one (the same index scanned whole), without and with a filter.
Prints the table; writes benchmarks/results/bench_scale.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.courier_steps import peak_mb, percentile, rss_mb  # noqa: E402

DIM, TOPICS, LANGUAGES = 384, 2000, 20
THEMES = ("gced", "esd", "intercultural")
FILTERS = {"none": None, "theme": {"theme": ["esd"]}, "country": {"country": ["C7"]}}
RESULTS = REPO / "benchmarks" / "results"
BATCH = 100_000


class StubEncoder:
    """Returns the vector set in `next` for every query: the index's own work is timed."""

    model_id, dim, max_tokens = "synthetic", DIM, 512

    def __init__(self) -> None:
        self.next = np.zeros(DIM, np.float32)

    def encode_queries(self, texts):
        return np.tile(self.next, (len(texts), 1))

    encode_passages = encode_queries


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _space(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gen = np.random.default_rng(seed)
    sizes = 1.0 / np.arange(1, LANGUAGES + 1) ** 0.8
    return (_unit(gen.standard_normal((TOPICS, DIM))), _unit(gen.standard_normal((LANGUAGES,
                                                                                  DIM))),
            sizes / sizes.sum())


def documents(n: int, start: int = 1, seed: int = 1):
    """Yield synthetic Documents with ids start..start+n-1 (see the module doc)."""
    from search_index import Document

    topics, offsets, shares = _space()
    gen = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(5000)]
    parts = gen.integers(1, 4, n)
    langs = gen.choice(LANGUAGES, n, p=shares)
    base = topics[gen.integers(0, TOPICS, n)] + 0.3 * offsets[langs]
    rows = np.repeat(base, parts, axis=0)  # one array for all: no small array per document
    rows = _unit(rows + 0.9 * gen.standard_normal(rows.shape, np.float32) / np.sqrt(DIM))
    ends = np.cumsum(parts)
    chunk = start * 4
    for i, doc_id in enumerate(range(start, start + n)):
        text = " ".join(words[int(w)] for w in gen.zipf(1.3, 20) % len(words))
        facets = {"theme": [THEMES[doc_id % 3]], "country": [f"C{doc_id % 20}"],
                  "language": [f"l{langs[i]}"]}
        yield Document(doc_id, rows[ends[i] - parts[i]:ends[i]],
                       list(range(chunk, chunk + int(parts[i]))), text, facets, float(doc_id))
        chunk += int(parts[i])


def queries(count: int, seed: int = 2) -> np.ndarray:
    topics, offsets, _ = _space()
    gen = np.random.default_rng(seed)
    base = topics[gen.integers(0, TOPICS, count)] + 0.3 * offsets[gen.integers(0, LANGUAGES,
                                                                               count)]
    return _unit(base + 0.9 * gen.standard_normal((count, DIM)) / np.sqrt(DIM))


def build(n: int, directory: str) -> dict:
    from search_index import SearchIndex

    index = SearchIndex(StubEncoder(), facet_fields=("theme", "country", "language"))
    built = 0.0
    # Batches of 100,000 (a process building from the database upserts all at once; at 1M
    # that held 20 GB at its peak, more than a shared machine should give a benchmark).
    for start in range(1, n + 1, BATCH):
        docs = list(documents(min(BATCH, n + 1 - start), start=start, seed=start))
        started = time.perf_counter()
        index.upsert(docs)
        built += time.perf_counter() - started
        del docs
    index.search("warm", limit=10)  # builds the ranking's view (and the IVF index if large)
    view_s = time.perf_counter() - started - built
    started = time.perf_counter()
    index.save(directory)
    return {"build_s": built, "first_view_s": view_s, "save_s": time.perf_counter() - started,
            "chunks": index.chunk_count, "build_peak_mb": peak_mb()}


def serve(n: int, directory: str, count: int) -> dict:
    from search_index import SearchIndex

    encoder = StubEncoder()
    started = time.perf_counter()
    index, _ = SearchIndex.load(directory, encoder, facet_fields=("theme", "country",
                                                                  "language"))
    out: dict = {"load_s": time.perf_counter() - started}
    asked = queries(count * (len(FILTERS) + 1))
    started = time.perf_counter()
    _search(index, encoder, asked[-1], None)
    out["first_search_ms"] = (time.perf_counter() - started) * 1000
    out["latency_ms"] = {}
    for k, (name, filters) in enumerate(FILTERS.items()):
        times = [_search(index, encoder, q, filters) for q in asked[k * count:(k + 1) * count]]
        out["latency_ms"][name] = {"p50": float(np.median(times)),
                                   "p95": percentile(times, 0.95)}
    out["rss_mb"] = rss_mb()
    out |= _changes(index, encoder, n, asked[0])
    if index._balance._candidates is not None:
        out["recall10"] = _recall(index, asked[: min(count, 50)])
    out["peak_mb"] = peak_mb()
    return out


def _search(index, encoder, vector: np.ndarray, filters) -> float:
    encoder.next = vector
    index._query_cache.clear()
    started = time.perf_counter()
    index.search("w1 w7 w42", filters=filters, limit=10)
    return (time.perf_counter() - started) * 1000


def _changes(index, encoder, n: int, vector: np.ndarray) -> dict:
    new = next(documents(1, start=n + 10, seed=9))
    started = time.perf_counter()
    index.upsert([new])
    added = (time.perf_counter() - started) * 1000
    searched = _search(index, encoder, vector, None)
    started = time.perf_counter()
    index.delete([new.id])
    deleted = (time.perf_counter() - started) * 1000
    return {"add_ms": added, "search_after_add_ms": searched, "delete_ms": deleted,
            "search_after_delete_ms": _search(index, encoder, vector, None)}


def _recall(index, asked: np.ndarray) -> dict:
    """Dense top 10, approximate against exact (the whole index scanned), per filter."""
    balance, vectors = index._balance, index._vectors
    found: dict = {}
    for name, filters in FILTERS.items():
        allowed = None if filters is None else index._facets.match(filters, None)
        found[name] = [[d for d, _ in balance.search(vectors, q, 10, allowed)] for q in asked]
    limit, balance.approximate_above, balance._view = balance.approximate_above, None, None
    recall = {}
    for name, filters in FILTERS.items():
        allowed = None if filters is None else index._facets.match(filters, None)
        exact = [[d for d, _ in balance.search(vectors, q, 10, allowed)] for q in asked]
        recall[name] = float(np.mean([len(set(a) & set(e)) / 10
                                      for a, e in zip(found[name], exact, strict=True)]))
    balance.approximate_above, balance._view = limit, None
    return recall


def run_step(step: str, *args: str) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, __file__, "--step", step, *args], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{step} {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def report(results: dict) -> None:
    print("\nScale benchmark (index only, synthetic vectors; times in ms unless stated)")
    print("| documents | chunks | build s | snapshot load s | first search | p50 / p95 none "
          "| theme | country | RSS MB | add + search | delete + search | recall@10 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n, r in results.items():
        b, s = r["build"], r["serve"]
        lat = " | ".join(f"{s['latency_ms'][f]['p50']:.1f} / {s['latency_ms'][f]['p95']:.1f}"
                         for f in FILTERS)
        recall = ", ".join(f"{v:.3f}" for v in s["recall10"].values()) \
            if "recall10" in s else "exact"
        print(f"| {int(n):,} | {b['chunks']:,} | {b['build_s']:.0f} | {s['load_s']:.1f} | "
              f"{s['first_search_ms']:.0f} | {lat} | {s['rss_mb']:,.0f} | "
              f"{s['add_ms'] + s['search_after_add_ms']:.0f} | "
              f"{s['delete_ms'] + s['search_after_delete_ms']:.0f} | {recall} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        result = build(args.n, args.dir) if args.step == "build" else \
            serve(args.n, args.dir, args.queries)
        print(json.dumps(result))
        return
    results = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench_scale_") as directory:
            built = run_step("build", "--n", str(n), "--dir", directory)
            served = run_step("serve", "--n", str(n), "--dir", directory,
                              "--queries", str(args.queries))
            results[n] = {"build": built, "serve": served}
            print(json.dumps({n: results[n]}), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_scale.json").write_text(json.dumps(results, indent=1))
    report(results)


if __name__ == "__main__":
    main()
