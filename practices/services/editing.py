"""Creating practices and writing their content as the system (CLI, import) or a school.

Every new practice gets revision 1 and an audit entry; a content change writes an audit entry
naming the changed fields. Schools edit through practices.services.revisions, which routes
edits of public practices into a pending revision.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices.errors import Conflict
from practices.i18n import Message
from practices.models import Institution, Practice, PracticeRevision, User, utcnow
from practices.permissions import Actor, require
from practices.services import audit
from practices.services.content import CONTENT_FIELDS, content_of, revision_content, write_revision
from practices.services.institutions import Institutions
from practices.services.mapping import fill, same_content
from practices.services.queries import get_practice
from practices.validation import PracticeData
from practices.visibility import membership_blocker
from practices.workflow import Status

# Statuses a practice may be created in; any later status is reached through transitions.
CREATION_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED})


def create_practice(
    session: Session, data: PracticeData, *, actor: Actor, status: Status = Status.SUBMITTED
) -> Practice:
    """Add a practice as the system (CLI, import): institution found or created from
    `data`, body rendered, revision 1 and an audit entry by "system" written; flushes.
    Only the system may ("transfer"): a school writing for itself uses revisions.create_draft.
    Committing also stores the search vectors of changed text (see practices.services).

    Args:
        status: draft, submitted or published; published also stamps published_at.

    Raises:
        PermissionDenied: the actor is not the system.
        Conflict: another practice already has data.external_id, or a published practice's
            institution is not a certified member.
    """
    require(actor, "transfer")
    require_free_external_id(session, data.external_id)
    institution = _institution(session, data)
    practice = add_practice(session, data, institution, status=status, actor=actor)
    session.flush()
    return practice


def add_practice(
    session: Session,
    data: PracticeData,
    institution: Institution | None,
    *,
    status: Status,
    actor: Actor,
    note: str = "",
) -> Practice:
    """Add a new practice with revision 1 and its audit entry; no query, no flush.

    Raises:
        ValueError: `status` is not one of CREATION_STATUSES (a programming error).
        Conflict: a published practice's institution is not a certified member.
    """
    if status not in CREATION_STATUSES:
        raise ValueError(f"practices are created draft, submitted or published, not {status}")
    if status == Status.PUBLISHED and (blocker := membership_blocker(institution)):
        raise Conflict(blocker)
    now = utcnow()
    practice = Practice(status=status, published_at=now if status == Status.PUBLISHED else None)
    fill(practice, data, institution)
    revision = PracticeRevision(number=1, status=status, author=_user(actor), created_at=now)
    revision.submitted_at = now if status == Status.SUBMITTED else None
    revision.decided_at = now if status == Status.PUBLISHED else None
    write_revision(revision, data, practice.body_html)
    practice.revisions.append(revision)
    session.add(practice)
    audit.record(
        session, actor=actor, action="create", practice=practice, revision_no=1,
        to_status=status, note=note,
    )  # fmt: skip
    return practice


def update_practice(
    session: Session, practice_id: int, data: PracticeData, *, actor: Actor
) -> Practice:
    """Replace a practice's content as the system (see write_content); its status does not
    change. updated_at moves only when something actually changed (tags included).
    Only the system may ("transfer"): a school's edits go through revisions.edit_practice.
    Committing also stores the search vectors of changed text (see practices.services).

    Raises:
        PermissionDenied: the actor is not the system.
        NotFound: no such practice.
        Conflict: data.external_id belongs to another practice.
    """
    require(actor, "transfer")
    practice = get_practice(session, practice_id)
    if data.external_id not in (None, practice.external_id):
        require_free_external_id(session, data.external_id)
    write_content(session, practice, data, _institution(session, data), actor=actor)
    session.flush()
    return practice


def write_content(
    session: Session,
    practice: Practice,
    data: PracticeData,
    institution: Institution | None,
    *,
    actor: Actor,
    note: str = "",
    files_changed: bool = False,
) -> bool:
    """Write `data` onto a practice with the system's authority; no query, no flush.

    Content not yet published is changed in place; published content is kept in history and
    the new content becomes a new, published revision (the system needs no review).

    Args:
        files_changed: the caller changes the files too (an import: "attachments"), which
            counts as a change of the published content; the caller writes the files onto
            practice.current_revision_no afterwards.

    Returns:
        Whether anything changed (nothing is written, not even an audit entry, otherwise).
    """
    if not files_changed and same_content(practice, data, institution):
        return False
    current, now = practice.current_revision, utcnow()
    wanted = content_of(data)
    changed = [n for n in CONTENT_FIELDS if revision_content(current)[n] != wanted[n]]
    if files_changed:
        changed.append("attachments")
    if practice.institution is not institution:
        changed.append("institution")
    if data.external_id not in (None, practice.external_id):
        changed.append("external_id")
    revision = current
    versioned = {*CONTENT_FIELDS, "attachments"}
    if set(changed) & versioned and current.status == Status.PUBLISHED:
        revision = PracticeRevision(
            number=next_revision_no(practice), status=Status.PUBLISHED, decided_at=now,
            author=_user(actor), created_at=now,
        )  # fmt: skip
        practice.revisions.append(revision)
    fill(practice, data, institution)
    if write_revision(revision, data, practice.body_html):
        revision.updated_at = now
    practice.current_revision_no, practice.updated_at = revision.number, now
    audit.record(
        session, actor=actor, action="edit", practice=practice, revision_no=revision.number,
        from_status=practice.status, to_status=practice.status, note=note,
        details={"fields": changed},
    )  # fmt: skip
    return True


def next_revision_no(practice: Practice) -> int:
    """Return the number the practice's next revision gets."""
    return max((r.number for r in practice.revisions), default=0) + 1


def require_free_external_id(session: Session, external_id: str | None) -> None:
    """Raise Conflict if another practice already has `external_id`."""
    if external_id is None:
        return
    taken = session.scalar(select(Practice.id).where(Practice.external_id == external_id))
    if taken is not None:
        raise Conflict(Message("practice %(id)s already has external_id %(external_id)r",
                                id=taken, external_id=external_id))


def _institution(session: Session, data: PracticeData) -> Institution | None:
    return Institutions(session).resolve(data.institution) if data.institution else None


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None

