"""The review workflow through its services: who moves a practice where, and how bad input
(wrong state, wrong country, a double submit, a stale form) is refused without any change."""
from __future__ import annotations

import pytest
from factories import make_institution, make_practice, make_user, practice_data
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practices.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from practices.models import AuditEntry, ReviewComment
from practices.permissions import SYSTEM, available_actions
from practices.roles import Membership, Role
from practices.services import (
    create_draft,
    get_public_practice,
    list_comments,
    public_practice_ids,
    set_membership,
    transition,
)
from practices.workflow import Status

pytestmark = pytest.mark.postgres


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def state(session, practice):
    """What a refused action must leave untouched, as the database will hold it."""
    session.flush()
    revisions = [(r.number, r.status) for r in practice.revisions]
    return practice.status, revisions, count(session, AuditEntry), count(session, ReviewComment)


@pytest.fixture
def school(session):
    institution = make_institution(session, "Collège des Tilleuls", "FR")
    return make_user(session, Role.SCHOOL_EDITOR, institution=institution)


@pytest.fixture
def coordinator(session):
    return make_user(session, Role.NATIONAL_COORDINATOR, country="FR")


def test_a_school_submits_and_its_national_coordinator_publishes(session, school, coordinator):
    practice = create_draft(session, practice_data(), actor=school)
    transition(session, practice.id, "submit", actor=school)
    transition(session, practice.id, "publish", actor=coordinator, note="Clear and useful.")
    assert practice.status == "published" and practice.published_at is not None
    assert practice.current_revision.status == "published"
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    trail = [(e.action, e.actor_label, e.from_status, e.to_status) for e in entries[-3:]]
    assert trail == [
        ("create", school.email, None, "draft"),
        ("submit", school.email, "draft", "submitted"),
        ("publish", coordinator.email, "submitted", "published"),
    ]
    assert entries[-1].note == "Clear and useful."


def test_a_transition_from_the_wrong_state_changes_nothing(session, school, coordinator):
    practice = create_draft(session, practice_data(), actor=school)
    before = state(session, practice)
    with pytest.raises(InvalidTransition, match="cannot publish a practice that is draft"):
        transition(session, practice.id, "publish", actor=coordinator)
    assert state(session, practice) == before


def test_a_national_coordinator_cannot_act_outside_their_country(session, school):
    practice = create_draft(session, practice_data(), actor=school)
    transition(session, practice.id, "submit", actor=school)
    german = make_user(session, Role.NATIONAL_COORDINATOR, country="DE")
    before = state(session, practice)
    with pytest.raises(PermissionDenied, match=r"own country \(DE\) only; .* from FR"):
        transition(session, practice.id, "publish", actor=german)
    assert state(session, practice) == before


def test_submitting_twice_is_refused_the_second_time_and_recorded_once(session, school):
    practice = create_draft(session, practice_data(), actor=school)
    transition(session, practice.id, "submit", actor=school, expected_status="draft")
    before = state(session, practice)
    with pytest.raises(Conflict):
        transition(session, practice.id, "submit", actor=school, expected_status="draft")
    assert state(session, practice) == before
    submits = session.scalars(select(AuditEntry).where(AuditEntry.action == "submit")).all()
    assert len(submits) == 1


def test_a_stale_form_is_refused_with_what_changed(session, school, coordinator):
    practice = make_practice(session, status=Status.SUBMITTED, author=school)
    other = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    transition(session, practice.id, "request_changes", actor=other, note="Add photos.")
    before = state(session, practice)
    with pytest.raises(Conflict, match="now changes_requested, not submitted"):
        transition(
            session, practice.id, "publish", actor=coordinator, expected_status="submitted"
        )
    assert state(session, practice) == before


@pytest.mark.postgres
def test_a_practice_loaded_before_its_lock_is_read_again_under_it(session, school, coordinator):
    practice = make_practice(session, status=Status.SUBMITTED, author=school)
    session.commit()
    assert practice.status == Status.SUBMITTED  # this session holds it, as a page would
    with Session(session.get_bind()) as other:  # another reviewer, meanwhile
        transition(other, practice.id, "request_changes", actor=SYSTEM, note="Add photos.")
        other.commit()
    with pytest.raises(Conflict, match="now changes_requested, not submitted"):
        transition(session, practice.id, "publish", actor=coordinator,
                   expected_status="submitted")


