"""Jobs on an RQ queue in Redis (REDIS_URL), run by `flask jobs worker` processes.

The job RQ stores is `perform(name, params)`: a worker process (which made the app once)
looks `name` up in JOBS and runs it in an app context. Progress goes to job.meta
("done", "total", "stage", "attempt"); a refusal (JobRefused) is the job's return value
{"refused": [...]}, so rq does not retry it; any exception, or a work-horse killed mid-way,
is a failure rq retries (Retry(max=RETRIES)). A worker killed with its horse leaves the job
"started"; `flask jobs worker` hands such jobs back to the queue when it starts
(recover_abandoned), and rq's own maintenance does so after the job's heartbeat expires.
"""
from __future__ import annotations

import logging
import os
import socket
from typing import Any

import redis
from flask import Flask
from rq import Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from app.jobs.core import (
    FAILURE_TTL,
    JOBS,
    QUEUE_NAME,
    RESULT_TTL,
    RETRIES,
    RETRY_INTERVALS,
    JobContext,
    JobInfo,
    JobQueueUnavailable,
    JobRefused,
)

log = logging.getLogger(__name__)

JOB_TIMEOUT = 6 * 3600  # seconds; an import of 10,000 records encodes for ~20 minutes

_worker_app: Flask | None = None  # set by `flask jobs worker` before it forks work horses


