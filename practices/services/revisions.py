"""What schools write: new drafts, edits (in place, or as a pending revision of a public
practice), and the revision history reviewers and schools read."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices.errors import Conflict, InvalidTransition, NotFound, no_practice
from practices.i18n import Message
from practices.models import AuditEntry, Practice, PracticeRevision, User, utcnow
from practices.permissions import Actor, can, may_see_revision, require
from practices.services import audit
from practices.services.attachments import copy_files
from practices.services.content import (
    CONTENT_FIELDS,
    content_of,
    revision_content,
    show_revision,
    write_revision,
)
from practices.services.editing import add_practice, next_revision_no, require_free_external_id
from practices.services.transitions import REQUESTED_CONTENT, load_for_update
from practices.validation import PracticeData
from practices.visibility import is_editable
from practices.workflow import PUBLIC_STATUSES, Status


def create_draft(session: Session, data: PracticeData, *, actor: Actor) -> Practice:
    """Start a practice of the actor's institution as a draft (revision 1); flush.
    Committing also stores the search vectors of changed text (see practices.services).

    data.institution is ignored (a school writes for its own institution); a missing
    country becomes the institution's.

    Raises:
        PermissionDenied: the actor is not a school editor with an institution.
        Conflict: data.external_id belongs to another practice.
    """
    require(actor, "create")
    institution = actor.institution  # type: ignore[union-attr]
    data = replace(data, institution=None, country=data.country or institution.country)
    require_free_external_id(session, data.external_id)
    practice = add_practice(session, data, institution, status=Status.DRAFT, actor=actor)
    session.flush()
    return practice


def edit_practice(
    session: Session, practice_id: int, data: PracticeData, *, actor: Actor
) -> PracticeRevision:
    """Save the school's new content and return the revision that holds it; flush.
    Committing also stores the search vectors of changed text (see practices.services).

    A draft, or a practice with changes requested, is changed in place. A public practice
    keeps its public version online: the edit goes into its pending revision, opened here if
    there is none, which is then submitted and reviewed like a first submission.
    data.institution and data.external_id are ignored. Saving unchanged content writes nothing.

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor may not edit this practice.
        InvalidTransition: the practice is not editable in its status (submitted, withdrawn...).
        Conflict: the pending revision is under review.
    """
    practice = load_for_update(session, practice_id)
    require(actor, "edit", practice)
    if not is_editable(practice):
        raise _not_editable(practice)
    data = replace(data, institution=None, external_id=None)
    if data.country is None and practice.institution is not None:
        data = replace(data, country=practice.institution.country)
    public = practice.status in PUBLIC_STATUSES
    if public and practice.pending_revision is None:
        return _open_revision(session, practice, data, actor)
    revision = practice.pending_revision if public else practice.current_revision
    assert revision is not None  # is_editable guarantees one
    changed = write_revision(revision, data)
    if changed:
        _record_edit(session, practice, revision, changed, actor, opened=False)
    return revision


def _open_revision(
    session: Session, practice: Practice, data: PracticeData, actor: Actor
) -> PracticeRevision:
    current = practice.current_revision
    wanted = content_of(data)
    changed = [n for n in CONTENT_FIELDS if revision_content(current)[n] != wanted[n]]
    if not changed:
        return current
    revision = PracticeRevision(number=next_revision_no(practice), status=Status.DRAFT)
    revision.author = actor if isinstance(actor, User) else None
    write_revision(revision, data)
    practice.revisions.append(revision)
    session.flush()
    copy_files(session, practice.id, current.number, revision.number)
    _record_edit(session, practice, revision, changed, actor, opened=True)
    return revision


def _record_edit(
    session: Session,
    practice: Practice,
    revision: PracticeRevision,
    changed: list[str],
    actor: Actor,
    *,
    opened: bool,
) -> None:
    revision.updated_at = utcnow()
    if revision.number == practice.current_revision_no:
        show_revision(practice, revision)
    audit.record(
        session, actor=actor, action="edit", practice=practice, revision_no=revision.number,
        from_status=revision.status, to_status=revision.status,
        details={"fields": changed, "new_revision": opened},
    )  # fmt: skip
    session.flush()


def _not_editable(practice: Practice) -> Exception:
    pending = practice.pending_revision
    if practice.status in PUBLIC_STATUSES and pending is not None:
        return Conflict(Message(
            "revision %(number)d of this practice is under review; it can be edited again if "
            "the reviewer requests changes, or withdrawn", number=pending.number))
    return InvalidTransition("edit", practice.status)


def find_own_practice(session: Session, external_id: str, *, actor: Actor) -> Practice | None:
    """Return the practice with this external id if it is one of the actor's institution's
    (e.g. the one a form sent twice created the first time), else None."""
    institution_id = getattr(actor, "institution_id", None)
    if not external_id or institution_id is None:
        return None
    return session.scalars(select(Practice).where(
        Practice.external_id == external_id, Practice.institution_id == institution_id)).first()


def view_practice(session: Session, practice_id: int, *, actor: Actor) -> Practice:
    """Return the practice if the public may see it or the actor may see it under review.

    Raises:
        NotFound: no such practice, or one the actor may not see (indistinguishable).
    """
    practice = session.get(Practice, practice_id)
    if practice is None or not (practice.is_public or can(actor, "view", practice)):
        raise no_practice(practice_id)
    return practice


def list_revisions(session: Session, practice_id: int, *, actor: Actor) -> list[PracticeRevision]:
    """Return the revisions of a practice the actor may see, oldest first (the revision
    history): all of them for its school; for reviewers, not a pending edit the school has
    not submitted yet (practices.permissions.may_see_revision).

    Raises:
        NotFound: no such practice, or a draft the actor may not see (indistinguishable).
        PermissionDenied: the actor may not see this practice under review.
    """
    practice = view_practice(session, practice_id, actor=actor)
    require(actor, "view", practice)
    return [r for r in practice.revisions if may_see_revision(actor, r)]


def get_revision(
    session: Session, practice_id: int, number: int, *, actor: Actor
) -> PracticeRevision:
    """Return revision `number` of a practice.

    Raises:
        NotFound: no such practice or revision.
        PermissionDenied: the actor may not see this practice under review.
    """
    for revision in list_revisions(session, practice_id, actor=actor):
        if revision.number == number:
            return revision
    raise NotFound(Message("practice %(id)s has no revision %(number)s", id=practice_id,
                           number=number))


def content_when_changes_requested(
    session: Session, practice_id: int, revision_no: int
) -> dict[str, Any] | None:
    """Return the content revision `revision_no` of a practice held when changes were last
    requested on it (keyed by practices.services.content.CONTENT_FIELDS), or None when no
    change was ever requested on it (or the request predates these snapshots). The caller
    has already checked that the actor may see the revision."""
    details = session.scalars(
        select(AuditEntry.details)
        .where(AuditEntry.practice_id == practice_id, AuditEntry.revision_no == revision_no,
               AuditEntry.action == "request_changes")
        .order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return (details or {}).get(REQUESTED_CONTENT)
