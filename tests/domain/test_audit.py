"""The audit log: one entry per transition and edit, in the same transaction; browsing and
export for curators and administrators."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from factories import make_practice, make_user, practice_data
from sqlalchemy import func, select

from practices.errors import PermissionDenied
from practices.models import AuditEntry, utcnow
from practices.roles import Role
from practices.services import AUDIT_COLUMNS, edit_practice, export_audit, list_audit, transition
from practices.workflow import Status

pytestmark = pytest.mark.postgres


def entries(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_transition_and_its_audit_entry_commit_or_roll_back_together(session):
    practice = make_practice(session, status=Status.DRAFT)
    author = practice.current_revision.author
    session.commit()
    before = entries(session)
    transition(session, practice.id, "submit", actor=author)
    assert entries(session) == before + 1
    session.rollback()
    assert entries(session) == before
    assert session.get(type(practice), practice.id).status == "draft"


def test_every_step_of_a_practices_life_is_in_the_log(session):
    practice = make_practice(session, status=Status.FLAGGED_FOR_POLICY)
    author = practice.current_revision.author
    edit_practice(session, practice.id, practice_data(title="Renamed"), actor=author)
    stmt = select(AuditEntry).where(AuditEntry.practice_id == practice.id).order_by(AuditEntry.id)
    log = [(e.action, e.from_status, e.to_status, e.revision_no) for e in session.scalars(stmt)]
    assert log == [
        ("create", None, "draft", 1),
        ("submit", "draft", "submitted", 1),
        ("publish", "submitted", "published", 1),
        ("promote", "published", "promising", 1),
        ("flag_for_policy", "promising", "flagged_for_policy", 1),
        ("edit", "draft", "draft", 2),
    ]


def test_the_log_is_browsed_newest_first_with_filters_and_pages(session):
    first = make_practice(session, status=Status.PUBLISHED)
    second = make_practice(session, status=Status.SUBMITTED)
    curator = make_user(session, Role.CURATOR)
    page = list_audit(session, actor=curator, per_page=2)
    assert page.total == entries(session) and len(page.items) == 2
    assert page.items[0].id > page.items[1].id
    mine = list_audit(session, actor=curator, practice_id=second.id)
    assert [e.action for e in mine.items] == ["submit", "create"]
    publishes = list_audit(session, actor=curator, action="publish")
    assert [e.practice_id for e in publishes.items] == [first.id]
    reviewer = publishes.items[0].actor
    assert list_audit(session, actor=curator, user_id=reviewer.id).total == 1
    later = utcnow() + timedelta(seconds=1)
    assert list_audit(session, actor=curator, since=later).total == 0
    assert list_audit(session, actor=curator, until=later).total == page.total


def test_the_export_has_one_flat_row_per_entry_oldest_first(session):
    practice = make_practice(session, status=Status.CHANGES_REQUESTED)
    admin = make_user(session, Role.ADMINISTRATOR)
    rows = [r for r in export_audit(session, actor=admin) if r["practice_id"] == practice.id]
    assert all(list(r) == list(AUDIT_COLUMNS) for r in rows)
    assert [r["action"] for r in rows] == ["create", "submit", "request_changes"]
    last = rows[-1]
    assert (last["from_status"], last["to_status"], last["revision"]) == (
        "submitted", "changes_requested", 1,
    )  # fmt: skip
    assert last["note"] == "Reasons given by the factory."
    assert json.loads(last["details"]) == {}
    assert last["at"].endswith("+00:00")


@pytest.mark.parametrize("role", [Role.SCHOOL_EDITOR, Role.NATIONAL_COORDINATOR])
def test_schools_and_coordinators_cannot_read_the_log(session, role):
    user = make_user(session, role, country="FR" if role == Role.NATIONAL_COORDINATOR else None)
    with pytest.raises(PermissionDenied):
        list_audit(session, actor=user)
    with pytest.raises(PermissionDenied):
        list(export_audit(session, actor=user))
