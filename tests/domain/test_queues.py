"""Work lists: a school's practices, each country's review queue, the promotion queue."""
from __future__ import annotations

from datetime import timedelta

import pytest
from factories import make_institution, make_practice, make_user, practice_data

from practices.errors import PermissionDenied
from practices.models import utcnow
from practices.roles import Membership, Role
from practices.services import (
    edit_practice,
    own_practices,
    promotion_queue,
    review_queue,
    set_membership,
    transition,
)
from practices.workflow import Status

pytestmark = pytest.mark.postgres


def test_a_school_sees_all_its_practices_and_only_those(session):
    school = make_user(session, Role.SCHOOL_EDITOR)
    mine = [make_practice(session, status=s, author=school) for s in ("draft", "declined")]
    make_practice(session, status=Status.DRAFT)
    assert {p.id for p in own_practices(session, actor=school)} == {p.id for p in mine}
    assert [p.id for p in own_practices(session, actor=school, status="declined")] == [mine[1].id]
    with pytest.raises(PermissionDenied):
        own_practices(session, actor=make_user(session, Role.CURATOR))


def test_the_review_queue_is_per_country_oldest_first_with_waiting_time(session):
    france, kenya = make_institution(session, country="FR"), make_institution(session, country="KE")
    older = make_practice(session, status=Status.SUBMITTED, institution=france)
    older.current_revision.submitted_at -= timedelta(days=3)
    newer = make_practice(session, status=Status.SUBMITTED, institution=france)
    make_practice(session, status=Status.SUBMITTED, institution=kenya)
    make_practice(session, status=Status.DRAFT, institution=france)
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    now = utcnow()
    queue = review_queue(session, actor=coordinator, now=now)
    assert [item.practice.id for item in queue] == [older.id, newer.id]
    assert queue[0].waiting >= timedelta(days=3) and queue[1].waiting < timedelta(days=1)
    assert not queue[0].is_revision


def test_a_coordinator_cannot_open_another_countrys_queue(session):
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    with pytest.raises(PermissionDenied, match=r"own country \(FR\) only, not KE's"):
        review_queue(session, actor=coordinator, country="ke")
    assert review_queue(session, actor=coordinator, country="fr") == []


def test_curators_see_every_countrys_queue_or_one(session):
    france, kenya = make_institution(session, country="FR"), make_institution(session, country="KE")
    make_practice(session, status=Status.SUBMITTED, institution=france)
    kenyan = make_practice(session, status=Status.SUBMITTED, institution=kenya)
    curator = make_user(session, Role.CURATOR)
    assert len(review_queue(session, actor=curator)) == 2
    only_kenya = review_queue(session, actor=curator, country="KE")
    assert [item.practice.id for item in only_kenya] == [kenyan.id]


def test_an_edit_of_a_public_practice_waits_in_the_queue_as_a_revision(session):
    practice = make_practice(session, status=Status.PUBLISHED)
    author = practice.current_revision.author
    edit_practice(session, practice.id, practice_data(title="Updated"), actor=author)
    transition(session, practice.id, "submit", actor=author)
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    (item,) = review_queue(session, actor=coordinator)
    assert item.practice is practice and item.is_revision and item.revision.number == 2


def test_a_coordinators_own_school_is_left_out_of_their_queue(session):
    own = make_institution(session, country="FR")
    make_practice(session, status=Status.SUBMITTED, institution=own)
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR", institution=own)
    assert review_queue(session, actor=coordinator) == []


def test_the_promotion_queue_lists_published_practices_not_yet_promoted(session):
    first = make_practice(session, status=Status.PUBLISHED)
    first.published_at -= timedelta(days=30)
    second = make_practice(session, status=Status.PUBLISHED)
    make_practice(session, status=Status.PROMISING)
    make_practice(session, status=Status.SUBMITTED)
    suspended = make_practice(session, status=Status.PUBLISHED)
    curator = make_user(session, Role.CURATOR)
    set_membership(session, suspended.institution_id, Membership.SUSPENDED, actor=curator)
    page = promotion_queue(session, actor=curator)
    assert [p.id for p in page.items] == [first.id, second.id] and page.total == 2
    with pytest.raises(PermissionDenied):
        promotion_queue(session, actor=make_user(session, Role.NATIONAL_COORDINATOR, country="FR"))
