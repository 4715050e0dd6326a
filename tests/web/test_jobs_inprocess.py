"""Jobs without Redis (the embedded default): the pages run them in a background thread
(tests/web/test_imports.py); a command asked for --background runs the job itself, since
a thread would end with the command; `flask jobs ...` says what needs Redis."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tests.factories import practice_record
from tests.web.helpers import CountingEncoder


def test_without_redis_a_background_rebuild_runs_in_the_command_and_says_so(runner,
                                                                          add_practice):
    add_practice(title="Puppet theatre")
    result = runner.invoke(args=["search-index", "rebuild", "--background"])
    assert result.exit_code == 0, result.output
    assert "REDIS_URL is not set: no job queue, so the job runs here" in result.output
    assert "indexed 1 practices" in result.output


def test_without_redis_a_background_import_runs_in_the_command(runner, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"title": ""}\n', encoding="utf-8")
    result = runner.invoke(args=["practices", "import", str(path), "--background"])
    assert result.exit_code == 1
    assert "line 1: title: is required" in result.output
    assert "nothing imported: 4 problem(s)" in result.output


def test_an_unknown_job_is_an_error(runner):
    result = runner.invoke(args=["jobs", "status", "0123abcd"])
    assert result.exit_code == 1 and "no job 0123abcd" in result.output


def test_the_worker_needs_redis(runner):
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code == 1 and "REDIS_URL is not set" in result.output


class WritingEncoder(CountingEncoder):
    """The test encoder, which while encoding passages has another connection write to the
    SQLite database with a 1 s busy timeout, as a user signing in would."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.writes: list[str] = []

    def encode_passages(self, texts, **kwargs):
        other = sqlite3.connect(self.path, timeout=1)
        try:
            other.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
            other.execute("INSERT INTO probe VALUES (1)")
            other.commit()
            self.writes.append("written")
        except sqlite3.OperationalError as exc:  # "database is locked"
            self.writes.append(str(exc))
        finally:
            other.close()
        return super().encode_passages(texts, **kwargs)


def test_an_import_job_encodes_while_others_can_still_write_to_sqlite(make_app, app_config,
                                                                       tmp_path):
    if not app_config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("about SQLite's single writer")
    encoder = WritingEncoder(app_config["DATABASE_URL"].removeprefix("sqlite:///"))
    app = make_app(ENCODER=encoder)
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(practice_record(n)) + "\n" for n in range(3)),
                    encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["practices", "import", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    assert encoder.writes == ["written"]


def test_the_queue_depth_counts_jobs_waiting(app):
    from app.jobs import queue_depth

    with app.app_context():
        assert queue_depth() == 0


def test_a_worker_says_so_when_redis_does_not_answer(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:51399/0")  # nothing listens there
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 1 and "Redis (REDIS_URL) does not answer" in result.output
