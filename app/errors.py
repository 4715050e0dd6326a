"""One table from domain error to HTTP status, and the error pages (HTML, or JSON under /api/)."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from app.labels.translate import describe
from practices import errors as domain

STATUS_OF: dict[type[domain.PracticeError], int] = {
    domain.NotFound: 404,
    domain.PermissionDenied: 403,
    domain.InvalidTransition: 409,
    domain.Conflict: 409,
    domain.ValidationError: 422,
}


def init_app(app: Flask) -> None:
    """Register the handlers for domain errors and HTTP errors."""
    app.register_error_handler(domain.PracticeError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)


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


def handle_http_error(exc: HTTPException):
    message = exc.description or exc.name
    if exc.description == type(exc).description and not wants_json():
        # Werkzeug's English default: the page's heading says it in the reader's language.
        message = ""
    return _respond(exc.code or 500, message, None)


def _respond(status: int, message: str, fields: dict[str, str] | None):
    if wants_json():
        body = {"error": message, "status": status}
        if fields:
            body["fields"] = fields
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def wants_json() -> bool:
    """True for API requests: they always get JSON errors, never an HTML page."""
    return request.path.startswith("/api/")
