"""Background jobs: the work that must not run inside a request (bulk imports, re-encoding the
collection, fitting the language neutralizer; mail later).

One API, two backends chosen by the configuration:

- `REDIS_URL` set: jobs go to an RQ queue on that Redis (`rq`, python-rq.org) and a separate
  process runs them (`flask jobs worker`); progress is kept in the job's meta, a job whose
  worker died is retried (rq's `Retry`), results and errors stay readable for a day.
- `REDIS_URL` unset (the embedded default, `make run`): the same job functions run in a
  background thread of the process that enqueued them, so nothing else has to run.

    @register_job("practices.import")          # app/jobs/tasks.py holds the product's jobs
    def import_practices(ctx, *, content, ...):
        ctx.progress(done, total)               # shown by the status page
        return {"created": 3}                   # the job's result (a JSON-able dict)

    info = enqueue("practices.import", owner_id=user.id, content=...)   # -> JobInfo
    info = get_job(info.id)                     # None when unknown or expired
    run_here("search.rebuild")                  # synchronously, in this process (the CLI)

A job function raises JobRefused(errors) for a refusal the user must read (bad lines of an
upload): the job ends "failed" with those errors and is not retried. Any other exception is
a crash: retried on RQ (three times), reported as failed in-process.

When Redis is configured but unreachable, `enqueue` and `get_job` raise JobQueueUnavailable
(the pages answer 503 with Retry-After: nothing was queued, nothing was lost); the rest of
the site does not use Redis and stays up.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, current_app

from app.jobs import tasks  # noqa: F401  (registers the product's jobs)
from app.jobs.core import (
    JOBS,
    JobContext,
    JobInfo,
    JobQueueUnavailable,
    JobRefused,
    ThreadBackend,
    register_job,
)
from app.jobs.rq_backend import RQBackend

__all__ = [
    "JOBS",
    "JobContext",
    "JobInfo",
    "JobQueueUnavailable",
    "JobRefused",
    "enqueue",
    "get_job",
    "init_app",
    "on_a_queue",
    "queue_depth",
    "register_job",
    "run_here",
]


def init_app(app: Flask) -> None:
    """Choose the backend from REDIS_URL and import the product's jobs."""
    url = app.config.get("REDIS_URL")
    if url:
        app.extensions["jobs"] = RQBackend(url)
    else:
        app.extensions["jobs"] = ThreadBackend(app)


def enqueue(name: str, *, owner_id: int | None = None, **params: Any) -> JobInfo:
    """Queue the job `name` with `params`; return its JobInfo (state "queued").

    `owner_id`: the user whose status page may show it (None: operators only).

    Raises:
        KeyError: no job has that name (a programming error).
        JobQueueUnavailable: Redis is configured and does not answer; nothing was queued.
    """
    if name not in JOBS:
        raise KeyError(f"no job named {name!r}")
    return current_app.extensions["jobs"].enqueue(name, owner_id, params)


def get_job(job_id: str) -> JobInfo | None:
    """Return the job's JobInfo, or None if no such job is known (or it expired).

    Raises:
        JobQueueUnavailable: Redis is configured and does not answer.
    """
    return current_app.extensions["jobs"].get(job_id)


def run_here(name: str, *, on_progress: Callable[[dict[str, Any]], None] | None = None,
             **params: Any) -> Mapping[str, Any] | None:
    """Run the job `name` now, in this process and app context (the commands do); return its
    result. JobRefused and crashes propagate to the caller."""
    ctx = JobContext(on_progress or (lambda _update: None))
    return JOBS[name](ctx, **params)


def on_a_queue() -> bool:
    """True when jobs go to Redis for a worker; False when they would run in a thread of this
    process (which a command must not leave behind: its thread ends with it)."""
    return isinstance(current_app.extensions["jobs"], RQBackend)


def queue_depth() -> int:
    """How many jobs wait for a worker (for metrics).

    Raises:
        JobQueueUnavailable: Redis is configured and does not answer.
    """
    return current_app.extensions["jobs"].depth()
