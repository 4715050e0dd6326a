"""Jobs on RQ with real `flask jobs worker` processes on a real Redis (TEST_REDIS_URL, default
db 13 of 127.0.0.1:6379, flushed before and after each test): a queued import waits for a
worker, a worker killed with kill -9 half-way through an import leaves nothing written, the
next worker retries the job to its end without duplicates, and the index shows no drift."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from app.db import get_session
from app.jobs import enqueue, get_job
from practices.models import Practice
from tests.factories import practice_record
from tests.web.helpers import login_as

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def rq_app(make_app):
    """An app whose jobs go to RQ on REDIS_URL (its database flushed around the test)."""
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()
    connection.flushdb()
    yield make_app(REDIS_URL=REDIS_URL)
    connection.flushdb()


@pytest.fixture
def workers(rq_app, tmp_path):
    """Return start() -> a `flask jobs worker` process (its own session group) on rq_app's
    database and Redis; they are all killed at the end."""
    started: list[subprocess.Popen] = []
    config = rq_app.config
    env = {**os.environ, "FLASK_DATABASE_URL": config["DATABASE_URL"],
           "FLASK_REDIS_URL": REDIS_URL, "FLASK_ENCODER": "hashing",
           "FLASK_SECRET_KEY": "test", "FLASK_SEARCH_NEUTRALIZER": "false",
           "FLASK_SEARCH_WARM_UP": "false",
           "FLASK_SEARCH_INDEX_DIR": str(tmp_path / "worker_index")}

    def start() -> subprocess.Popen:
        with open(tmp_path / f"worker{len(started)}.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"], cwd=ROOT,
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        _kill_group(process)


def _kill_group(process: subprocess.Popen) -> None:
    """kill -9 the worker and its work horse (the forked process running the job)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def _wait_for(app, job_id: str, until, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            info = get_job(job_id)
        if until(info):
            return info
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached the state wanted; last: {info}")


def _count(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Practice))


def _jsonl(records) -> bytes:
    import json

    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_an_upload_waits_for_a_worker_then_shows_its_counts(rq_app, workers, make_account):
    client = rq_app.test_client()
    login_as(client, make_account("curator"))
    import io

    response = client.post("/imports", data={"file": (io.BytesIO(_jsonl(
        [practice_record(title="Puppet theatre")])), "p.jsonl"), "publish": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 303
    waiting = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The import waits for its turn." in waiting and 'http-equiv="refresh"' in waiting
    workers()
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    _wait_for(rq_app, job_id, lambda info: info.over)
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 created" in done and 'http-equiv="refresh"' not in done


def test_a_background_command_import_runs_on_the_worker(rq_app, workers, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(_jsonl([practice_record(title="Puppet theatre", external_id="a"),
                             practice_record(title="Shadow theatre", external_id="b")]))
    runner = rq_app.test_cli_runner()
    queued = runner.invoke(args=["practices", "import", str(path), "--publish", "--background"])
    assert queued.exit_code == 0, queued.output
    job_id = queued.output.split("queued job ", 1)[1].split()[0]
    workers()
    status = runner.invoke(args=["jobs", "status", job_id, "--wait"])
    assert status.exit_code == 0, status.output
    assert "finished" in status.output and '"created": 2' in status.output


@pytest.mark.postgres
def test_a_worker_killed_mid_import_leaves_nothing_and_the_retry_completes_it(rq_app, workers):
    total = 1200
    records = [practice_record(i, external_id=f"k-{i}", body="We built raised beds. " * 40)
               for i in range(total)]
    records += [practice_record(total + i, body="No external id here.") for i in range(50)]
    with rq_app.app_context():
        job_id = enqueue("practices.import", fmt="jsonl", publish=True,
                         content=_jsonl(records), keyed_lines=True).id
    first = workers()
    busy = _wait_for(rq_app, job_id, lambda info: info.state == "running"
                     and info.stage in ("encoding", "writing") and info.done > 0)
    os.kill(busy.extra["pid"], signal.SIGKILL)  # kill -9 of the work horse running it
    _kill_group(first)  # and of its worker, mid-way
    assert busy.attempt == 1
    assert _count(rq_app) == 0  # nothing half-written
    workers()  # hands the abandoned job back to the queue; rq retries it
    done = _wait_for(rq_app, job_id, lambda info: info.over)
    assert done.state == "finished", done
    assert done.attempt == 2 and done.result["created"] == total + 50
    assert _count(rq_app) == total + 50
    verify = rq_app.test_cli_runner().invoke(args=["search-index", "verify"])
    assert verify.exit_code == 0, verify.output
    assert f"public practices: {total + 50}; indexed: {total + 50}" in verify.output
