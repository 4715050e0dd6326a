"""Who is told what: notification rows written into the outbox in the caller's transaction.

The kinds and their audiences are one table, practices.notifications.KINDS; this module
finds the recipients of an event and adds one practices.models.Notification each, keyed by
event and recipient (the same event never queues a message twice). Nothing is sent here:
app/mail delivers after the commit.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from practices.models import (
    AuditEntry,
    Delivery,
    MailSettings,
    Notification,
    Practice,
    ReviewComment,
    User,
    utcnow,
)
from practices.notifications import ACTION_KINDS, KINDS, Audience
from practices.permissions import Actor, require
from practices.roles import Role
from practices.workflow import Status


def settings_of(session: Session, user_id: int) -> MailSettings:
    """Return the person's mail settings (a new row with the defaults, not yet added)."""
    return session.get(MailSettings, user_id) or MailSettings(
        user_id=user_id, muted_kinds=[], daily_digest=False, watch_themes=[],
        watch_countries=[],
    )  # fmt: skip


def queue(
    session: Session,
    kind: str,
    recipient: User,
    *,
    event: str,
    practice: Practice | None = None,
    params: dict[str, Any] | None = None,
    to_address: str | None = None,
) -> Notification | None:
    """Add the message `kind` for `recipient` about `event` to the outbox, unless they
    turned that kind off or it is already queued; held for the daily digest when the
    recipient chose one. Returns the row, or None when nothing was added.

    Raises:
        KeyError: `kind` is not in KINDS (a programming error).
    """
    spec = KINDS[kind]
    settings = settings_of(session, recipient.id)
    if spec.optional and kind in (settings.muted_kinds or []):
        return None
    key = f"{kind}:{event}:{recipient.id}"
    if session.scalar(select(Notification.id).where(Notification.key == key)) is not None:
        return None
    held = spec.digestible and settings.daily_digest
    row = Notification(
        key=key, kind=kind, recipient=recipient, practice_id=practice.id if practice else None,
        params=dict(params or {}), to_address=to_address, attempts=0, next_attempt_at=utcnow(),
        status=Delivery.HELD if held else Delivery.PENDING, last_error="", subject="",
    )  # fmt: skip
    session.add(row)
    return row


def after_move(
    session: Session, practice: Practice, action: str, source: str, *, actor: Actor,
    note: str, entry: AuditEntry, on_revision: bool = False,
) -> list[Notification]:
    """Queue what a workflow move tells people (called by transitions.carry_out).

    The school hears of requests for changes, publication, declines, promotion and flags;
    the country's National Coordinators of submissions (a second one after changes is a
    resubmission); watching curators of first publications (not of a published edit:
    `on_revision`).
    """
    session.flush()  # the audit entry's id is the event's
    event = f"audit{entry.id}"
    params = _params(practice, actor, note)
    kinds = []
    if action in ACTION_KINDS:
        kinds.append(ACTION_KINDS[action])
    if action == "submit":
        kinds.append("resubmitted" if source == Status.CHANGES_REQUESTED else "submitted")
    if action == "publish" and not on_revision:
        kinds.append("watch_published")
    return [row for kind in kinds
            for row in _tell(session, kind, practice, actor, event=event, params=params)]


def after_comment(session: Session, comment: ReviewComment, *, actor: Actor) -> list[Notification]:
    """Queue the "comment" message for the practice's school (not for its author)."""
    session.flush()
    params = _params(comment.practice, actor, comment.body)
    return _tell(session, "comment", comment.practice, actor, event=f"comment{comment.id}",
                 params=params)


def after_adaptation(session: Session, practice: Practice, original: Practice, *,
                     actor: Actor) -> list[Notification]:
    """Queue the "adapted" message for the original practice's school: another school says
    its `practice` adapts `original` (practices.monitoring.uptake)."""
    session.flush()
    school = practice.institution
    params = {**_params(original, actor, ""), "adaptation": practice.title,
              "school": school.name if school else "", "country": practice.country or ""}
    return _tell(session, "adapted", original, actor,
                 event=f"adaptation{practice.id}:{original.id}", params=params)


def _tell(session: Session, kind: str, practice: Practice, actor: Actor, *, event: str,
          params: dict[str, Any]) -> list[Notification]:
    find = _RECIPIENTS[KINDS[kind].audience]
    rows = [queue(session, kind, user, event=event, practice=practice, params=params)
            for user in find(session, practice, actor)]
    return [row for row in rows if row is not None]


