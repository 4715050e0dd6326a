"""A request id on every request and log line, and one structured log line per request.

The id comes from the client's or the proxy's `X-Request-ID` header when it is a plausible
id (nginx: `proxy_set_header X-Request-ID $request_id;`), else it is generated; it is echoed
in the response's `X-Request-ID`, so a user's report, the proxy's log and this log meet.
`RequestIdFilter` puts it on every log record made during the request, and `JsonFormatter`
writes records as one JSON object per line (gunicorn.conf.py installs both), e.g.

    {"time": "2026-12-05T17:00:00.123Z", "level": "INFO", "logger": "app.requests",
     "message": "GET /search 200", "request_id": "4bf9...", "method": "GET",
     "path": "/search", "status": 200, "duration_ms": 12.5}

No module here imports anything heavy: gunicorn.conf.py loads it in the master.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

log = logging.getLogger("app.requests")

HEADER = "X-Request-ID"
_PLAUSIBLE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_EXTRA = ("request_id", "method", "path", "status", "duration_ms")


def init_app(app: Flask) -> None:
    """Give every request an id (echoed in the response) and log one line per request."""
    app.before_request(_begin)
    app.after_request(_finish)


def request_id() -> str | None:
    """Return this request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


def _begin() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _PLAUSIBLE.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    rid = g.get("request_id") or uuid.uuid4().hex
    response.headers[HEADER] = rid
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    log.info("%s %s %s", request.method, request.path, response.status_code,
             extra={"request_id": rid, "method": request.method, "path": request.path,
                    "status": response.status_code, "duration_ms": duration})
    return response


class RequestIdFilter(logging.Filter):
    """Add `request_id` (or None) to every record, from the request being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time (UTC), level, logger, message, the request
    fields when present, and the exception's traceback as `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "process": record.process,
        }
        for key in _EXTRA:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
