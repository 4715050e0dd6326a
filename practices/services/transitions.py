"""Moving practices (and pending revisions) through the workflow, with permission checks,
stale-form detection and an audit entry in the same transaction.

A move is planned first (permission, state, membership: nothing is changed when any check
fails), then carried out. Curation (practices.services.curation) plans the same way and adds
its dossier or policy note between the two steps.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from practices import workflow
from practices.errors import Conflict, InvalidTransition, ValidationError, no_practice
from practices.i18n import Message
from practices.models import Practice, PracticeRevision, ReviewComment, User, utcnow
from practices.permissions import Actor, require
from practices.services import audit, notify
from practices.services.content import revision_content, revision_data, show_revision
from practices.services.locking import lock_row
from practices.validation import require_complete, require_substance
from practices.visibility import publish_blocker
from practices.workflow import OPEN_STATUSES, TRANSITIONS, Status

MAX_NOTE = 5_000
REQUESTED_CONTENT = "content"
"""Key of a request_changes audit entry's details holding the revision's content (as
practices.services.content.revision_content gives it) when changes were requested."""
# Actions that need more than a note: they have their own services.
_WITH_DATA = {"promote": "promote()", "flag_for_policy": "flag_for_policy()"}


@dataclass(frozen=True)
class Move:
    """A checked transition: what it applies to (the practice, or a pending revision)."""

    action: str
    revision: PracticeRevision | None
    source: str
    target: Status


def transition(
    session: Session,
    practice_id: int,
    action: str,
    *,
    actor: Actor,
    note: str = "",
    expected_status: str | None = None,
) -> Practice:
    """Take workflow action `action` on a practice (or on its pending revision) and flush.
    Committing also stores the search vectors of changed text (see practices.services).

    Args:
        note: shown to the school in the conversation thread; required by request_changes
            and decline.
        expected_status: the status the actor's form was made for (Practice.review_status);
            a mismatch means the form is stale or was sent twice.

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor may not take this action on this practice.
        Conflict: expected_status is not the current status; or publishing a practice whose
            institution is not a certified member.
        InvalidTransition: the action is not allowed from the current status.
        ValidationError: a needed note is missing or too long; promote/flag_for_policy need
            their own services; submitting an incomplete draft ({field: "is required"}) or a
            near-empty practice ({"body": ...}, validation.require_substance).
    """
    if action in _WITH_DATA:
        raise ValidationError({"": Message("%(action)s needs its data: use %(service)s",
                                            action=action, service=_WITH_DATA[action])})
    practice = load_for_update(session, practice_id)
    move = plan(practice, action, actor=actor, expected_status=expected_status)
    carry_out(session, practice, move, actor=actor, note=check_note(action, note))
    session.flush()
    return practice


def submit(session: Session, practice_id: int, *, actor: Actor) -> Practice:
    """Send a draft for review (action "submit"); see transition() for errors."""
    return transition(session, practice_id, "submit", actor=actor)


def publish(session: Session, practice_id: int, *, actor: Actor) -> Practice:
    """Make a submitted practice public (action "publish"); see transition() for errors."""
    return transition(session, practice_id, "publish", actor=actor)


def load_for_update(session: Session, practice_id: int) -> Practice:
    """Return the practice, locked until the transaction ends (practices.services.locking:
    a row lock on PostgreSQL, the write lock on SQLite) and read under the lock, so two
    people acting at once are serialised and the second sees what the first did.

    Raises:
        NotFound: no such practice.
    """
    practice = lock_row(session, Practice, practice_id)
    if practice is None:
        raise no_practice(practice_id)
    return practice


def plan(
    practice: Practice, action: str, *, actor: Actor, expected_status: str | None = None
) -> Move:
    """Check that `actor` may take `action` now; change nothing.

    Raises:
        InvalidTransition, PermissionDenied, Conflict: as for transition().
        ValidationError: submitting content that misses what a submitted practice needs
            (practices.validation.require_complete: {field: "is required"} for each).
    """
    if action not in TRANSITIONS:
        raise InvalidTransition(action, practice.status)
    require(actor, action, practice)
    pending = practice.pending_revision
    on_revision = workflow.applies_to_revision(practice.status, pending is not None, action)
    revision = pending if on_revision else None
    source = revision.status if revision is not None else practice.status
    if expected_status is not None and expected_status != source:
        raise Conflict(Message(
            "this practice is now %(status)s, not %(expected)s: it changed since the page was "
            "loaded (or the form was sent twice); reload to see its current state",
            status=source, expected=expected_status))
    target = workflow.apply(source, action)
    if action == "submit":  # an incomplete or near-empty practice is neither reviewed nor found
        require_complete(revision_data(revision or practice.current_revision))
        require_substance(revision if revision is not None else practice)
    if action == "publish" and (blocker := publish_blocker(practice)):
        raise Conflict(blocker)
    return Move(action, revision, source, target)


def check_note(action: str, note: str) -> str:
    """Return the trimmed note, checked against the action's needs.

    Raises:
        ValidationError: {"note": ...} when missing for an action that needs one, or too long.
    """
    note = (note or "").strip()
    if TRANSITIONS[action].needs_note and not note:
        raise ValidationError({"note": Message("say what the school should know (it is sent to "
                                                "them)")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": Message("is %(length)d characters long; the limit is "
                                                "%(limit)d", length=len(note), limit=MAX_NOTE)})
    return note


def carry_out(
    session: Session,
    practice: Practice,
    move: Move,
    *,
    actor: Actor,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Apply a planned move, write its audit entry and post its note to the thread.

    A request for changes keeps the content it was made on in its audit entry's details
    (REQUESTED_CONTENT; see revisions.content_when_changes_requested)."""
    if move.action == "request_changes":
        # What the reviewer asked changes of, so the resubmission can show what changed since.
        asked_of = move.revision or practice.current_revision
        details = {**(details or {}), REQUESTED_CONTENT: revision_content(asked_of)}
    if move.revision is not None:
        _move_revision(practice, move.revision, move.target)
        revision_no = move.revision.number
    else:
        _move_practice(practice, move.target)
        revision_no = practice.current_revision_no
    entry = audit.record(
        session, actor=actor, action=move.action, practice=practice, revision_no=revision_no,
        from_status=move.source, to_status=move.target, note=note, details=details,
    )  # fmt: skip
    if note and isinstance(actor, User):
        session.add(
            ReviewComment(
                practice=practice, revision_no=revision_no, author=actor, body=note,
                action=move.action,
            )  # fmt: skip
        )
    if move.action == "archive":
        _close_pending(session, practice, actor)
    # The e-mails it causes go into the outbox in the same transaction (sent after commit).
    notify.after_move(session, practice, move.action, move.source, actor=actor, note=note,
                      entry=entry, on_revision=move.revision is not None)


