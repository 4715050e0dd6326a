"""One table from error to HTTP status, and the error pages (HTML, or JSON under /api/)."""
from __future__ import annotations

import logging
from contextlib import nullcontext

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import force_locale, gettext
from flask_babel import gettext as _
from sqlalchemy import exc as database
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.jobs.core import JobQueueUnavailable
from app.labels.translate import describe, translate
from practices import errors as domain

log = logging.getLogger(__name__)

STATUS_OF: dict[type[Exception], int] = {
    domain.NotFound: 404,
    domain.PermissionDenied: 403,
    domain.InvalidTransition: 409,
    domain.Conflict: 409,
    domain.ValidationError: 422,
    # The database cannot be reached (down, restarting, failing over; no pooled connection
    # free in time): the request was not carried out and may be repeated. 503 with
    # Retry-After, never 500.
    database.OperationalError: 503,
    database.InterfaceError: 503,
    database.TimeoutError: 503,
}

UNAVAILABLE = tuple(cls for cls, status in STATUS_OF.items() if status == 503)

RETRY_AFTER_SECONDS = 5
"""What a 503 asks clients to wait (a PostgreSQL restart took 2.5 s in issue 8's test)."""


def init_app(app: Flask) -> None:
    """Register the handlers for domain errors, an unreachable database and HTTP errors."""
    app.register_error_handler(domain.PracticeError, handle_domain_error)
    for cls in UNAVAILABLE:
        app.register_error_handler(cls, handle_unavailable)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(JobQueueUnavailable, handle_queue_down)


def status_for(exc: domain.PracticeError) -> int:
    """Return the HTTP status of a domain error (the most specific class in STATUS_OF wins)."""
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 400


def handle_domain_error(exc: domain.PracticeError):
    """Answer a domain error with its status: the API in the domain's English (stable for
    programs and their logs), pages in the visitor's language."""
    status = status_for(exc)
    if wants_json():
        return _respond(status, str(exc), getattr(exc, "errors", None))
    return _respond(status, describe(exc), None)


def handle_unavailable(exc: Exception):
    """Answer 503 with Retry-After when the database cannot be reached: the API in English,
    pages in the visitor's language. The page is shown as to a visitor who is not signed in:
    knowing who is signed in needs the database."""
    log.warning("database unavailable on %s %s: %s", request.method, request.path,
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    g._login_user = current_app.login_manager.anonymous_user()  # this response only
    if wants_json():
        message = "the database is unavailable; try again in a few seconds"
    else:
        message = _("The database cannot be reached just now, so this request was not "
                    "carried out. Please try again in a few seconds.")
    response, status = _respond(503, message, None)
    response = current_app.make_response((response, status))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_queue_down(exc: JobQueueUnavailable):
    """Redis (REDIS_URL) does not answer: 503 with Retry-After; nothing was queued, and the
    pages that need no job work as before."""
    message = ("The job queue is unavailable, so nothing was started or changed. Try again in "
               "a few minutes.")
    response, status = _respond(503, message if wants_json() else translate(message), None)
    response = make_response(response, status)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def handle_http_error(exc: HTTPException):
    if isinstance(exc, RequestEntityTooLarge):
        return _respond(413, _too_large(), None)
    message = exc.description or exc.name
    if exc.description == type(exc).description and not wants_json():
        # Werkzeug's English default: the page's heading says it in the reader's language.
        message = ""
    return _respond(exc.code or 500, message, None)


def _too_large() -> str:
    # Say the limit (MAX_CONTENT_LENGTH, or the larger one of an upload page), in the page's
    # language; the API in English.
    limit = g.get("stated_body_limit") or request.max_content_length or 0
    size = (f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit / 2**10:g} KiB"
            if limit >= 2**10 else f"{limit} bytes")
    with force_locale("en") if wants_json() else nullcontext():
        return gettext("The request is too large: the limit is %(size)s (%(bytes)s bytes). "
                       "Send less at once, e.g. a shorter text or smaller file.",
                       size=size, bytes=limit)


def _respond(status: int, message: str, fields: dict[str, str] | None):
    if wants_json():
        body = {"error": message, "status": status}
        if fields:
            body["fields"] = fields
        return jsonify(body), status
    try:
        return render_template("errors/error.html", status=status, message=message), status
    except UNAVAILABLE as exc:  # the page asked who is signed in, and the database is down
        if status == 503:
            raise
        return handle_unavailable(exc)


def wants_json() -> bool:
    """True for API requests: they always get JSON errors, never an HTML page."""
    return request.path.startswith("/api/")
