"""The production path (README, Production) run for real: `bin/serve`, which `make serve` runs,
migrates the configured database (PostgreSQL under TEST_DATABASE_URL), prepares search and
serves with gunicorn on a loopback port; /readyz, a search and a clean SIGTERM."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import TEST_DATABASE_URL
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

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(tmp_path, migrated_database):
    # PostgreSQL: this branch's test database (emptied); SQLite: a file not migrated yet.
    if TEST_DATABASE_URL:
        return migrated_database(tmp_path)
    return f"sqlite:///{tmp_path}/production.db"


def test_make_serve_migrates_prepares_and_serves_a_ready_server(tmp_path, database_url):
    port = free_port()
    log = tmp_path / "serve.log"
    server = start(["sh", "bin/serve"], server_env(tmp_path, database_url, port), log)
    try:
        ready = wait_until_ready(server, port, log)
        assert ready["status"] == "ready"
        assert {"database", "search", "neutralizer", "index_lag"} <= set(ready["checks"])
        status, _, body = get(port, "/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        for _ in range(6):  # spread over both workers
            status, _, body = get(port, "/api/v1/search?q=school+garden")
            assert status == 200 and json.loads(body)["language_neutral"] is True
        status, _, body = get(port, "/metrics")
        # Whichever worker answers reports the searches of both (multiprocess metrics).
        assert status == 200
        assert "practice_exchange_search_seconds_count 6.0" in body.decode(), body.decode()
    finally:
        code = stop(server)
    output = log.read_text()
    assert "database is at" in output and "language neutralizer is ready" in output
    assert code == 0, output
    assert "terminate called" not in output and "Traceback" not in output


def test_gunicorn_refuses_to_start_without_the_prepared_neutralizer(tmp_path, database_url):
    env = server_env(tmp_path, database_url, free_port())
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=REPO, check=True,
                   capture_output=True)
    for preload in ("1", "0"):
        metrics = tmp_path / f"metrics-{preload}"
        done = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                              env={**env, "WEB_PRELOAD": preload,
                                   "PROMETHEUS_MULTIPROC_DIR": str(metrics)},
                              cwd=REPO, timeout=120, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        assert "flask --app wsgi search-index prepare" in done.stderr, done.stderr
        assert not metrics.exists()  # nothing left behind


def test_a_server_without_preload_answers_only_once_its_workers_are_warm(tmp_path,
                                                                          database_url):
    port = free_port()
    env = server_env(tmp_path, database_url, port, WEB_PRELOAD="0")
    log = tmp_path / "serve.log"
    server = start(["sh", "bin/serve"], env, log)
    try:
        wait_until_listening(server, log)
        first = get(port, "/readyz")
        # The first connection waited in the listen queue until a worker had loaded the
        # model and the index: it is answered ready, never "loading".
        assert first[0] == 200, first
    finally:
        code = stop(server)
    assert code == 0, log.read_text()