def connect(url: str) -> redis.Redis:
    """A Redis client that gives up quickly when the server is down (a page must not hang)."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10,
                                health_check_interval=30)


class RQBackend:
    """Enqueue on and read from the RQ queue QUEUE_NAME of REDIS_URL."""

    name = "rq"

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: redis.Redis | None = None

    @property
    def connection(self) -> redis.Redis:
        if self._connection is None:
            self._connection = connect(self.url)
        return self._connection

    def queue(self) -> Queue:
        return Queue(QUEUE_NAME, connection=self.connection)

    def enqueue(self, name: str, owner_id: int | None, params: dict[str, Any]) -> JobInfo:
        meta = {"name": name, "owner_id": owner_id, "done": 0, "total": None, "stage": "",
                "attempt": 0}
        try:
            job = self.queue().enqueue(
                perform, name, params, retry=Retry(max=RETRIES, interval=list(RETRY_INTERVALS)),
                job_timeout=JOB_TIMEOUT, result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL,
                meta=meta, description=name)
        except redis.exceptions.RedisError as exc:
            raise JobQueueUnavailable(str(exc)) from exc
        return describe(job)

    def depth(self) -> int:
        try:
            return self.queue().count
        except redis.exceptions.RedisError as exc:
            raise JobQueueUnavailable(str(exc)) from exc

    def get(self, job_id: str) -> JobInfo | None:
        try:
            job = Job.fetch(job_id, connection=self.connection)
            return describe(job)
        except NoSuchJobError:
            return None
        except redis.exceptions.RedisError as exc:
            raise JobQueueUnavailable(str(exc)) from exc


def describe(job: Job) -> JobInfo:
    """The JobInfo of an RQ job (one or two Redis reads)."""
    meta = job.get_meta(refresh=False) or {}
    status = job.get_status(refresh=True)
    common = dict(id=job.id, name=meta.get("name", job.description or ""),
                  owner_id=meta.get("owner_id"), done=meta.get("done", 0),
                  total=meta.get("total"), stage=meta.get("stage", ""),
                  attempt=meta.get("attempt", 0), backend="rq",
                  extra={"pid": meta.get("pid"), "host": meta.get("host")})
    if status == JobStatus.STARTED:
        return JobInfo(state="running", **common)
    if status == JobStatus.FINISHED:
        value = job.return_value() or {}
        if "refused" in value:
            return JobInfo(state="failed", errors=tuple(value["refused"]),
                           message=value.get("message", ""), **common)
        return JobInfo(state="finished", result=value.get("result") or {}, **common)
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return JobInfo(state="failed", message=_failure(job), **common)
    return JobInfo(state="queued", **common)  # queued, deferred, scheduled (a retry waits)


def _attempt(job: Job) -> int:
    """1 on the first run, 2 on the first retry... (rq counts the retries left)."""
    return RETRIES - (job.retries_left if job.retries_left is not None else RETRIES) + 1


def _failure(job: Job) -> str:
    result = job.latest_result()
    text = (result.exc_string if result is not None else None) or "the job failed"
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "the job failed"


def perform(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """What RQ runs: the job `name` with `params`, in the app of `flask jobs worker`.
    Returns {"result": ...} or {"refused": [...], "message": ...}; raises on a crash (rq then
    retries)."""
    if _worker_app is None:
        raise RuntimeError("practice-exchange jobs run in `flask jobs worker`, which makes "
                           "the app they need")
    job = get_current_job()
    attempt = _attempt(job) if job is not None else 1
    if job is not None:  # who runs it: recover_abandoned leaves a job whose horse lives alone
        job.meta.update(attempt=attempt, pid=os.getpid(), host=socket.gethostname())
        job.save_meta()

    def report(update: dict[str, Any]) -> None:
        if job is not None:
            job.meta.update(update)
            job.save_meta()

    ctx = JobContext(report, attempt=attempt)
    with _worker_app.app_context():
        try:
            result = JOBS[name](ctx, **params)
        except JobRefused as exc:
            return {"refused": list(exc.errors), "message": exc.message}
    return {"result": dict(result or {})}


def run_worker(app: Flask, url: str, *, burst: bool = False) -> None:
    """Work the queue until stopped (SIGTERM/SIGINT: the current job finishes first), first
    handing back jobs whose worker on this host died (kill -9) to the queue. Once started, a
    worker outlives a Redis outage (rq reconnects).

    Raises:
        JobQueueUnavailable: Redis does not answer at start.
    """
    global _worker_app
    from rq import Worker

    _worker_app = app
    connection = connect(url)
    try:
        recover_abandoned(connection)
    except redis.exceptions.RedisError as exc:
        raise JobQueueUnavailable(str(exc)) from exc
    worker = Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


def recover_abandoned(connection: redis.Redis) -> list[str]:
    """Requeue (or fail, when no retry is left) every started job whose worker ran on this
    host and is dead, and whose work horse is dead too (a horse whose worker was killed
    finishes its job alone): after a kill -9 such a job would otherwise wait for rq's
    maintenance (heartbeat expiry, then up to 10 minutes). Returns the ids handed back."""
    from rq import Worker

    queue = Queue(QUEUE_NAME, connection=connection)
    registry = StartedJobRegistry(queue=queue)
    live = {w.name for w in Worker.all(connection=connection) if _alive(w)}
    recovered = []
    for job_id in registry.get_job_ids(cleanup=False):
        try:
            job = Job.fetch(job_id, connection=connection)
        except NoSuchJobError:
            continue
        if job.worker_name and job.worker_name in live:
            continue
        if job.worker_name and not _on_this_host_and_dead(connection, job.worker_name):
            continue
        meta = job.get_meta(refresh=False) or {}
        if meta.get("host") == socket.gethostname() and _pid_alive(int(meta.get("pid") or 0)):
            continue  # its work horse outlived the worker and still runs it
        _hand_back(queue, registry, job)
        recovered.append(job_id)
    return recovered


def _hand_back(queue: Queue, registry: StartedJobRegistry, job: Job) -> None:
    with queue.connection.pipeline() as pipe:
        registry.remove_executions(job, pipeline=pipe)
        if job.retries_left and job.retries_left > 0:
            # At once, at the front: a dead worker is no reason to wait (rq's Job.retry would
            # schedule it, and the scheduler's lock may have died with that worker).
            log.warning("job %s: its worker died; retrying", job.id)
            job.retries_left -= 1
            queue._enqueue_job(job, pipeline=pipe, at_front=True)
        else:
            log.warning("job %s: its worker died and no retry is left", job.id)
            job.set_status(JobStatus.FAILED, pipeline=pipe)
            job._handle_failure("its worker died (killed) and no retry was left", pipe,
                                worker_name="")
        pipe.execute()


def _alive(worker) -> bool:
    hostname = getattr(worker, "hostname", None)
    if hostname != socket.gethostname() or not worker.pid:
        return True  # another host's worker: only rq's heartbeat can tell
    return _pid_alive(int(worker.pid))


def _on_this_host_and_dead(connection: redis.Redis, worker_name: str) -> bool:
    data = connection.hgetall(f"rq:worker:{worker_name}")
    if not data:
        return True  # the worker's record expired: it is gone
    hostname = (data.get(b"hostname") or b"").decode()
    pid = int(data.get(b"pid") or 0)
    return hostname == socket.gethostname() and pid > 0 and not _pid_alive(pid)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    # A process killed but not yet reaped by its parent still answers kill(pid, 0): without
    # this a worker started right after a kill -9 took the dead worker for a live one and
    # never handed its job back (state "Z" in /proc/<pid>/stat, after the command's
    # parenthesised name).
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
