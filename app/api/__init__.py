"""The JSON API, version 1 (/api/v1): search, practices, similar practices, submissions, and
the review workflow (transitions).

Described by app/openapi.yaml (served at /api/v1/openapi.yaml and .json). Errors are always
JSON ({"error", "status"}, plus "fields" for validation), through app/errors.py.
"""
from __future__ import annotations

from flask import Flask

from app.api import workflow  # noqa: F401 - registers the workflow route on bp
from app.api.auth import CHALLENGE
from app.api.routes import bp


def init_app(app: Flask) -> None:
    """Register the API blueprint."""
    app.register_blueprint(bp)


@bp.after_request
def _challenge(response):
    # app/errors.py builds its own JSON response, so Unauthorized's header is added here.
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", CHALLENGE)
    return response
