"""Signed links in e-mails (itsdangerous, keyed by SECRET_KEY, one salt per purpose).

- unsubscribe: (user id, kind); does not expire, so an old message's link still works.
- password reset: (user id, fingerprint of the current password hash); expires after
  MAIL_RESET_HOURS and stops working once the password changed (practices.services
  .mail_account.reset_password checks the fingerprint).
- address confirmation: (user id, address); expires after MAIL_CONFIRM_HOURS.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer, URLSafeTimedSerializer

_UNSUBSCRIBE = "mail-unsubscribe"
_RESET = "password-reset"
_CONFIRM = "email-confirm"


def _timed(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def unsubscribe_token(user_id: int, kind: str) -> str:
    """Return the token of an unsubscribe link for one person and one kind."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE).dumps(
        [user_id, kind])


def read_unsubscribe(token: str) -> tuple[int, str] | None:
    """Return (user id, kind) of a valid unsubscribe token, else None."""
    try:
        user_id, kind = URLSafeSerializer(current_app.config["SECRET_KEY"],
                                          salt=_UNSUBSCRIBE).loads(token)
    except (BadData, ValueError, TypeError):
        return None
    return int(user_id), str(kind)


def reset_token(user_id: int, fingerprint: str) -> str:
    """Return the token of a password-reset link."""
    return _timed(_RESET).dumps([user_id, fingerprint])


def read_reset(token: str) -> tuple[int, str] | None:
    """Return (user id, password fingerprint) of a valid, unexpired reset token, else None."""
    hours = current_app.config["MAIL_RESET_HOURS"]
    try:
        user_id, fingerprint = _timed(_RESET).loads(token, max_age=hours * 3600)
    except (BadData, ValueError, TypeError):
        return None
    return int(user_id), str(fingerprint)


def confirm_token(user_id: int, email: str) -> str:
    """Return the token of an address-confirmation link."""
    return _timed(_CONFIRM).dumps([user_id, email])


def read_confirm(token: str) -> tuple[int, str] | None:
    """Return (user id, address) of a valid, unexpired confirmation token, else None."""
    hours = current_app.config["MAIL_CONFIRM_HOURS"]
    try:
        user_id, email = _timed(_CONFIRM).loads(token, max_age=hours * 3600)
    except (BadData, ValueError, TypeError):
        return None
    return int(user_id), str(email)
