"""Jobs without Redis (the embedded default): the commands queue them in a background thread
of their own process and `flask jobs status` follows them; the same job functions the
commands run directly."""
from __future__ import annotations


def test_a_rebuild_queued_in_process_runs_and_reports_its_counts(app, runner, add_practice):
    add_practice(title="Puppet theatre")
    queued = runner.invoke(args=["search-index", "rebuild", "--background"])
    assert queued.exit_code == 0, queued.output
    assert "(in-process)" in queued.output
    job_id = queued.output.split("queued job ", 1)[1].split()[0]
    status = runner.invoke(args=["jobs", "status", job_id, "--wait"])
    assert status.exit_code == 0, status.output
    assert "search.rebuild" in status.output and "finished" in status.output
    assert '"indexed": 1' in status.output


def test_a_refused_background_import_lists_its_lines_and_exits_1(app, runner, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"title": ""}\n', encoding="utf-8")
    queued = runner.invoke(args=["practices", "import", str(path), "--background"])
    job_id = queued.output.split("queued job ", 1)[1].split()[0]
    status = runner.invoke(args=["jobs", "status", job_id, "--wait"])
    assert status.exit_code == 1
    assert "failed" in status.output and "line 1: title: is required" in status.output


def test_an_unknown_job_is_an_error(runner):
    result = runner.invoke(args=["jobs", "status", "0123abcd"])
    assert result.exit_code == 1 and "no job 0123abcd" in result.output


def test_the_worker_needs_redis(runner):
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code == 1 and "REDIS_URL is not set" in result.output


def test_a_prepare_job_reports_the_neutralizer_switched_off(app, runner):
    queued = runner.invoke(args=["search-index", "prepare", "--background"])
    job_id = queued.output.split("queued job ", 1)[1].split()[0]
    status = runner.invoke(args=["jobs", "status", job_id, "--wait", "--json"])
    assert status.exit_code == 0 and '"enabled": false' in status.output

