"""The conversation thread of a practice between its school and its reviewers."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices import fields
from practices.errors import Conflict, ValidationError, no_practice
from practices.i18n import Message
from practices.models import Practice, ReviewComment, User
from practices.permissions import Actor, require
from practices.services import notify
from practices.services.locking import lock_row
from practices.services.queries import get_practice
from practices.validation import REQUIRED

MAX_COMMENT = 5_000
_parse = fields.text(MAX_COMMENT, one_line=False)


def add_comment(session: Session, practice_id: int, body: str, *, actor: Actor) -> ReviewComment:
    """Post a message to the practice's thread, about the revision under review; flush.

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor may not comment on this practice.
        ValidationError: {"body": ...} empty or too long.
        Conflict: the same message by the same person is already the thread's last one (a
            form sent twice: the practice is locked first, so two at once are seen too).
    """
    practice = lock_row(session, Practice, practice_id)
    if practice is None:
        raise no_practice(practice_id)
    require(actor, "comment", practice)
    try:
        text = _parse(body)
    except ValueError as exc:
        raise ValidationError({"body": exc.args[0]}) from None
    if not text:
        raise ValidationError({"body": REQUIRED})
    last = session.scalars(select(ReviewComment).where(ReviewComment.practice_id == practice.id)
                           .order_by(ReviewComment.created_at.desc(), ReviewComment.id.desc())
                           .limit(1)).first()
    if (last is not None and last.action is None and last.body == text
            and isinstance(actor, User) and last.author_id == actor.id):
        raise Conflict(Message("your message is already the last one in the conversation: it "
                               "was sent twice"))
    pending = practice.pending_revision
    comment = ReviewComment(
        practice=practice,
        revision_no=pending.number if pending is not None else practice.current_revision_no,
        author=actor if isinstance(actor, User) else None,
        body=text,
    )
    session.add(comment)
    session.flush()
    notify.after_comment(session, comment, actor=actor)  # the school hears of it by e-mail
    return comment


def list_comments(session: Session, practice_id: int, *, actor: Actor) -> list[ReviewComment]:
    """Return the practice's thread, oldest first: comments and the notes of transitions.

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor may not see this practice under review.
    """
    practice = get_practice(session, practice_id)
    require(actor, "view", practice)
    stmt = (
        select(ReviewComment)
        .where(ReviewComment.practice_id == practice.id)
        .order_by(ReviewComment.created_at, ReviewComment.id)
    )
    return list(session.scalars(stmt))
