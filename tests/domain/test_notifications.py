"""Who is told what (practices.notifications.KINDS, practices.services.notify) and the
National Coordinator's second list, "waiting for the school"."""
from __future__ import annotations

from datetime import timedelta

import pytest
from factories import make_institution, make_practice, make_user

from practices.errors import PermissionDenied
from practices.models import Delivery, Notification, utcnow
from practices.notifications import ACTION_KINDS, KINDS, Audience
from practices.roles import Role
from practices.services import (
    make_digests,
    review_queue,
    transition,
    update_mail_settings,
    waiting_for_school,
)
from practices.services.notify import queue
from practices.workflow import TRANSITIONS, Status

pytestmark = pytest.mark.postgres


def kinds_for(session, user) -> list[str]:
    return [n.kind for n in session.query(Notification).filter_by(recipient_id=user.id)
            .order_by(Notification.id)]


def test_every_workflow_action_that_tells_the_school_exists():
    assert set(ACTION_KINDS) <= set(TRANSITIONS)
    assert all(KINDS[kind].audience == Audience.SCHOOL for kind in ACTION_KINDS.values())


def test_the_school_hears_of_each_decision_about_its_practice(session):
    school = make_institution(session, country="FR")
    editor = make_user(session, Role.SCHOOL_EDITOR, institution=school)
    colleague = make_user(session, Role.SCHOOL_EDITOR, institution=school)
    make_practice(session, status=Status.FLAGGED_FOR_POLICY, author=editor)
    make_practice(session, status=Status.DECLINED, author=editor)
    expected = ["published", "promoted", "flagged", "declined"]
    assert kinds_for(session, editor) == expected
    assert kinds_for(session, colleague) == expected


def test_the_coordinator_of_the_country_hears_of_submissions_not_others(session):
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    elsewhere = make_user(session, Role.NATIONAL_COORDINATOR, country="KE")
    practice = make_practice(session, status=Status.CHANGES_REQUESTED,
                             institution=make_institution(session, country="FR"))
    editor = practice.current_revision.author
    transition(session, practice.id, "submit", actor=editor)
    assert kinds_for(session, coordinator) == ["submitted", "resubmitted"]
    assert kinds_for(session, elsewhere) == []
    assert "changes_requested" in kinds_for(session, editor)


def test_an_event_queues_one_message_per_recipient_however_often_it_is_told(session):
    editor = make_user(session, Role.SCHOOL_EDITOR)
    first = queue(session, "published", editor, event="audit42", params={"title": "T"})
    again = queue(session, "published", editor, event="audit42", params={"title": "T"})
    session.flush()
    assert first is not None and again is None
    assert kinds_for(session, editor) == ["published"]


def test_a_muted_kind_is_not_queued_and_account_messages_cannot_be_muted(session):
    editor = make_user(session, Role.SCHOOL_EDITOR)
    update_mail_settings(session, editor, actor=editor, muted=["published"], daily_digest=False)
    make_practice(session, status=Status.PUBLISHED, author=editor)
    assert kinds_for(session, editor) == []
    with pytest.raises(Exception) as refused:
        update_mail_settings(session, editor, actor=editor, muted=["password_reset"],
                             daily_digest=False)
    assert "password_reset" in str(refused.value.errors["muted"])


def test_held_submissions_become_one_digest_once(session):
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    update_mail_settings(session, coordinator, actor=coordinator, muted=[], daily_digest=True)
    school = make_institution(session, country="FR")
    for _ in range(3):
        make_practice(session, status=Status.SUBMITTED, institution=school)
    held = session.query(Notification).filter_by(recipient_id=coordinator.id).all()
    assert [n.status for n in held] == [Delivery.HELD] * 3
    [digest] = make_digests(session)
    assert digest.params["count"] == 3
    assert make_digests(session) == []
    assert {n.status for n in held} == {Delivery.DIGESTED}


def test_waiting_for_the_school_lists_requests_for_changes_of_the_country(session):
    france, kenya = make_institution(session, country="FR"), make_institution(session, country="KE")
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    older = make_practice(session, status=Status.CHANGES_REQUESTED, institution=france)
    older.current_revision.updated_at -= timedelta(days=2)
    newer = make_practice(session, status=Status.CHANGES_REQUESTED, institution=france)
    make_practice(session, status=Status.CHANGES_REQUESTED, institution=kenya)
    submitted = make_practice(session, status=Status.SUBMITTED, institution=france)
    session.flush()
    items = waiting_for_school(session, actor=coordinator, now=utcnow())
    assert [i.practice.id for i in items] == [older.id, newer.id]
    assert items[0].waiting >= timedelta(days=2)
    assert [i.practice.id for i in review_queue(session, actor=coordinator)] == [submitted.id]
    with pytest.raises(PermissionDenied):
        waiting_for_school(session, actor=coordinator, country="KE")


def test_a_watching_curator_hears_of_a_first_publication_not_of_each_published_edit(session):
    from factories import practice_data

    from practices.services import edit_practice

    curator = make_user(session, Role.CURATOR)
    update_mail_settings(session, curator, actor=curator, muted=[], daily_digest=False,
                         watch_themes=["esd"])
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    practice = make_practice(session, status=Status.PUBLISHED, themes=["esd"],
                             institution=make_institution(session, country="FR"))
    editor = practice.current_revision.author
    edit_practice(session, practice.id, practice_data(title="Better title", themes=["esd"]),
                  actor=editor)
    transition(session, practice.id, "submit", actor=editor)
    transition(session, practice.id, "publish", actor=coordinator)
    assert kinds_for(session, curator) == ["watch_published"]
    assert kinds_for(session, editor).count("published") == 2
