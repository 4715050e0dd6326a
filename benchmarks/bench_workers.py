"""Web workers under gunicorn (gunicorn.conf.py): private memory per worker, first search.

Run: python benchmarks/bench_workers.py today|new   with FLASK_* naming a database that holds
practices (bench_courier.py runs it on its 10,000). Starts gunicorn on a unix socket (no port)
  today  each worker loads its own encoder (sentence-transformers fp32) and index
         (WEB_PRELOAD=0), the way the app ran before gunicorn.conf.py;
  new    the defaults of gunicorn.conf.py (preload: the master loads the ONNX Runtime encoder
         and the index, workers are forked from it; no torch anywhere);
first with 1 worker: seconds from the start of gunicorn to the first search answered; then
with 3 workers, after 60 searches spread over them: each worker's private memory
(/proc/PID/smaps_rollup, Private_Clean + Private_Dirty: the pages no other process shares) and
the master's. Prints JSON.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
CONFIGS = {
    "today": {"WEB_PRELOAD": "0", "FLASK_EMBEDDING_QUERY_PATH": "sentence-transformers",
              "FLASK_EMBEDDING_PASSAGE_PATH": "sentence-transformers",
              "FLASK_SEARCH_WARM_UP": "true"},
    "new": {"WEB_PRELOAD": "1"},
}


class UnixConnection(http.client.HTTPConnection):
    """HTTP over a unix socket (gunicorn bound to unix:PATH)."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=120)
        self._path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self._path)


def search(sock: str, query: str) -> int:
    connection = UnixConnection(sock)
    connection.request("GET", "/api/v1/search?" + urlencode({"q": query, "limit": 10}))
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def private_mb(pid: int) -> float:
    """Private_Clean + Private_Dirty of a process, in MB."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total / 1024


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def start(config: str, workers: int, sock: str) -> tuple[subprocess.Popen, float]:
    """Start gunicorn; return it and the seconds until a search was answered."""
    env = {**os.environ, **CONFIGS[config], "WEB_BIND": f"unix:{sock}",
           "WEB_WORKERS": str(workers), "WEB_TIMEOUT": "300"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    while time.perf_counter() - started < 600:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ({config}) exited with {process.returncode}")
        try:
            if search(sock, "warm up") == 200:
                return process, time.perf_counter() - started
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    raise SystemExit(f"gunicorn ({config}) answered no search in 600 s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(60)


def measure(config: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench_workers_") as tmp:
        sock = str(Path(tmp) / "web.sock")
        process, first = start(config, 1, sock)
        stop(process)
        Path(sock).unlink(missing_ok=True)
        process, _ = start(config, 3, sock)
        try:
            # Three clients at once, so that every worker serves (and, today, loads) search.
            with ThreadPoolExecutor(3) as pool:
                list(pool.map(lambda i: search(sock, f"climate education {i}"), range(60)))
            workers = children(process.pid)
            out = {"first_search_s": first, "master_private_mb": private_mb(process.pid),
                   "worker_private_mb": [private_mb(pid) for pid in workers],
                   "torch_in_workers": [_has_torch(pid) for pid in workers]}
        finally:
            stop(process)
    return out


def _has_torch(pid: int) -> bool:
    """Whether torch's shared library is mapped into the process."""
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))
