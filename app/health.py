"""Probes for process managers and load balancers: `/healthz` and `/readyz` (JSON).

`/healthz` says only that the process answers (200): restart it when this fails.
`/readyz` says whether it can serve as configured (200) or not yet / not now (503, with
Retry-After): the database answers; the model and the index are loaded; the language
neutralizer is in use when SEARCH_NEUTRALIZER is on; the index has applied every committed
change. A load balancer sends traffic only to ready processes. Neither needs signing in, and
neither says more than which check failed (no versions, no error text).
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.db import get_session
from app.metrics import record_index_lag
from app.search import get_search

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

RETRY_AFTER_SECONDS = 5


@bp.get("/healthz")
def healthz():
    """Answer 200 while the process serves requests (no database, no search)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Answer 200 when every check passes, else 503 naming the failing checks."""
    checks = readiness_checks()
    ready = all(check["ok"] for check in checks.values())
    response = jsonify(status="ready" if ready else "not ready", checks=checks)
    if not ready:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def readiness_checks() -> dict[str, dict]:
    """Return {check: {"ok": bool, ...}} for database, search (model and index), neutralizer
    and index_lag (committed changes this process has not applied yet)."""
    session = get_session()
    try:
        session.execute(select(1))
    except SQLAlchemyError:
        log.warning("readiness: the database is unreachable")
        session.rollback()
        return {"database": {"ok": False}, "search": {"ok": False, "detail": "unknown"}}
    checks: dict[str, dict] = {"database": {"ok": True}}
    reader = get_search()
    if not reader.loaded:
        reader.warm_up_in_background()  # a no-op when already loading
        checks["search"] = {"ok": False, "detail": "loading"}
        return checks
    checks["search"] = {"ok": True}
    checks["neutralizer"] = {"ok": reader.language_neutral}
    lag = index_lag()
    if lag is None:
        return {**checks, "database": {"ok": False}, "index_lag": {"ok": False}}
    record_index_lag(lag)
    checks["index_lag"] = {"ok": lag == 0, "changes": lag}
    return checks


def index_lag() -> int | None:
    """Return the committed changes this process's index has not applied after catching up
    (SearchReader.index_lag), or None when search is not loaded or the database is down."""
    session = get_session()
    try:
        return get_search().index_lag(session)
    except SQLAlchemyError:
        session.rollback()
        return None
