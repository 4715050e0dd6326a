"""User accounts: creation (CLI or administrator), roles and their scope, listing, editing.

Account changes write audit entries (action create_user, set_role, set_active, set_password,
update_profile) with the user in `details`; passwords never appear there.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practices.errors import Conflict, NotFound, ValidationError
from practices.i18n import Message
from practices.models import User
from practices.names import fold
from practices.passwords import hash_password, password_problem
from practices.permissions import Actor, require
from practices.roles import Role
from practices.services import audit
from practices.services.account_fields import (
    check_email,
    check_role,
    check_scope,
    clean_name,
)
from practices.services.locking import lock_row
from practices.services.pages import Page, paginate


def create_user(
    session: Session,
    email: str,
    role: str,
    *,
    password: str,
    name: str = "",
    institution_id: int | None = None,
    country: str | None = None,
    actor: Actor,
) -> User:
    """Create an account (the CLI acts as the system; the web as an administrator); flush.

    Scope by role: a school editor needs `institution_id`; a National Coordinator needs
    `country` and may name an affiliated institution of that country; a curator may name an
    affiliated institution; an administrator has neither.

    Raises:
        PermissionDenied: the actor may not manage users.
        ValidationError: {field: message} for a bad address, role, scope or password, or an
            address already registered.
    """
    require(actor, "manage_users")
    errors: dict[str, str] = {}
    clean_email = check_email(session, email, errors)
    clean_role = check_role(role, errors)
    institution, cc = check_scope(session, clean_role, institution_id, country, errors)
    if problem := password_problem(password):
        errors["password"] = problem
    if errors or clean_role is None:
        raise ValidationError(errors)
    user = User(
        email=clean_email, name=clean_name(name), password_hash=hash_password(password),
        role=clean_role, institution=institution, country=cc,
    )  # fmt: skip
    session.add(user)
    session.flush()
    _audit(session, actor, "create_user", user, to_status=user.role)
    return user


def get_user(session: Session, user_id: int, *, actor: Actor) -> User:
    """Return an account, for an administrator (or the account itself).

    Raises:
        NotFound: no such user. PermissionDenied: someone else's, and not an administrator.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(Message("user %(id)s does not exist", id=user_id))
    if actor is not user:
        require(actor, "manage_users")
    return user


def list_users(
    session: Session,
    *,
    actor: Actor,
    role: str | None = None,
    query: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[User]:
    """Return accounts by e-mail address, filtered by role and by text in address or name
    (any case, any Unicode spelling: "zoe\u0308" finds "ZOË").

    Raises:
        PermissionDenied: the actor is not an administrator.
    """
    require(actor, "manage_users")
    stmt = select(User).order_by(User.email)
    if role:
        stmt = stmt.where(User.role == role)
    if query and query.strip():
        # Compared folded (practices/names.py): non-ASCII names on SQLite, decomposed ones on
        # both engines; % and _ typed in the box are letters, not wildcards.
        wanted = fold(" ".join(query.split()))
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(User.search_key.like(f"%{escaped}%", escape="\\"))
    return paginate(session, stmt, page, per_page)


def set_role(
    session: Session,
    user_id: int,
    role: str,
    *,
    actor: Actor,
    institution_id: int | None = None,
    country: str | None = None,
) -> User:
    """Give an account a role with its scope (as in create_user); its sessions end.

    Raises:
        NotFound, PermissionDenied: as get_user (administrators only).
        ValidationError: bad role or scope. Conflict: it is the last active administrator.
    """
    user = _managed(session, user_id, actor)
    errors: dict[str, str] = {}
    clean_role = check_role(role, errors)
    institution, cc = check_scope(session, clean_role, institution_id, country, errors)
    if errors or clean_role is None:
        raise ValidationError(errors)
    if clean_role != Role.ADMINISTRATOR:
        _keep_an_administrator(session, user)
    before = user.role
    user.role, user.institution, user.country = clean_role, institution, cc
    user.session_version += 1  # privileges changed: sign in again
    _audit(session, actor, "set_role", user, from_status=before, to_status=user.role)
    session.flush()
    return user


def set_active(session: Session, user_id: int, active: bool, *, actor: Actor) -> User:
    """Activate or deactivate an account; deactivation ends its sessions and API use.

    Raises:
        NotFound, PermissionDenied: as get_user (administrators only).
        Conflict: deactivating the last active administrator.
    """
    user = _managed(session, user_id, actor)
    if user.active == active:
        return user
    if not active:
        _keep_an_administrator(session, user)
        user.session_version += 1
    user.active = active
    _audit(session, actor, "set_active", user, to_status="active" if active else "inactive")
    session.flush()
    return user


def set_password(session: Session, user_id: int, password: str, *, actor: Actor) -> User:
    """Set an account's password (an administrator's reset); its sessions end.

    Raises:
        NotFound, PermissionDenied: as get_user. ValidationError: {"password": ...}.
    """
    user = _managed(session, user_id, actor)
    if problem := password_problem(password):
        raise ValidationError({"password": problem})
    user.password_hash = hash_password(password)
    user.session_version += 1
    _audit(session, actor, "set_password", user)
    session.flush()
    return user


def update_profile(
    session: Session, user_id: int, *, actor: Actor, name: str, email: str
) -> User:
    """Change an account's name and address (the account itself, or an administrator).

    Raises:
        NotFound, PermissionDenied: as get_user. ValidationError: bad or taken address.
    """
    lock_row(session, User, user_id)
    user = get_user(session, user_id, actor=actor)
    errors: dict[str, str] = {}
    wanted = {"name": clean_name(name), "email": check_email(session, email, errors, user)}
    if errors:
        raise ValidationError(errors)
    changed = {k: v for k, v in wanted.items() if getattr(user, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(user, key, value)
        _audit(session, actor, "update_profile", user, fields=sorted(changed))
        session.flush()
    return user


def _managed(session: Session, user_id: int, actor: Actor) -> User:
    require(actor, "manage_users")
    lock_row(session, User, user_id)  # then get_user finds it in the session, read under it
    return get_user(session, user_id, actor=actor)


def _keep_an_administrator(session: Session, user: User) -> None:
    if user.role != Role.ADMINISTRATOR or not user.active:
        return
    others = session.scalar(
        select(func.count()).where(
            User.role == Role.ADMINISTRATOR, User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise Conflict(Message("%(email)s is the last active administrator; appoint another "
                                "first", email=user.email))


def _audit(session: Session, actor: Actor, action: str, user: User, **kwargs: Any) -> None:
    fields = kwargs.pop("fields", None)
    details: dict[str, Any] = {"user_id": user.id, "user": user.email}
    if fields:
        details["fields"] = fields
    if action in ("create_user", "set_role"):
        details.update(institution_id=user.institution_id, country=user.country)
    audit.record(session, actor=actor, action=action, details=details, **kwargs)
