"""The audit log: written by every transition, edit and account change; read by curators and
administrators. Entries are added to the caller's session, so they commit (or roll back)
together with the change they describe."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from practices.models import AuditEntry, Practice, User
from practices.permissions import Actor, require
from practices.services.pages import Page, paginate

AUDIT_COLUMNS = (
    "id", "at", "actor", "action", "practice_id", "revision", "from_status", "to_status",
    "note", "details",
)  # fmt: skip
"""Columns of an exported audit row, in order (CSV header)."""


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    practice: Practice | None = None,
    revision_no: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit entry to the session (flushed with the change it records)."""
    entry = AuditEntry(
        actor=actor if isinstance(actor, User) else None,
        actor_label=actor.email,
        action=action,
        practice=practice,
        revision_no=revision_no,
        from_status=from_status,
        to_status=to_status,
        note=note,
        details=details or {},
    )
    session.add(entry)
    return entry


def list_audit(
    session: Session,
    *,
    actor: Actor,
    practice_id: int | None = None,
    user_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    title: str | None = None,
    who: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[AuditEntry]:
    """Return one page of audit entries, newest first, filtered by practice, acting user,
    action and time (since <= at < until; aware datetimes), and by words of the practice's
    title (`title`) or of the actor's name or e-mail address (`who`), case aside.

    Raises:
        PermissionDenied: the actor may not browse the audit log.
        ValidationError: bad page or per_page.
    """
    require(actor, "view_audit")
    stmt = _filtered(practice_id, user_id, action, since, until, title, who)
    return paginate(session, stmt.order_by(AuditEntry.id.desc()), page, per_page)


def export_audit(
    session: Session,
    *,
    actor: Actor,
    practice_id: int | None = None,
    user_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    title: str | None = None,
    who: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield matching audit entries oldest first as rows keyed by AUDIT_COLUMNS (strings and
    numbers; `at` in ISO 8601, `details` as JSON text), ready for CSV or JSON.

    Raises:
        PermissionDenied: the actor may not export the audit log.
    """
    require(actor, "export_audit")
    stmt = _filtered(practice_id, user_id, action, since, until, title, who).order_by(
        AuditEntry.id)
    for entry in session.scalars(stmt.execution_options(yield_per=500)):
        yield _row(entry)


def _filtered(
    practice_id: int | None,
    user_id: int | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    title: str | None = None,
    who: str | None = None,
) -> Select[tuple[AuditEntry]]:
    stmt = select(AuditEntry)
    if title:
        stmt = stmt.join(Practice, Practice.id == AuditEntry.practice_id).where(
            Practice.title.ilike(_contains(title), escape="\\"))
    if who:
        stmt = stmt.outerjoin(User, User.id == AuditEntry.actor_id).where(or_(
            AuditEntry.actor_label.ilike(_contains(who), escape="\\"),
            User.name.ilike(_contains(who), escape="\\")))
    if practice_id is not None:
        stmt = stmt.where(AuditEntry.practice_id == practice_id)
    if user_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == user_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return stmt


def _contains(words: str) -> str:
    """Return a LIKE pattern matching `words` anywhere (its own % and _ taken literally)."""
    escaped = words.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "action": entry.action,
        "practice_id": entry.practice_id,
        "revision": entry.revision_no,
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "note": entry.note,
        "details": json.dumps(_exported(entry.details), ensure_ascii=False, sort_keys=True),
    }


def _exported(details: dict[str, Any]) -> dict[str, Any]:
    # A request for changes keeps the whole content it was made on, for the reviewers' diff
    # (transitions.REQUESTED_CONTENT); the exported log names the entry, not the text.
    return {k: v for k, v in details.items() if k != "content"}
