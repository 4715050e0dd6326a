"""The job registry, the enqueue API and its two backends (see app/jobs/__init__.py)."""
from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

JobFunction = Callable[..., Mapping[str, Any] | None]

JOBS: dict[str, JobFunction] = {}
"""Every job the product runs, by name: filled by @register_job when app.jobs.tasks (and any
module with jobs) is imported; the RQ worker looks jobs up here by the name it was given."""

# The RQ queue of the product, and what a job may cost. A killed or crashed job is tried
# again up to RETRIES times, after RETRY_INTERVALS seconds (rq's Retry).
QUEUE_NAME = "practice-exchange"
RETRIES = 3
RETRY_INTERVALS = (5, 30, 60)
RESULT_TTL = 24 * 3600  # seconds a finished job stays readable
FAILURE_TTL = 7 * 24 * 3600
_KEPT_IN_PROCESS = 200  # jobs of the in-process backend remembered for their status pages


class JobQueueUnavailable(Exception):
    """REDIS_URL is configured but Redis does not answer: nothing was queued (HTTP 503)."""

    retry_after = 30  # seconds; the Retry-After header of the 503


class JobRefused(Exception):
    """A job ends here for a reason its user must read (e.g. bad lines of an uploaded file):
    reported as failed with `errors` (sentences, e.g. "line 3: title: required"), never
    retried. Raised by job functions."""

    def __init__(self, errors: Sequence[str], message: str = "") -> None:
        self.errors = tuple(str(e) for e in errors)
        self.message = message or f"{len(self.errors)} problem(s); nothing was written"
        super().__init__(self.message)


@dataclass(frozen=True)
class JobInfo:
    """What a status page shows of one job.

    state: "queued" (waiting for a worker, or for a retry after a crash), "running",
    "finished" or "failed". done/total: units of work (records of an import; total None
    until known); stage: a word for what it does now ("checking", "encoding", "writing");
    errors: the refusal's sentences; message: why it failed otherwise; result: the job
    function's return value once finished; attempt: 1 for the first run, 2 for the first
    retry...
    """

    id: str
    name: str
    state: str = "queued"
    owner_id: int | None = None
    done: int = 0
    total: int | None = None
    stage: str = ""
    attempt: int = 0
    errors: tuple[str, ...] = ()
    message: str = ""
    result: Mapping[str, Any] | None = None
    backend: str = "in-process"
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def over(self) -> bool:
        """True once the job finished or failed for good (its page stops refreshing)."""
        return self.state in ("finished", "failed")


class JobContext:
    """What a running job function gets: `progress(done, total, stage=...)` to report how far
    it is (cheap: written at most every half second, and at the end of a stage), and
    `attempt` (1 on the first run)."""

    def __init__(self, report: Callable[[dict[str, Any]], None], attempt: int = 1) -> None:
        self._report = report
        self.attempt = attempt
        self._last = 0.0
        self._stage = ""

    def progress(self, done: int, total: int | None, *, stage: str | None = None) -> None:
        """Report `done` of `total` units (records, practices) in `stage`."""
        now = time.monotonic()
        new_stage = stage is not None and stage != self._stage
        if not new_stage and done != total and now - self._last < 0.5:
            return
        self._last = now
        if stage is not None:
            self._stage = stage
        self._report({"done": done, "total": total, "stage": self._stage})


def register_job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Decorator: make `function(ctx: JobContext, **params) -> dict | None` the job `name`.

    Params must be picklable (RQ stores them in Redis): ids, strings, bytes, numbers.
    Raises ValueError when the name is taken by another function.
    """

    def add(function: JobFunction) -> JobFunction:
        known = JOBS.get(name)
        if known is not None and known.__qualname__ != function.__qualname__:
            raise ValueError(f"job name {name!r} is already used by {known.__qualname__}")
        JOBS[name] = function
        return function

    return add


class ThreadBackend:
    """Jobs run one after the other in one background thread of this process (started on
    the first enqueue), each in its own app context; their states are kept in memory (the
    last 200). For the embedded default: a single process serves the status pages."""

    name = "in-process"

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, JobInfo] = OrderedDict()
        self._todo: queue.Queue[tuple[str, str, dict[str, Any]]] = queue.Queue()
        self._thread: threading.Thread | None = None

    def enqueue(self, name: str, owner_id: int | None, params: dict[str, Any]) -> JobInfo:
        info = JobInfo(id=uuid.uuid4().hex, name=name, owner_id=owner_id, backend=self.name)
        with self._lock:
            self._jobs[info.id] = info
            while len(self._jobs) > _KEPT_IN_PROCESS:
                self._jobs.popitem(last=False)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="jobs", daemon=True)
                self._thread.start()
        self._todo.put((info.id, name, params))
        return info

    def get(self, job_id: str) -> JobInfo | None:
        with self._lock:
            return self._jobs.get(job_id)

    def depth(self) -> int:
        return self._todo.qsize()

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _work(self) -> None:
        while True:
            job_id, name, params = self._todo.get()
            self._run(job_id, name, params)

    def _run(self, job_id: str, name: str, params: dict[str, Any]) -> None:
        self._update(job_id, state="running", attempt=1)
        ctx = JobContext(lambda update: self._update(job_id, **update))
        try:
            with self._app.app_context():
                result = JOBS[name](ctx, **params)
        except JobRefused as exc:
            self._update(job_id, state="failed", errors=exc.errors, message=exc.message)
        except Exception as exc:  # a crash: reported on the status page, logged in full
            log.exception("job %s (%s) failed", job_id, name)
            self._update(job_id, state="failed", message=f"{type(exc).__name__}: {exc}")
        else:
            self._update(job_id, state="finished", result=dict(result or {}))
