"""The steps of benchmarks/bench_courier.py that run in their own process (so their peak
memory and timings stay apart), and the data they share.

  python benchmarks/courier_steps.py bare RECORDS THREADS
      (a) the bare model encoding the product's chunks of RECORDS; prints JSON.
  python benchmarks/courier_steps.py web QUERIES PER_FILTER memory|latency [--http]
      a fresh web process of the app configured by FLASK_* variables: loads the index from
      the database, then reports its RSS and, with `latency`, (c), the product's own query
      encode and (d) the bare sentence-transformers one; prints JSON.
"""
from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.shared_data import shared_file  # noqa: E402

MODEL = REPO / "instance" / "models" / "multilingual-e5-small"
NEUTRALIZER_CACHE = REPO / "benchmarks" / "results" / "cache" / "neutralizer"
FILTERS = {"none": {}, "language": {"language": "en"}, "theme": {"theme": "esd"},
           "country": {"country": "KE"}}


def passages(count: int) -> list[dict]:
    """The first `count` Courier passages, parts in name order, lines in file order."""
    found: list[dict] = []
    for part in ("courier_passages_part1.jsonl", "courier_passages_part2.jsonl",
                 "courier_passages_part3.jsonl"):
        with shared_file("courier", part).open(encoding="utf-8") as lines:
            for line in lines:
                if len(found) == count:
                    return found
                found.append(json.loads(line))
    return found


def rss_mb() -> float:
    """Resident set size of this process now, in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _read_jsonl(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line]


def bare(records_path: str, threads: str) -> dict:
    """(a): encode exactly the chunks the product encodes for the records, batch 32."""
    from practices import search_text
    from search_index import chunk
    from search_index.st_encoder import SentenceTransformerEncoder

    started = time.perf_counter()
    encoder = SentenceTransformerEncoder(MODEL, threads=int(threads))
    load = time.perf_counter() - started
    records = _read_jsonl(records_path)
    started = time.perf_counter()
    texts = [search_text(SimpleNamespace(title=r["title"], summary="", body=r["body"]))
             for r in records]
    chunks = [piece for t in texts for piece in chunk(encoder, t.header, t.body)]
    chunking = time.perf_counter() - started
    started = time.perf_counter()
    encoder.encode_passages(chunks, batch_size=32)
    encode = time.perf_counter() - started
    return {"load_s": load, "chunk_s": chunking, "encode_s": encode, "practices": len(records),
            "chunks": len(chunks), "per_s": len(records) / encode, "peak_mb": peak_mb()}


def web(queries_path: str, per_filter: str, mode: str, http: str = "") -> dict:
    """A fresh web process: index loaded from the database; RSS; latencies if asked."""
    from app import create_app
    from app.search import get_maintenance

    app = create_app()
    index_dir = Path(app.config["SEARCH_INDEX_DIR"])
    if NEUTRALIZER_CACHE.is_dir():
        shutil.copytree(NEUTRALIZER_CACHE, index_dir / "neutralizer", dirs_exist_ok=True)
    with app.app_context():
        search = get_maintenance()
        search.prepare_neutralizer()  # cached by eval_crosslingual.py, else minutes
        if (index_dir / "neutralizer").is_dir():
            shutil.copytree(index_dir / "neutralizer", NEUTRALIZER_CACHE, dirs_exist_ok=True)
        started = time.perf_counter()
        client = app.test_client()
        _get(client, {"q": "warm up the index"})
        out: dict = {"index_load_s": time.perf_counter() - started, **_holdings(app)}
        for i in range(20):
            _get(client, {"q": f"education {i}"})
        out["rss_mb"] = rss_mb()
        if mode == "latency":
            asked = [r["q"] for r in _read_jsonl(queries_path)]
            out |= _latencies(app, client, asked, int(per_filter), bool(http))
            out["query_encode_ms"] = _encode_times(search.encoder.get(), asked)
            out["rss_after_latency_mb"] = rss_mb()
            out["bare_encode_ms"] = _encode_times(_bare_encoder(), asked)
    out["peak_mb"] = peak_mb()
    return out


def _bare_encoder():
    """(d): the plain sentence-transformers encoder, fp32, one thread (today's path)."""
    from search_index.st_encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(MODEL, threads=1)


def _get(client, args: dict) -> None:
    response = client.get("/api/v1/search", query_string={**args, "limit": 10})
    if response.status_code != 200:
        raise RuntimeError(f"search failed: {response.status_code} {response.text[:300]}")


def _holdings(app) -> dict:
    """What the index holds: practices, chunk vectors and the UTF-8 bytes of their text."""
    from sqlalchemy import func, select

    from app.db import get_session
    from practices.models import Practice, PracticeVector

    session = get_session()
    text = func.length(Practice.title) + func.length(Practice.summary) \
        + func.length(Practice.body)
    return {"practices": session.scalar(select(func.count(Practice.id))),
            "chunks": session.scalar(select(func.count(PracticeVector.id))),
            "text_chars": session.scalar(select(func.coalesce(func.sum(text), 0)))}


def _latencies(app, client, asked: list[str], per_filter: int, http: bool) -> dict:
    """(c): milliseconds per search, each filter setting on its own distinct queries."""
    out: dict = {"latency_ms": {}}
    for k, (name, filters) in enumerate(FILTERS.items()):
        times = []
        for query in asked[k * per_filter:(k + 1) * per_filter]:
            started = time.perf_counter()
            _get(client, {"q": query, **filters})
            times.append((time.perf_counter() - started) * 1000)
        out["latency_ms"][name] = _stats(times)
    if http:
        out["http_latency_ms"] = _http_latencies(app, asked[len(FILTERS) * per_filter:])
    return out


def _http_latencies(app, asked: list[str]) -> dict:
    """(c) through a real HTTP server (werkzeug, one thread) on a kept-alive connection."""
    import http.client
    from urllib.parse import urlencode

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port)
    times = []
    for query in asked:
        started = time.perf_counter()
        connection.request("GET", "/api/v1/search?" + urlencode({"q": query, "limit": 10}))
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"HTTP search failed: {response.status}")
    server.shutdown()
    return _stats(times)


def _encode_times(encoder, asked: list[str]) -> dict:
    """(d): milliseconds of encode_queries([q]) for each query, in this process."""
    times = []
    for query in asked:
        started = time.perf_counter()
        encoder.encode_queries([query])
        times.append((time.perf_counter() - started) * 1000)
    return _stats(times)


def _stats(times: list[float]) -> dict:
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "n": len(times)}


if __name__ == "__main__":
    step, *arguments = sys.argv[1:]
    print(json.dumps({"bare": bare, "web": web}[step](*arguments)))
