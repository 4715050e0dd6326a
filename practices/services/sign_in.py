"""Signing in and out: password checks, session identities, password changes.

Rate limiting, session renewal and CSRF belong to the web layer; this module gives it the
facts: whether a password is right (in about constant time), and a session identity
(User.get_id(), "<id>:<session_version>") that stops working when the user signs out.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices.errors import PermissionDenied, ValidationError
from practices.i18n import Message
from practices.models import User, utcnow
from practices.passwords import hash_password, needs_rehash, password_problem, verify_password
from practices.permissions import Actor
from practices.services import audit
from practices.services.account_fields import normalise_email


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user with this address and password, or None.

    An unknown address costs the same Argon2 verification as a wrong password, so response
    times do not reveal which addresses have accounts. On success, last_login_at is stamped
    and a hash made with outdated parameters is replaced (the caller commits).
    """
    try:
        address = normalise_email(email)
    except ValueError:
        address = None
    user = session.scalar(select(User).where(User.email == address)) if address else None
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def load_user(session: Session, session_id: str) -> User | None:
    """Return the user a session identity (User.get_id()) belongs to, or None when the
    identity is malformed, the account is inactive, or its sessions were ended since."""
    user_id, _, version = (session_id or "").partition(":")
    if not (user_id.isdecimal() and version.isdecimal()):
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(session: Session, user: User) -> None:
    """End every session of `user` (sign-out): their current identity stops loading."""
    user.session_version += 1


def change_password(
    session: Session, user: User, *, current_password: str, new_password: str, actor: Actor
) -> User:
    """Change one's own password; every session of the account ends (sign in again).

    Raises:
        PermissionDenied: the actor is not `user`.
        ValidationError: {"current_password": ...} wrong, or {"new_password": ...} refused.
    """
    if actor is not user:
        raise PermissionDenied(Message("only the account holder changes their password this way"))
    if not verify_password(user.password_hash, current_password):
        raise ValidationError({"current_password": Message("is not your current password")})
    if problem := password_problem(new_password):
        raise ValidationError({"new_password": problem})
    user.password_hash = hash_password(new_password)
    end_sessions(session, user)
    audit.record(
        session, actor=actor, action="change_password",
        details={"user_id": user.id, "user": user.email},
    )  # fmt: skip
    session.flush()
    return user
