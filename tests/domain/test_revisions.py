"""Edits: drafts change in place; a public practice stays online unchanged while its edit
goes through review as a new revision; the history of revisions is kept."""
from __future__ import annotations

import pytest
from factories import make_practice, make_user, practice_data
from sqlalchemy import select

from practices.errors import Conflict, InvalidTransition, PermissionDenied
from practices.models import AuditEntry
from practices.roles import Role
from practices.services import (
    edit_practice,
    get_public_practice,
    get_revision,
    list_revisions,
    transition,
)
from practices.workflow import Status

pytestmark = pytest.mark.postgres


def edits(session) -> list[AuditEntry]:
    return session.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).all()


@pytest.fixture
def public(session):
    """A published practice titled "Before", with its author and reviewer."""
    practice = make_practice(session, status=Status.PUBLISHED, data=practice_data(title="Before"))
    author = practice.current_revision.author
    reviewer = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    return practice, author, reviewer


def test_a_draft_is_edited_in_place(session):
    practice = make_practice(session, status=Status.DRAFT)
    author = practice.current_revision.author
    better = practice_data(title="Better", body=practice.body, summary=practice.summary)
    revision = edit_practice(session, practice.id, better, actor=author)
    assert (revision.number, practice.title, revision.title) == (1, "Better", "Better")
    assert len(practice.revisions) == 1
    assert edits(session)[-1].details == {"fields": ["title"], "new_revision": False}


def test_saving_unchanged_content_writes_nothing(session, public):
    practice, author, _ = public
    same = practice_data(title="Before", body=practice.body, summary=practice.summary)
    assert edit_practice(session, practice.id, same, actor=author) is practice.current_revision
    assert len(practice.revisions) == 1 and edits(session) == []


def test_editing_a_public_practice_keeps_the_public_version_online(session, public):
    practice, author, _ = public
    revision = edit_practice(session, practice.id, practice_data(title="After"), actor=author)
    assert (revision.number, revision.status, revision.title) == (2, "draft", "After")
    assert get_public_practice(session, practice.id).title == "Before"
    assert practice.review_status == "draft" and practice.status == "published"
    again = edit_practice(session, practice.id, practice_data(title="After all"), actor=author)
    assert again is revision and len(practice.revisions) == 2


def test_publishing_the_revision_replaces_the_public_content(session, public):
    practice, author, reviewer = public
    first_published = practice.published_at
    edit_practice(session, practice.id, practice_data(title="After", themes=["gced"]), actor=author)
    transition(session, practice.id, "submit", actor=author)
    assert practice.title == "Before"
    transition(session, practice.id, "publish", actor=reviewer)
    assert (practice.title, practice.themes, practice.status) == ("After", ["gced"], "published")
    assert practice.current_revision_no == 2 and practice.pending_revision is None
    assert practice.published_at == first_published
    history = [(r.number, r.status, r.title) for r in list_revisions(session, practice.id,
                                                                      actor=reviewer)]
    assert history == [(1, "published", "Before"), (2, "published", "After")]


def test_changes_can_be_requested_on_a_revision_while_the_public_version_stays(session, public):
    practice, author, reviewer = public
    edit_practice(session, practice.id, practice_data(title="After"), actor=author)
    transition(session, practice.id, "submit", actor=author)
    transition(session, practice.id, "request_changes", actor=reviewer, note="Shorter title.")
    assert practice.review_status == "changes_requested" and practice.title == "Before"
    edit_practice(session, practice.id, practice_data(title="New"), actor=author)
    transition(session, practice.id, "submit", actor=author, expected_status="changes_requested")
    transition(session, practice.id, "publish", actor=reviewer)
    assert practice.title == "New"


def test_a_declined_revision_leaves_the_public_version_and_the_next_edit_starts_anew(
    session, public
):
    practice, author, reviewer = public
    edit_practice(session, practice.id, practice_data(title="After"), actor=author)
    transition(session, practice.id, "submit", actor=author)
    transition(session, practice.id, "decline", actor=reviewer, note="Not an improvement.")
    assert practice.title == "Before" and practice.pending_revision is None
    revision = edit_practice(session, practice.id, practice_data(title="Third"), actor=author)
    assert revision.number == 3
    assert get_revision(session, practice.id, 2, actor=author).status == "declined"


def test_the_school_can_withdraw_its_edit(session, public):
    practice, author, _ = public
    edit_practice(session, practice.id, practice_data(title="After"), actor=author)
    transition(session, practice.id, "withdraw", actor=author)
    assert practice.status == "published" and practice.pending_revision is None
    assert [r.status for r in practice.revisions] == ["published", "withdrawn"]


def test_a_revision_under_review_cannot_be_edited(session, public):
    practice, author, _ = public
    edit_practice(session, practice.id, practice_data(title="After"), actor=author)
    transition(session, practice.id, "submit", actor=author)
    with pytest.raises(Conflict, match="revision 2 of this practice is under review"):
        edit_practice(session, practice.id, practice_data(title="Again"), actor=author)
    assert practice.pending_revision.title == "After"


def test_a_submitted_practice_cannot_be_edited(session):
    practice = make_practice(session, status=Status.SUBMITTED)
    author = practice.current_revision.author
    with pytest.raises(InvalidTransition, match="cannot edit a practice that is submitted"):
        edit_practice(session, practice.id, practice_data(title="Sneaky"), actor=author)
    assert practice.title != "Sneaky"


def test_another_school_cannot_edit(session, public):
    practice, _, _ = public
    stranger = make_user(session, Role.SCHOOL_EDITOR)
    with pytest.raises(PermissionDenied):
        edit_practice(session, practice.id, practice_data(title="Mine"), actor=stranger)
    with pytest.raises(PermissionDenied):
        list_revisions(session, practice.id, actor=stranger)


def test_a_promising_practice_stays_promising_when_its_revision_is_published(session):
    practice = make_practice(session, status=Status.PROMISING)
    author = practice.current_revision.author
    reviewer = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    edit_practice(session, practice.id, practice_data(title="Updated"), actor=author)
    transition(session, practice.id, "submit", actor=author)
    transition(session, practice.id, "publish", actor=reviewer)
    assert (practice.status, practice.title) == ("promising", "Updated")
    assert practice.dossier.revision_no == 1


def test_archiving_closes_a_pending_revision(session, public):
    practice, author, _ = public
    edit_practice(session, practice.id, practice_data(title="After"), actor=author)
    transition(session, practice.id, "submit", actor=author)
    transition(session, practice.id, "archive", actor=make_user(session, Role.CURATOR))
    assert [r.status for r in practice.revisions] == ["published", "declined"]
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.revision_no, last.from_status) == ("decline", 2, "submitted")
