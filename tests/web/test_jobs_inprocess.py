"""Jobs without Redis (the embedded default): the pages run them in a background thread
(tests/web/test_imports.py); a command asked for --background runs the job itself, since
a thread would end with the command; `flask jobs ...` says what needs Redis."""
from __future__ import annotations


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
