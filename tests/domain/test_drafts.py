"""Incomplete drafts: a school saves a draft with only its title, and submitting it is refused
field by field until it holds everything a submitted practice needs. Imports still need it all."""
from __future__ import annotations

import pytest
from factories import make_institution, make_user, practice_record
from sqlalchemy import select

from practices.errors import ValidationError
from practices.models import AuditEntry, Practice
from practices.permissions import SYSTEM
from practices.records import ImportFailed
from practices.services import (
    content_when_changes_requested,
    create_draft,
    edit_practice,
    import_records,
    transition,
)
from practices.validation import REQUIRED, validate_draft, validate_practice
from practices.workflow import Status

pytestmark = pytest.mark.postgres


def test_a_draft_needs_only_a_title():
    draft = validate_draft({"title": "Our garden"})

    assert (draft.title, draft.body, draft.language, draft.themes) == ("Our garden", "", "", ())


def test_a_draft_without_a_title_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_draft({"body": "Some text", "title": "  "})

    assert caught.value.errors == {"title": REQUIRED}


def test_what_a_draft_gives_is_checked_as_strictly_as_in_a_full_practice():
    with pytest.raises(ValidationError) as caught:
        validate_draft({"title": "Our garden", "language": "klingonish", "themes": ["gardening"],
                        "year": "1800"})

    assert set(caught.value.errors) == {"language", "themes", "year"}
    assert REQUIRED not in caught.value.errors.values()


def test_a_full_practice_and_an_import_record_still_need_everything():
    with pytest.raises(ValidationError) as caught:
        validate_practice({"title": "Our garden"})

    assert caught.value.errors == {"body": REQUIRED, "language": REQUIRED, "themes": REQUIRED}


@pytest.fixture
def editor(session):
    return make_user(session, "school_editor", institution=make_institution(session))


def test_a_title_only_draft_is_saved_and_submitting_it_names_every_missing_field(
        session, editor):
    practice = create_draft(session, validate_draft({"title": "Our garden"}), actor=editor)
    session.commit()

    with pytest.raises(ValidationError) as caught:
        transition(session, practice.id, "submit", actor=editor)
    session.rollback()

    assert list(caught.value.errors) == ["body", "language", "themes"]
    assert session.get(Practice, practice.id).status == Status.DRAFT
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.practice_id == practice.id)).all()
    assert actions == ["create"]


def test_a_completed_draft_can_be_submitted(session, editor):
    practice = create_draft(session, validate_draft({"title": "Our garden"}), actor=editor)
    edit_practice(session, practice.id, validate_draft(practice_record(title="Our garden")),
                  actor=editor)

    transition(session, practice.id, "submit", actor=editor)

    assert practice.status == Status.SUBMITTED


def test_an_import_record_without_a_body_is_still_refused(session):
    record = practice_record(institution={"name": "Lycée", "country": "FR"})
    del record["body"]

    with pytest.raises(ImportFailed) as caught:
        import_records(session, [(1, record)], publish=False, actor=SYSTEM)

    assert [(e.line, e.field) for e in caught.value.record_errors] == [(1, "body")]
    assert session.scalars(select(Practice)).all() == []


def test_a_request_for_changes_keeps_the_content_it_was_made_on(session, editor):
    practice = create_draft(session, validate_draft(practice_record(title="Before")),
                            actor=editor)
    transition(session, practice.id, "submit", actor=editor)
    assert content_when_changes_requested(session, practice.id, 1) is None
    reviewer = make_user(session, "national_coordinator", country=editor.institution.country)
    transition(session, practice.id, "request_changes", actor=reviewer, note="More, please.")
    edit_practice(session, practice.id, validate_draft(practice_record(title="After")),
                  actor=editor)

    before = content_when_changes_requested(session, practice.id, 1)

    assert before["title"] == "Before"
    assert before["tags"]["themes"] == ["esd"]
    assert practice.current_revision.title == "After"
