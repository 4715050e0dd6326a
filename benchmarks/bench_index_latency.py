"""Latency of SearchIndex.search/similar at 10k documents, query encoding excluded.

Run: PYTHONPATH=. python benchmarks/bench_index_latency.py [n_docs] [--plain] (--plain: dense
ranking by plain cosine, without the language balance, to see what it adds). Documents have
~2 chunks of 384-d random unit vectors (the e5-small dimension), ~200 Zipf-distributed words
and facets like practices'. Query vectors come from a stub encoder and are cached before
timing, so the numbers are the index's own work (filtering, FAISS, BM25, fusion, facet counts).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from search_index import Document, SearchIndex
from search_index.calibration import Calibration

DIM = 384
rng = np.random.default_rng(7)


class StubEncoder:
    """Random unit vectors, so the benchmark measures the index, not a model."""

    model_id, dim, max_tokens = "stub", DIM, 512

    def encode_queries(self, texts):
        return _unit(len(texts))

    encode_passages = encode_queries


def _unit(n: int) -> np.ndarray:
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


# The facet fields of the documents below, shaped like practices' (practices.filters).
FIELDS = ("theme", "pillar", "level", "sdg_target", "country", "language")


def _documents(n: int, vocabulary: list[str]) -> list[Document]:
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    languages = ["en", "fr", "es", "ar", "zh-Hans", "ru", "pt-BR", "sw", "de", "th"]
    docs, chunk_id = [], 0
    for i in range(n):
        n_chunks = int(rng.integers(1, 4))
        words = rng.choice(vocabulary, size=200, p=weights)
        facets = {
            "theme": list(rng.choice(["gced", "esd", "intercultural"], rng.integers(1, 3), False)),
            "pillar": [str(p) for p in rng.choice(4, rng.integers(1, 3), False) + 1],
            "level": [str(rng.choice(["primary", "secondary", "tvet"]))],
            "sdg_target": [f"{g}.{t}" for g, t in rng.integers(1, 10, (rng.integers(1, 5), 2))],
            "country": [f"C{rng.integers(0, 120)}"],
            "language": [str(rng.choice(languages))],
        }
        ids = list(range(chunk_id, chunk_id + n_chunks))
        chunk_id += n_chunks
        docs.append(Document(i + 1, _unit(n_chunks), ids, " ".join(words), facets, float(i)))
    return docs


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _time(label: str, calls: list) -> None:
    """Print wall-clock and CPU percentiles: on a shared machine the wall p95 mostly measures
    waiting for a core, the CPU time what the index itself costs."""
    wall, cpu = [], []
    for call in calls:
        start, start_cpu = time.perf_counter(), time.thread_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    (w50, w95), (c50, c95) = np.percentile(wall, [50, 95]), np.percentile(cpu, [50, 95])
    print(f"{label:<40} wall p50 {w50:5.2f} p95 {w95:5.2f} | cpu p50 {c50:5.2f} p95 {c95:5.2f} ms")


def main(n: int = 10_000, balance: Calibration | None = Calibration()) -> None:  # noqa: B008
    vocabulary = [f"w{i}" for i in range(20_000)]
    docs = _documents(n, vocabulary)
    rss0 = _rss_mb()
    index = SearchIndex(StubEncoder(), facet_fields=FIELDS, balance=balance)
    start = time.perf_counter()
    index.upsert(docs)
    print(f"upsert {n} docs ({index.chunk_count} chunks, ~200 words each): "
          f"{time.perf_counter() - start:.2f} s; RSS +{_rss_mb() - rss0:.0f} MB")
    with tempfile.TemporaryDirectory() as directory:
        start = time.perf_counter()
        index.save(directory)
        saved = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(directory).iterdir()) / 2**20
        start = time.perf_counter()
        SearchIndex.load(directory, StubEncoder(), facet_fields=FIELDS, balance=balance)
        print(f"snapshot: save {saved:.2f} s, load {time.perf_counter() - start:.2f} s, "
              f"{size:.0f} MB on disk")
    short = [" ".join(rng.choice(vocabulary[:2000], rng.integers(1, 3))) for _ in range(100)]
    long = [" ".join(rng.choice(vocabulary[:5000], 12)) for _ in range(100)]
    for query in short + long:
        index.search(query)  # caches the query vector
    one = {"language": ["fr"]}
    many = {"theme": ["esd"], "level": ["primary", "secondary"]}
    _time("search, 1-2 words, no filter", [lambda q=q: index.search(q) for q in short])
    _time("search, 12 words, no filter", [lambda q=q: index.search(q) for q in long])
    _time("search, 1-2 words, language=fr (~10%)",
          [lambda q=q: index.search(q, filters=one) for q in short])
    _time("search, 1-2 words, theme+level (~33%)",
          [lambda q=q: index.search(q, filters=many) for q in short])
    _time("search, 12 words, language=fr, page 3",
          [lambda q=q: index.search(q, filters=one, offset=20) for q in long])
    _time("listing (empty query), no filter", [lambda: index.search("")] * 100)
    _time("listing (empty query), language=fr", [lambda: index.search("", filters=one)] * 100)
    ids = rng.integers(1, n + 1, 100)
    _time("similar, no filter", [lambda d=d: index.similar(int(d)) for d in ids])
    _time("similar, language=fr", [lambda d=d: index.similar(int(d), filters=one) for d in ids])
    _time("upsert one document, same text", [lambda d=d: index.upsert([docs[d - 1]])
                                              for d in ids[:30]])
    _time("upsert one document, new text", [lambda d=d: index.upsert([_edited(docs[d - 1])])
                                             for d in ids[:30]])
    _time("first search after an upsert", [
        lambda d=d, q=q: (index.upsert([_edited(docs[d - 1])]), index.search(q))
        for d, q in zip(ids[30:60], long, strict=False)])


def _edited(doc: Document) -> Document:
    """The document with new vectors, as after an edit of its text."""
    return Document(doc.id, _unit(len(doc.chunk_ids)), doc.chunk_ids, doc.text, doc.facets,
                    doc.sort_key)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 10_000, None if "--plain" in sys.argv else Calibration())
