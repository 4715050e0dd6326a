"""gunicorn.conf.py: workers forked from a master that loaded search answer searches, and the
master forks with no other thread running (the condition for fork-safe workers)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from benchmarks.bench_workers import UnixConnection

REPO = Path(__file__).resolve().parents[2]


def _get(sock: Path, url: str) -> tuple[int, dict]:
    connection = UnixConnection(str(sock))
    connection.request("GET", url)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def _start(tmp_path, encoder: str):
    env = {**os.environ, "FLASK_DATABASE_URL": f"sqlite:///{tmp_path}/t.db",
           "FLASK_SECRET_KEY": "test", "FLASK_ENCODER": encoder,
           "FLASK_EMBEDDING_PASSAGE_PATH": "onnx",
           "FLASK_SEARCH_INDEX_DIR": str(tmp_path / "idx"), "FLASK_SEARCH_NEUTRALIZER": "false",
           "WEB_BIND": f"unix:{tmp_path}/web.sock", "WEB_WORKERS": "2", "WEB_PRELOAD": "1"}
    if encoder != "hashing":
        env["FLASK_SEARCH_NEUTRALIZER"] = "false"  # fitting it takes minutes
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["practices", "seed-demo"]):
        subprocess.run([*flask, *command], env=env, cwd=REPO, check=True, capture_output=True)
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                               env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    sock = tmp_path / "web.sock"
    deadline = time.monotonic() + 60
    while not sock.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        assert sock.exists(), (tmp_path / "gunicorn.log").read_text()
        yield process, sock
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)  # workers that hang at exit would hold it for 30 s
        log.close()


@pytest.fixture
def server(tmp_path):
    yield from _start(tmp_path, "hashing")


@pytest.fixture
def real_server(tmp_path):
    yield from _start(tmp_path, "sentence-transformers")


def _workers(process) -> list[int]:
    return [int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children")
            .read_text().split()]


def test_forked_workers_answer_searches_from_the_index_the_master_loaded(server):
    process, sock = server
    for _ in range(6):  # the requests spread over both workers
        status, body = _get(sock, "/api/v1/search?q=climate&limit=3")
        assert status == 200 and body["total"] > 0 and len(body["results"]) == 3
    master_threads = len(os.listdir(f"/proc/{process.pid}/task"))
    assert master_threads == 1
    assert len(_workers(process)) == 2


@pytest.mark.model
def test_with_the_real_model_forked_workers_encode_queries_without_torch(real_server):
    process, sock = real_server
    for query in ("huerto escolar", "школьный сад", "学校菜园", "school garden"):
        status, body = _get(sock, "/api/v1/search?" + urlencode({"q": query, "limit": 3}))
        assert status == 200 and len(body["results"]) == 3, query
    for pid in (process.pid, *_workers(process)):
        assert "libtorch" not in Path(f"/proc/{pid}/maps").read_text(), pid
