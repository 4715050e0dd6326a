"""`flask jobs ...`: run the background job worker, follow a job."""
from __future__ import annotations

import json
import time

import click
from flask import current_app

from app.cli.common import Commands
from app.jobs import JobQueueUnavailable, get_job

jobs_cli = Commands("jobs", help="Run the background job worker; follow a job.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run the jobs queued on REDIS_URL (imports, index rebuilds, the neutralizer's fit) until
    stopped; SIGTERM lets the current job finish. Jobs whose worker on this host was killed
    are handed back to the queue first (retried, or failed when no retry is left)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without it, jobs run inside the "
                                   "process that queued them and need no worker")
    from app.jobs.rq_backend import run_worker

    try:
        run_worker(current_app._get_current_object(), url, burst=burst)
    except JobQueueUnavailable as exc:
        raise click.ClickException(f"Redis (REDIS_URL) does not answer: {exc}") from None


@jobs_cli.command("status")
@click.argument("job_id")
@click.option("--wait", is_flag=True, help="Wait until the job finished or failed.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(job_id: str, wait: bool, as_json: bool) -> None:
    """Print the state of job JOB_ID; exit 1 if it failed or is unknown."""
    try:
        info = get_job(job_id)
        while wait and info is not None and not info.over:
            time.sleep(1)
            info = get_job(job_id)
    except JobQueueUnavailable as exc:
        raise click.ClickException(f"the job queue (REDIS_URL) does not answer: {exc}") from None
    if info is None:
        raise click.ClickException(f"no job {job_id} (unknown, or expired)")
    if as_json:
        click.echo(json.dumps({"id": info.id, "name": info.name, "state": info.state,
                               "done": info.done, "total": info.total, "stage": info.stage,
                               "attempt": info.attempt, "errors": list(info.errors),
                               "message": info.message, "result": info.result}))
    else:
        progress = f"{info.done}/{info.total}" if info.total is not None else "-"
        click.echo(f"{info.name} {info.id}: {info.state} ({info.stage or '-'} {progress}; "
                   f"attempt {info.attempt})")
        for line in info.errors:
            click.echo(line)
        if info.message:
            click.echo(info.message)
        if info.result:
            click.echo(json.dumps(info.result))
    if info.state == "failed":
        raise SystemExit(1)
