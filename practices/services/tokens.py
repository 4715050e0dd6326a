"""Personal API tokens: created and revoked by their owner; only a SHA-256 is stored.

The secret is 32 random bytes (256 bits), so a fast hash is enough to store it: nobody can
guess it, and a hash lookup finds the token without comparing secrets (the way GitHub and
PyPI store tokens). The secret is returned once, at creation, and never again.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices import fields
from practices.errors import NotFound, ValidationError
from practices.i18n import Message
from practices.models import ApiToken, User, utcnow
from practices.permissions import Actor, can, require
from practices.services import audit
from practices.services.locking import lock_row

TOKEN_PREFIX = "pxt_"  # lets secret scanners and people recognise our tokens
_PREFIX_SHOWN = len(TOKEN_PREFIX) + 6
# last_used_at is written at most this often, so API reads rarely cost a write.
LAST_USED_PRECISION = timedelta(minutes=5)
_name = fields.text(100)


def create_token(session: Session, name: str, *, actor: Actor) -> tuple[ApiToken, str]:
    """Create an API token for the actor; return it and its secret (shown this once); flush.

    Raises:
        PermissionDenied: not a signed-in, active user.
        ValidationError: {"name": ...} missing or too long.
    """
    require(actor, "manage_tokens")
    try:
        label = _name(name or "")
    except ValueError as exc:
        raise ValidationError({"name": exc.args[0]}) from None
    if not label:
        raise ValidationError({"name": Message("is required (e.g. the script that will use "
                                                "it)")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor, name=label, prefix=secret[:_PREFIX_SHOWN], token_hash=_digest(secret)
    )
    session.add(token)
    session.flush()
    audit.record(session, actor=actor, action="create_token", details=_details(token))
    return token, secret


def list_tokens(session: Session, *, actor: Actor) -> list[ApiToken]:
    """Return the actor's tokens, revoked ones included, oldest first."""
    require(actor, "manage_tokens")
    stmt = select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.id)
    return list(session.scalars(stmt))


def revoke_token(session: Session, token_id: int, *, actor: Actor) -> ApiToken:
    """Revoke a token of the actor's (an administrator may revoke anyone's); flush.

    Revoking twice changes nothing.

    Raises:
        NotFound: no such token among those the actor may revoke.
    """
    require(actor, "manage_tokens")
    token = lock_row(session, ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not can(actor, "manage_users")):
        raise NotFound(Message("token %(id)s does not exist", id=token_id))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, actor=actor, action="revoke_token", details=_details(token))
        session.flush()
    return token


def authenticate_token(session: Session, secret: str) -> User | None:
    """Return the active owner of a live token with this secret, or None.

    Stamps last_used_at when it is older than LAST_USED_PRECISION (the caller commits).
    """
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
    return token.user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _details(token: ApiToken) -> dict[str, object]:
    return {"token_id": token.id, "name": token.name, "prefix": token.prefix}
