"""The JSON API, version 1 (/api/v1): search, practices, similar practices, submissions, and
the review workflow (transitions).

Described by app/openapi.yaml (served at /api/v1/openapi.yaml and .json). Errors are always
JSON ({"error", "status"}, plus "fields" for validation), through app/errors.py. The views are
in routes.py and workflow.py, both on the blueprint `bp` (registered by create_app).
"""
from __future__ import annotations

from app.api import workflow  # noqa: F401 - adds the transitions route to bp
from app.api.routes import bp

__all__ = ["bp"]