def test_requested_changes_reach_the_school_in_the_thread(session, school, coordinator):
    practice = make_practice(session, status=Status.SUBMITTED, author=school)
    with pytest.raises(ValidationError) as caught:
        transition(session, practice.id, "request_changes", actor=coordinator, note="  ")
    assert set(caught.value.errors) == {"note"}
    transition(session, practice.id, "request_changes", actor=coordinator, note="Add numbers.")
    thread = list_comments(session, practice.id, actor=school)
    assert [(c.author, c.action, c.body) for c in thread] == [
        (coordinator, "request_changes", "Add numbers.")
    ]
    transition(session, practice.id, "submit", actor=school)
    transition(session, practice.id, "publish", actor=coordinator)
    assert practice.status == "published"


def test_the_school_withdraws_and_the_coordinator_declines(session, school, coordinator):
    withdrawn = make_practice(session, status=Status.SUBMITTED, author=school)
    transition(session, withdrawn.id, "withdraw", actor=school)
    declined = make_practice(session, status=Status.SUBMITTED, author=school)
    transition(session, declined.id, "decline", actor=coordinator, note="Out of scope.")
    assert (withdrawn.status, declined.status) == ("withdrawn", "declined")
    with pytest.raises(PermissionDenied):
        transition(session, declined.id, "withdraw", actor=coordinator)


def test_nobody_publishes_their_own_institutions_practice(session, school):
    teacher_coordinator = make_user(
        session, Role.NATIONAL_COORDINATOR, country="FR", institution=school.institution
    )
    practice = make_practice(session, status=Status.SUBMITTED, author=school)
    with pytest.raises(PermissionDenied, match="nobody may publish practices of their own"):
        transition(session, practice.id, "publish", actor=teacher_coordinator)
    assert practice.status == "submitted"


def test_only_certified_members_practices_can_be_published(session, coordinator):
    applicant = make_institution(session, "Nouvelle école", "FR", Membership.APPLICANT)
    practice = make_practice(session, status=Status.SUBMITTED, institution=applicant)
    before = state(session, practice)
    with pytest.raises(Conflict, match="Nouvelle école is applicant"):
        transition(session, practice.id, "publish", actor=coordinator)
    assert state(session, practice) == before
    assert "publish" not in available_actions(coordinator, practice)
    curator = make_user(session, Role.CURATOR)
    set_membership(session, applicant.id, Membership.MEMBER, actor=curator)
    transition(session, practice.id, "publish", actor=coordinator)
    assert practice.status == "published"


def test_a_suspended_members_practices_leave_the_public_pages(session, school):
    practice = make_practice(session, status=Status.PROMISING, author=school)
    curator = make_user(session, Role.CURATOR)
    assert public_practice_ids(session) == [practice.id]
    set_membership(session, school.institution_id, Membership.SUSPENDED, actor=curator)
    assert public_practice_ids(session) == []
    assert not practice.is_public and practice.status == "promising"
    with pytest.raises(NotFound):
        get_public_practice(session, practice.id)
    set_membership(session, school.institution_id, Membership.MEMBER, actor=curator)
    assert get_public_practice(session, practice.id) is practice


def test_promotion_and_flagging_need_their_own_services(session, school):
    practice = make_practice(session, status=Status.PUBLISHED, author=school)
    curator = make_user(session, Role.CURATOR)
    for action in ("promote", "flag_for_policy"):
        with pytest.raises(ValidationError, match="needs its data"):
            transition(session, practice.id, action, actor=curator)
    assert practice.status == "published"


def test_a_curator_archives_a_public_practice_anywhere(session, school):
    practice = make_practice(session, status=Status.FLAGGED_FOR_POLICY, author=school)
    curator = make_user(session, Role.CURATOR)
    transition(session, practice.id, "archive", actor=curator)
    assert practice.status == "archived" and not practice.is_public


def test_the_buttons_shown_are_the_actions_the_actor_can_take(session, school, coordinator):
    draft = make_practice(session, status=Status.DRAFT, author=school)
    assert available_actions(school, draft) == ["submit", "withdraw", "edit", "comment"]
    assert available_actions(coordinator, draft) == []  # a draft is the school's alone
    transition(session, draft.id, "submit", actor=school)
    assert available_actions(school, draft) == ["withdraw", "comment"]
    assert available_actions(coordinator, draft) == [
        "request_changes", "publish", "decline", "comment",
    ]  # fmt: skip
