"""A person's own mail: preferences, unsubscribing, password reset and address confirmation.

Tokens are signed by the web layer (app/mail/tokens.py); the domain decides what a valid
token may do: a reset token carries the fingerprint of the password hash it was made for, so
it works once (the new password changes the hash) and never after another change.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices import vocab
from practices.codes import normalise_country
from practices.errors import Conflict, PermissionDenied, ValidationError
from practices.i18n import Message
from practices.models import MailSettings, Notification, User, utcnow
from practices.notifications import OPTIONAL_KINDS
from practices.passwords import hash_password, password_problem
from practices.permissions import Actor
from practices.services import audit
from practices.services.account_fields import normalise_email
from practices.services.notify import queue, settings_of
from practices.services.sign_in import end_sessions

RESET_WINDOW_SECONDS = 15 * 60
"""One reset message per account per quarter hour, whatever the number of requests (so the
form cannot be used to flood someone's mailbox)."""


def password_fingerprint(user: User) -> str:
    """Return a short digest of the account's current password hash (changes with it)."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def request_password_reset(
    session: Session, email: str, *, language: str, hours: int, now: datetime | None = None
) -> Notification | None:
    """Queue a reset message when `email` is an active account's address; flush.

    Says nothing about whether it is (the caller shows the same page either way). Returns
    the queued row or None.
    """
    try:
        address = normalise_email(email)
    except ValueError:
        address = ""
    user = session.scalar(select(User).where(User.email == address, User.active.is_(True)))
    now = now or utcnow()
    # The same look-ups whether or not the address has an account (only the final INSERT
    # differs), so the response time tells as little as the page.
    if _sent_lately(session, "password_reset", user.id if user else 0, now) or user is None:
        return None
    row = queue(session, "password_reset", user, event=f"at{now.timestamp():.0f}",
                params={"language": language, "hours": hours})
    session.flush()
    return row


def _sent_lately(session: Session, kind: str, user_id: int, now: datetime,
                 address: str | None = None) -> bool:
    since = now - timedelta(seconds=RESET_WINDOW_SECONDS)
    stmt = select(Notification.id).where(
        Notification.kind == kind, Notification.recipient_id == user_id,
        Notification.created_at >= since,
    )  # fmt: skip
    if address is not None:
        stmt = stmt.where(Notification.to_address == address)
    return session.scalar(stmt.limit(1)) is not None


def reset_password(session: Session, user_id: int, fingerprint: str, new_password: str) -> User:
    """Set a new password from a reset link made for the password `fingerprint`; every
    session of the account ends. Flushes.

    Raises:
        Conflict: the link was used already, or the password changed since it was sent.
        ValidationError: {"new_password": ...} refused.
    """
    user = session.get(User, user_id, with_for_update=True, populate_existing=True)
    if user is None or not user.active or password_fingerprint(user) != fingerprint:
        raise Conflict(Message("this link was used already or is no longer valid; ask for a "
                               "new one"))
    if problem := password_problem(new_password):
        raise ValidationError({"new_password": problem})
    user.password_hash = hash_password(new_password)
    end_sessions(session, user)
    audit.record(session, actor=user, action="reset_password",
                 details={"user_id": user.id, "user": user.email})
    session.flush()
    return user


def request_confirmation(session: Session, user: User, *, language: str, hours: int) -> None:
    """Queue the message that confirms the account's current address (unless confirmed)."""
    settings = settings_of(session, user.id)
    now = utcnow()
    if settings.confirmed_email == user.email or _sent_lately(
            session, "confirm_email", user.id, now, user.email):
        return
    queue(session, "confirm_email", user, event=f"{user.email}:at{now.timestamp():.0f}",
          to_address=user.email, params={"language": language, "hours": hours})
    session.flush()


def confirm_email(session: Session, user_id: int, email: str) -> User:
    """Mark `email` as confirmed for the account, if it is still the account's address.

    Raises:
        Conflict: the account's address changed since the link was sent, or it is gone.
    """
    user = session.get(User, user_id)
    if user is None or user.email != email:
        raise Conflict(Message("this link confirms an address the account no longer has"))
    settings = _stored_settings(session, user.id)
    settings.confirmed_email, settings.confirmed_at = email, utcnow()
    session.flush()
    return user


def is_confirmed(session: Session, user: User) -> bool:
    """True when the account's current address was confirmed by its link."""
    return settings_of(session, user.id).confirmed_email == user.email


def update_mail_settings(
    session: Session, user: User, *, actor: Actor, muted: Iterable[str], daily_digest: bool,
    watch_themes: Iterable[str] = (), watch_countries: Iterable[str] = (),
) -> MailSettings:
    """Save what the person wants to receive; flush.

    Raises:
        PermissionDenied: the actor is not `user`.
        ValidationError: an unknown kind, theme or country.
    """
    if actor is not user:
        raise PermissionDenied(Message("only the account holder changes their e-mail settings"))
    errors: dict[str, str] = {}
    muted = _known(muted, OPTIONAL_KINDS, "muted", errors)
    themes = _known(watch_themes, tuple(vocab.THEMES), "watch_themes", errors)
    countries = _countries(watch_countries, errors)
    if errors:
        raise ValidationError(errors)
    settings = _stored_settings(session, user.id)
    settings.muted_kinds, settings.daily_digest = muted, bool(daily_digest)
    settings.watch_themes, settings.watch_countries = themes, countries
    session.flush()
    return settings


def unsubscribe(session: Session, user_id: int, kind: str) -> User | None:
    """Turn off `kind` for the account (an unsubscribe link; no sign-in needed); flush.
    Returns the account, or None when it no longer exists."""
    user = session.get(User, user_id)
    if user is None or kind not in OPTIONAL_KINDS:
        return user
    settings = _stored_settings(session, user.id)
    if kind not in (settings.muted_kinds or []):
        settings.muted_kinds = [*(settings.muted_kinds or []), kind]
    session.flush()
    return user


def _stored_settings(session: Session, user_id: int) -> MailSettings:
    settings = settings_of(session, user_id)
    if settings not in session:
        session.add(settings)
    return settings


def _known(values: Iterable[str], allowed: tuple[str, ...], field: str,
           errors: dict[str, str]) -> list[str]:
    values = list(dict.fromkeys(values))
    unknown = [v for v in values if v not in allowed]
    if unknown:
        errors[field] = Message("unknown value: %(values)s", values=", ".join(unknown))
    return [v for v in values if v in allowed]


def _countries(values: Iterable[str], errors: dict[str, str]) -> list[str]:
    found = []
    for value in dict.fromkeys(values):
        try:
            found.append(normalise_country(value))
        except ValueError as exc:
            errors["watch_countries"] = exc.args[0]
    return found
