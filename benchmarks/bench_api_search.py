"""Time of seeding the 60 demo practices with the real model, and search latency through the API.

Run: python benchmarks/bench_api_search.py [threads]. Uses a fresh SQLite database and index
folder in a temporary directory and the model folder `make model` builds; `threads` is
EMBEDDING_THREADS (default: the app's default; 0: torch's, one per core). Prints: model load,
the neutralizer fit (as the CLI does it before the web app starts), `flask practices
seed-demo` (import, encoding, commit), the first search (index built from the stored
vectors), then the median and 90th percentile of GET /api/v1/search for queries never seen
(encoded), queries seen before (query vector cached), a filtered query, a listing without
query, /similar, and the first search of a second app instance started from the snapshot.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from app import create_app
from app.config import DefaultConfig
from app.migrate import upgrade
from app.search import get_maintenance, get_search

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "acoso escolar", "huerto escolar compost", "bullying", "changement climatique", "التنمر",
    "垃圾分类", "energía solar", "peer mediation at break time", "school garden", "fake news",
    "refugee children language", "water saving", "музыка", "uchafuzi wa plastiki",
    "tree planting",
]


def timed(call) -> float:
    """Return the milliseconds `call()` took."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def report(label: str, millis: list[float]) -> None:
    ordered = sorted(millis)
    p90 = ordered[int(len(ordered) * 0.9)]
    print(f"{label:<34} median {statistics.median(ordered):7.1f} ms   p90 {p90:7.1f} ms"
          f"   n={len(ordered)}")


def get_ok(client, address: str) -> None:
    response = client.get(address)
    assert response.status_code == 200, response.get_data(as_text=True)


def main(threads: int) -> None:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder}/bench.db"
    upgrade(url)
    config = {"SECRET_KEY": "bench", "DATABASE_URL": url, "SEARCH_INDEX_DIR": str(folder / "idx"),
              "EMBEDDING_MODEL_PATH": str(ROOT / "instance/models/multilingual-e5-small"),
              "EMBEDDING_THREADS": threads, "SEARCH_WARM_UP": False}
    app = create_app(config)
    with app.app_context():
        print(f"model load: {timed(lambda: get_search().encoder.get()) / 1000:.1f} s")
        fit = timed(get_maintenance().prepare_neutralizer) / 1000
        print(f"language neutralizer fit (once per model, cached): {fit:.1f} s")
    runner = app.test_cli_runner()
    seconds = timed(lambda: runner.invoke(args=["practices", "seed-demo"])) / 1000
    print(f"seed-demo (60 practices, import + encode + commit): {seconds:.1f} s")
    client = app.test_client()
    first = timed(lambda: get_ok(client, "/api/v1/search?q=x"))
    print(f"first search (index from stored vectors): {first:.0f} ms")
    with app.app_context():
        info = get_maintenance().info()
    print(f"index: {info['documents']} practices, {info['chunks']} chunks, neutralizer "
          f"{info['neutralizer']}")
    search = "/api/v1/search?q="
    report("new query (encoded)", [timed(lambda q=q: get_ok(client, search + q)) for q in QUERIES])
    report("repeated query (cached vector)",
           [timed(lambda q=q: get_ok(client, search + q)) for _ in range(4) for q in QUERIES])
    report("repeated query + theme=esd", [timed(lambda q=q: get_ok(
        client, f"{search}{q}&theme=esd")) for _ in range(4) for q in QUERIES])
    report("listing, no query, theme=esd",
           [timed(lambda: get_ok(client, "/api/v1/search?theme=esd")) for _ in range(60)])
    report("similar, other languages", [timed(lambda: get_ok(
        client, "/api/v1/practices/5/similar?other_languages=1")) for _ in range(60)])
    restarted = create_app(config)
    with restarted.app_context():
        loading = timed(lambda: get_search().encoder.get())
        first = timed(lambda: get_ok(restarted.test_client(), search + "x"))
        print(f"restart: model load {loading / 1000:.1f} s, first search {first:.0f} ms, "
              f"from snapshot: {get_maintenance().info()['started_from_snapshot']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DefaultConfig.EMBEDDING_THREADS)