def _move_practice(practice: Practice, target: Status) -> None:
    practice.status = target
    if target == Status.PUBLISHED and practice.published_at is None:
        practice.published_at = utcnow()
    current = practice.current_revision
    # Until first published, revision 1 goes through review with the practice.
    if current.status in OPEN_STATUSES:
        _stamp(current, target)


def _move_revision(practice: Practice, revision: PracticeRevision, target: Status) -> None:
    _stamp(revision, target)
    if target == Status.PUBLISHED:
        show_revision(practice, revision)
        practice.updated_at = revision.decided_at or utcnow()


def _stamp(revision: PracticeRevision, target: Status) -> None:
    now = utcnow()
    revision.status = target
    revision.updated_at = now
    if target == Status.SUBMITTED:
        revision.submitted_at = now
    elif target in (Status.PUBLISHED, Status.DECLINED):
        revision.decided_at = now


def _close_pending(session: Session, practice: Practice, actor: Actor) -> None:
    # An archived practice has no public version left to update: its pending edit is moot.
    pending = practice.pending_revision
    if pending is None:
        return
    source = pending.status
    _stamp(pending, Status.DECLINED)
    audit.record(
        session, actor=actor, action="decline", practice=practice, revision_no=pending.number,
        from_status=source, to_status=Status.DECLINED,
        note="closed without review: the practice was archived",
    )  # fmt: skip