def _params(practice: Practice, actor: Actor, note: str) -> dict[str, Any]:
    pending = practice.pending_revision
    title = pending.title if pending is not None else practice.title
    name = (getattr(actor, "name", "") or actor.email) if isinstance(actor, User) else ""
    return {"title": title, "note": note, "actor": name or "Practice Exchange"}


def _school(session: Session, practice: Practice, actor: Actor) -> Sequence[User]:
    if practice.institution_id is None:
        return []
    stmt = select(User).where(
        User.role == Role.SCHOOL_EDITOR, User.institution_id == practice.institution_id,
        User.active.is_(True),
    ).order_by(User.id)  # fmt: skip
    return _not_actor(session.scalars(stmt), actor)


def _coordinators(session: Session, practice: Practice, actor: Actor) -> Sequence[User]:
    country = practice.institution.country if practice.institution else practice.country
    if not country:
        return []
    stmt = select(User).where(
        User.role == Role.NATIONAL_COORDINATOR, User.country == country, User.active.is_(True),
        or_(User.institution_id.is_(None), User.institution_id != practice.institution_id),
    ).order_by(User.id)  # fmt: skip
    return _not_actor(session.scalars(stmt), actor)


def _watching_curators(session: Session, practice: Practice, actor: Actor) -> Sequence[User]:
    stmt = (
        select(User, MailSettings)
        .join(MailSettings, MailSettings.user_id == User.id)
        .where(User.role == Role.CURATOR, User.active.is_(True))
        .order_by(User.id)
    )
    country = practice.institution.country if practice.institution else practice.country
    themes = set(practice.themes)
    fits = [user for user, settings in session.execute(stmt)
            if _watch_fits(settings, themes, country)]
    return _not_actor(fits, actor)


def _watch_fits(settings: MailSettings, themes: set[str], country: str | None) -> bool:
    wanted_themes = set(settings.watch_themes or [])
    wanted_countries = set(settings.watch_countries or [])
    if not wanted_themes and not wanted_countries:
        return False
    return ((not wanted_themes or bool(wanted_themes & themes))
            and (not wanted_countries or country in wanted_countries))


def _not_actor(users: Iterable[User], actor: Actor) -> list[User]:
    return [user for user in users if user is not actor and user.id != getattr(actor, "id", -1)]


_RECIPIENTS = {
    Audience.SCHOOL: _school,
    Audience.COORDINATOR: _coordinators,
    Audience.WATCHING_CURATOR: _watching_curators,
}


def recent_outbox(session: Session, *, actor: Actor, limit: int = 200) -> list[Notification]:
    """Return the latest outbox rows, newest first (the administrators' outbox page).

    Raises:
        PermissionDenied: the actor may not manage accounts.
    """
    require(actor, "manage_users")
    stmt = select(Notification).order_by(Notification.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def held_for_digest(session: Session) -> dict[int, list[Notification]]:
    """Return the messages held for daily digests, by recipient id, oldest first."""
    stmt = (select(Notification).where(Notification.status == Delivery.HELD)
            .order_by(Notification.id))
    held: dict[int, list[Notification]] = {}
    for row in session.scalars(stmt):
        held.setdefault(row.recipient_id, []).append(row)
    return held


def make_digests(session: Session, *, now: datetime | None = None) -> list[Notification]:
    """Gather each recipient's held messages into one "review_digest" message; flush.

    The held rows become `digested` (pointing at their digest), so running it twice sends
    nothing twice. Returns the digests queued.
    """
    now = now or utcnow()
    made = []
    for rows in held_for_digest(session).values():
        items = [{"title": r.params.get("title", ""), "practice_id": r.practice_id,
                  "kind": r.kind} for r in rows]
        digest = Notification(
            key=f"review_digest:upto{rows[-1].id}:{rows[0].recipient_id}",
            kind="review_digest", recipient_id=rows[0].recipient_id,
            params={"count": len(items), "items": items}, status=Delivery.PENDING,
            attempts=0, next_attempt_at=now, last_error="", subject="",
        )  # fmt: skip
        session.add(digest)
        session.flush()
        for row in rows:
            row.status, row.digest_id = Delivery.DIGESTED, digest.id
        made.append(digest)
    session.flush()
    return made
