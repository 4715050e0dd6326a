"""Who writes through the API: the owner of a personal API token (practices.create_token).

`Authorization: Bearer <token>` (RFC 6750). Only the token's SHA-256 is stored, and looking it
up by that hash compares no secret character by character, so response times tell nothing.
Everything about API authentication is in `require_writer`.
"""
from __future__ import annotations

from flask import request
from werkzeug.exceptions import Unauthorized

from app.db import get_session
from practices.services import authenticate_token

CHALLENGE = 'Bearer realm="Practice Exchange API"'


def require_writer():
    """Return the active User whose live API token the request carries.

    Raises:
        Unauthorized: no bearer token, or one that is unknown, revoked or belongs to a
            deactivated account; the response carries a WWW-Authenticate challenge.
    """
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized(
            "send your personal API token as 'Authorization: Bearer <token>' "
            "(create one on your account's API tokens page)"
        )
    user = authenticate_token(get_session(), given.strip())
    if user is None:
        raise Unauthorized("the API token is not valid (unknown, revoked, or its account is "
                           "deactivated)")
    return user
