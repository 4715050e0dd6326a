"""Start, recover and stop the production server (bin/serve: gunicorn -c gunicorn.conf.py) with
the real model, on loopback, and print the figures of README, Production:

- seconds from starting gunicorn to the first /readyz 200 (preloaded master, and WEB_PRELOAD=0
  where each worker loads its own in post_worker_init);
- after kill -9 of a worker: requests answered with something other than 200 while gunicorn
  replaces it, and seconds until it has all its workers again;
- the exit code and seconds to exit on SIGTERM: while the model is loading, and when serving.

Usage (the database is migrated and search prepared by bin/serve itself):

    FLASK_DATABASE_URL=sqlite:////tmp/bench.db FLASK_SEARCH_INDEX_DIR=/tmp/idx \\
        .venv/bin/python benchmarks/bench_serve.py [--port 51250]

Results also go to benchmarks/results/bench_serve.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.web.production import get, wait_until_listening  # noqa: E402


def _start(port: int, log: Path, **env: str) -> tuple[subprocess.Popen, float]:
    environ = {**os.environ, "WEB_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "2",
               "PYTHON": sys.executable, **env}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for step in (["db", "upgrade"], ["search-index", "prepare"]):
        subprocess.run([*flask, *step], env=environ, cwd=REPO, check=True,
                       capture_output=True)
    with log.open("w") as out:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                                   env=environ, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    return process, started


def _ready_after(process, started: float, port: int, log: Path) -> float:
    wait_until_listening(process, log, 300)
    while True:
        try:
            if get(port, "/readyz")[0] == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.05)


def _stop(process) -> tuple[int, float]:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = process.wait(120)
    return code, time.monotonic() - started


def _workers(process) -> list[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(p) for p in path.read_text().split()]


def _kill_a_worker(process, port: int) -> dict:
    statuses: list[int] = []
    done = threading.Event()

    def client():
        while not done.is_set():
            try:
                statuses.append(get(port, "/api/v1/search?q=school+garden")[0])
            except (OSError, http.client.HTTPException):  # cut off: counts as failed
                statuses.append(0)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    victim = _workers(process)[0]
    killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    while True:
        alive = [w for w in _workers(process) if w != victim]
        if len(alive) == 2:
            break
        time.sleep(0.05)
    replaced = time.monotonic() - killed
    time.sleep(2)
    done.set()
    for thread in threads:
        thread.join()
    return {"requests": len(statuses), "not_200": sum(1 for s in statuses if s != 200),
            "seconds_until_replaced": round(replaced, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=51250)
    parser.add_argument("--preload", choices=["1", "0"], action="append",
                        help="WEB_PRELOAD setting(s) to measure (default: both)")
    args = parser.parse_args()
    results: dict[str, object] = {}
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "bench_serve.log"
    for preload in args.preload or ("1", "0"):
        process, started = _start(args.port, log, WEB_PRELOAD=preload)
        ready = _ready_after(process, started, args.port, log)
        entry: dict[str, object] = {"seconds_to_ready": round(ready, 2)}
        if preload == "1":
            entry["kill_9_worker"] = _kill_a_worker(process, args.port)
        code, seconds = _stop(process)
        entry["sigterm_serving"] = {"exit_code": code, "seconds": round(seconds, 2)}
        process, started = _start(args.port, log, WEB_PRELOAD=preload)
        wait_until_listening(process, log, 300)  # the model is loading now
        code, seconds = _stop(process)
        entry["sigterm_loading"] = {"exit_code": code, "seconds": round(seconds, 2)}
        results[f"preload={preload}"] = entry
    print(json.dumps(results, indent=2))
    out = REPO / "benchmarks" / "results" / "bench_serve.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
