"""A practice as the people working on it see it: the content under review, what it changes in
the public version, the conversation thread and the actions open to the signed-in person.

Shared by the school's page (app/workspace/pages.py) and the reviewers' page (app/review/pages.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from app.accounts.auth import current_actor
from app.db import get_session
from app.review.diffs import FieldChange, revision_changes
from practices import TRANSITIONS, Status, available_actions
from practices.models import Attachment, Practice, PracticeRevision, ReviewComment
from practices.permissions import may_see_revision
from practices.services import content_when_changes_requested, list_comments, view_practice
from practices.services.attachments import revision_files

# Actions with a form of their own page (data to fill in), shown as links, not buttons.
ACTIONS_WITH_PAGE = frozenset({"promote", "flag_for_policy"})


@dataclass(frozen=True)
class PracticeFile:
    """Everything the school's and the reviewers' pages show about one practice.

    Attributes:
        content: the revision under work (a pending edit of a public practice, else the
            practice's own current revision).
        public: the public version while an edit of it is pending, else None.
        changes: what the pending edit changes in the public version.
        buttons: workflow actions the person may take now, as forms on the page.
        links: workflow actions the person may take now through a page of their own.
        files: the files attached to `content` (the revision under work).
        since_request: what `content` changed since changes were last requested on it
            (submitted again, or being edited); None when none were requested.
    """

    practice: Practice
    content: PracticeRevision
    public: PracticeRevision | None
    changes: list[FieldChange]
    comments: list[ReviewComment]
    buttons: list[str]
    links: list[str]
    can_edit: bool
    can_comment: bool
    expected_status: str
    files: list[Attachment]
    since_request: list[FieldChange] | None = None
    needs_note: frozenset[str] = field(
        default=frozenset(n for n, t in TRANSITIONS.items() if t.needs_note)
    )


def load_file(practice_id: int) -> PracticeFile:
    """Return the practice's file for the signed-in person.

    Raises:
        NotFound: no such practice, or one under review they may not see.
        PermissionDenied: a public practice they have no part in.
    """
    session, actor = get_session(), current_actor()
    practice = view_practice(session, practice_id, actor=actor)
    comments = list_comments(session, practice_id, actor=actor)
    pending = practice.pending_revision
    if pending is not None and not may_see_revision(actor, pending):
        pending = None  # an edit the school has not submitted yet is the school's alone
    current = practice.current_revision
    allowed = available_actions(actor, practice)
    moves = [a for a in allowed if a in TRANSITIONS]
    return PracticeFile(
        practice=practice,
        content=pending or current,
        public=current if pending is not None else None,
        changes=revision_changes(current, pending) if pending is not None else [],
        comments=comments,
        buttons=[a for a in moves if a not in ACTIONS_WITH_PAGE],
        links=[a for a in moves if a in ACTIONS_WITH_PAGE],
        can_edit="edit" in allowed,
        can_comment="comment" in allowed,
        expected_status=practice.review_status,
        files=revision_files(session, practice.id, (pending or current).number),
        since_request=_since_request(session, practice, pending or current),
    )


def _since_request(session, practice: Practice, content: PracticeRevision):
    # Only while the request is answered (edited, then submitted again); later decisions
    # have their own record in the revision history.
    if content.status not in (Status.CHANGES_REQUESTED, Status.SUBMITTED):
        return None
    before = content_when_changes_requested(session, practice.id, content.number)
    if before is None:
        return None
    return revision_changes(SimpleNamespace(**before), content)
