"""Every process exits cleanly (real subprocesses): a process that used the app and exits
while search warms up or fits the language neutralizer in the background keeps its own exit
code instead of aborting ("terminate called without an active exception", SIGABRT); SIGTERM
during warm-up, the fit or requests exits 0 and writes nothing half-done."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from tests.web.production import (
    REPO,
    free_port,
    get,
    server_env,
    start,
    stop,
    wait_until_listening,
    wait_until_ready,
)

# A process that uses the app the way the dev server does: the first request starts the
# background warm-up (and, with no neutralizer prepared, its fit); then it waits for the
# named thread to be running, says so, and exits with code 3 (or waits for a signal).
USE_THE_APP = textwrap.dedent("""
    import sys, threading, time
    from app import create_app
    from app.migrate import upgrade
    url, index_dir, wait_for, then = sys.argv[1:5]
    upgrade(url)
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": url, "SEARCH_INDEX_DIR": index_dir})
    app.test_client().get("/healthz")
    deadline = time.monotonic() + 120
    while wait_for not in [t.name for t in threading.enumerate()]:
        assert time.monotonic() < deadline, "never started " + wait_for
        time.sleep(0.01)
    print("running", wait_for, flush=True)
    if then == "exit":
        sys.exit(3)
    time.sleep(600)
""")


def _use_the_app(tmp_path, wait_for: str, then: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env = {k: v for k, v in env.items() if not k.startswith("FLASK_")}
    return subprocess.Popen(
        [sys.executable, "-c", USE_THE_APP, f"sqlite:///{tmp_path}/t.db",
         str(tmp_path / "idx"), wait_for, then],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _neutralizer_files(tmp_path) -> list[str]:
    folder = tmp_path / "idx" / "neutralizer"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and not p.name.endswith(".lock")) if folder.exists() else []


@pytest.mark.model
@pytest.mark.parametrize("thread", ["search-warm-up", "search-neutralizer"])
def test_exiting_while_search_loads_in_the_background_keeps_the_exit_code(tmp_path, thread):
    process = _use_the_app(tmp_path, thread, "exit")
    out, err = process.communicate(timeout=300)
    assert f"running {thread}" in out, err
    assert process.returncode == 3, err
    assert "terminate called" not in err and "Traceback" not in err, err
    assert _neutralizer_files(tmp_path) == []  # the fit stopped before writing anything


@pytest.mark.model
def test_sigterm_during_the_neutralizer_fit_exits_0_and_writes_nothing(tmp_path):
    process = _use_the_app(tmp_path, "search-neutralizer", "wait")
    assert "running search-neutralizer" in process.stdout.readline()
    time.sleep(1)  # inside the fit's first batches
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "terminate called" not in err and "Traceback" not in err, err
    assert _neutralizer_files(tmp_path) == []


@pytest.mark.model
@pytest.mark.parametrize("preload", ["1", "0"])
def test_sigterm_while_gunicorn_loads_the_model_exits_0(tmp_path, preload):
    port = free_port()
    env = server_env(tmp_path, f"sqlite:///{tmp_path}/t.db", port, WEB_PRELOAD=preload,
                     FLASK_ENCODER="sentence-transformers", FLASK_SEARCH_NEUTRALIZER="false")
    log = tmp_path / "serve.log"
    server = start(["sh", "bin/serve"], env, log)
    wait_until_listening(server, log)  # the model is loading: in the master or the workers
    code = stop(server, timeout=120)
    output = log.read_text()
    assert code == 0, output
    assert "terminate called" not in output and "Traceback" not in output, output


def test_sigterm_under_load_answers_every_accepted_request_and_exits_0(tmp_path):
    port = free_port()
    env = server_env(tmp_path, f"sqlite:///{tmp_path}/t.db", port,
                     FLASK_SEARCH_NEUTRALIZER="false", WEB_THREADS="2")
    log = tmp_path / "serve.log"
    server = start(["sh", "bin/serve"], env, log)
    wait_until_ready(server, port, log)
    statuses: list[int] = []
    done = threading.Event()

    def client():
        while not done.is_set():
            try:
                statuses.append(get(port, "/api/v1/search?q=garden")[0])
            except ConnectionError:
                # Refused, or closed unanswered: the server stopped accepting; connections
                # still in the listen queue are closed by the kernel (a proxy retries them).
                return
            except (OSError, http.client.HTTPException):  # an answer cut off half-way
                statuses.append(-1)
                return

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    time.sleep(1)
    code = stop(server)
    done.set()
    for thread in clients:
        thread.join(30)
    output = log.read_text()
    assert code == 0, output
    assert statuses and set(statuses) == {200}, statuses
    assert "terminate called" not in output and "Traceback" not in output, output
