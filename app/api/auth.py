"""Who may write through the API. Version 1: one shared bearer token (config API_TOKEN).

Everything about it is in `require_writer`, so per-user tokens (issue 3) replace one function.
"""
from __future__ import annotations

import hmac

from flask import current_app, request
from werkzeug.exceptions import Unauthorized

CHALLENGE = 'Bearer realm="Practice Exchange API"'


def require_writer() -> None:
    """Refuse the request unless it carries `Authorization: Bearer <API_TOKEN>`.

    The comparison takes the same time wherever the strings differ (hmac.compare_digest),
    so the token cannot be guessed character by character from response times.

    Raises:
        Unauthorized: no token, a wrong one, or no API_TOKEN configured; the response
            carries a WWW-Authenticate challenge (RFC 6750).
    """
    expected = current_app.config.get("API_TOKEN")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        raise Unauthorized("send the API token as 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode(), str(expected).encode()):
        raise Unauthorized("the API token is not valid")
