"""The one-minute version of benchmarks/load_faults.py (issue 8, "Figures"), as CI runs it:
its own PostgreSQL cluster and redis-server on private ports, gunicorn with 2 workers, 8
writers and 16 searchers for a minute, then each fault for 15 s; the test encoder keeps it
to about three minutes. Deselect with `-m "not load"`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.load

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    out = tmp_path_factory.mktemp("load") / "load_faults.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load_faults.py"), "--minutes", "1",
         "--fault-seconds", "15", "--encoder", "hashing", "--import-records", "600",
         "--port-base", "51340", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    print(run.stdout)
    return json.loads(out.read_text())


def test_under_load_no_5xx_and_every_request_answered(figures):
    assert figures["load"]["requests"] > 100
    assert figures["load"]["5xx"] == 0 and figures["load"]["no_answer"] == 0


def test_every_acknowledged_write_is_stored_through_every_fault(figures):
    acknowledged = figures["acknowledged"]
    assert acknowledged["published"] > 0
    assert acknowledged["submitted_missing"] == 0 and acknowledged["published_missing"] == 0


def test_every_published_practice_is_found_by_the_next_searches(figures):
    visibility = figures["visibility"]
    assert visibility["checks"] > 0 and visibility["not_found"] == 0


def test_a_job_worker_killed_mid_import_leaves_nothing_then_the_retry_completes_it(figures):
    fault = figures["kill_job_worker"]
    assert fault["written_after_kill"] == 0
    assert fault["state"] == "finished" and fault["attempt"] == 2
    assert fault["rows_after"] == 600


@pytest.mark.xfail(strict=False, reason=(
    "open bug (README, Under load and faults): after the fault phases `search-index verify` "
    "finds the index differing from the database in 3-9 of ~1,000 practices in about half "
    "of the runs, on the code before 2026-12-05 evening as after; cause not found"))
def test_search_index_verify_finds_no_drift_after_the_faults(figures):
    assert figures["verify"] is True, figures.get("verify_output")


def test_with_redis_stopped_the_site_stays_up_and_jobs_run_once_it_is_back(figures):
    fault = figures["stop_redis"]
    assert fault["5xx"] == 0 and fault["no_answer"] == 0
    assert fault["enqueue_exit_code"] == 1 and "does not answer" in fault["enqueue_message"]
    assert fault["job_after_restart"] == "finished"


def test_a_killed_web_worker_is_replaced_and_answers(figures):
    assert figures["kill_web_worker"]["replacement_first_answer_s"] is not None
