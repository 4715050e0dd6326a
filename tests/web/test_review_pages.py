"""The National Coordinators' side: the review queue of their country (oldest first, with
waiting time) and the decisions on a review page; wrong country, wrong state, a form sent
twice or forged: a clear answer, and nothing changes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from practices.models import PracticeRevision
from tests.factories import make_institution, practice_data
from tests.web.helpers import (
    audit_actions,
    committed,
    csrf_token,
    flashes,
    login_as,
    new_practice,
    new_user,
    post_action,
    practice_state,
)
from tests.web.html_page import accessibility_problems, parse


@pytest.fixture
def nc(app, client):
    """`client` signed in as France's National Coordinator."""
    login_as(client, new_user(app, "national_coordinator", country="FR"))
    return client


def submitted_in(app, country: str, title: str, days_ago: int = 0) -> int:
    """Return a practice submitted `days_ago` days ago by a school of `country`."""

    def make(session):
        from tests.factories import make_practice

        practice = make_practice(session, status="submitted", data=practice_data(1, title=title),
                                 institution=make_institution(session, country=country))
        revision = session.scalar(select(PracticeRevision)
                                  .where(PracticeRevision.practice_id == practice.id))
        revision.submitted_at -= timedelta(days=days_ago)
        return practice.id

    return committed(app, make)


@pytest.mark.postgres
def test_the_queue_lists_the_countrys_submissions_oldest_first_with_waiting_time(app, nc):
    submitted_in(app, "FR", "Recent garden", days_ago=1)
    submitted_in(app, "FR", "Old garden", days_ago=9)
    submitted_in(app, "KE", "Kenyan garden", days_ago=20)

    doc = parse(nc.get("/review").data)

    rows = doc.one("table", class_="work-list").one("tbody").find_all("tr")
    assert [r.find("th").text for r in rows] == ["Old garden", "Recent garden"]
    assert [r.find("td", class_="waiting").text for r in rows] == ["1 week", "1 day"]
    assert accessibility_problems(doc) == []


def test_a_coordinator_cannot_ask_for_another_countrys_queue(app, nc):
    assert nc.get("/review?country=KE").status_code == 403


def test_a_curator_sees_every_country_or_the_one_chosen(app, client):
    submitted_in(app, "FR", "French garden")
    submitted_in(app, "KE", "Kenyan garden")
    login_as(client, new_user(app, "curator"))

    every = parse(client.get("/review").data).one("tbody").find_all("th")
    kenya = parse(client.get("/review?country=KE").data).one("tbody").find_all("th")

    assert {t.text for t in every} == {"French garden", "Kenyan garden"}
    assert [t.text for t in kenya] == ["Kenyan garden"]


def test_the_review_page_offers_the_coordinators_decisions(app, nc):
    practice_id = submitted_in(app, "FR", "A garden")

    doc = parse(nc.get(f"/review/practices/{practice_id}").data)

    buttons = [b.text for b in doc.one("section", id="actions").find_all("button")]
    assert buttons == ["Request changes", "Publish", "Decline"]
    for form in doc.one("section", id="actions").find_all("form"):
        assert form["method"] == "post"
        assert form.one("input", name="expected_status")["value"] == "submitted"
    assert accessibility_problems(doc) == []


def test_a_coordinator_of_another_country_is_refused_and_nothing_changes(app, client):
    practice_id = submitted_in(app, "KE", "Kenyan garden")
    login_as(client, new_user(app, "national_coordinator", country="FR"))
    before = practice_state(app, practice_id)

    response = post_action(client, practice_id, "publish", "submitted")

    assert response.status_code == 403
    assert "own country (FR) only" in parse(response.data).one("main").text
    assert practice_state(app, practice_id) == before


def test_nobody_publishes_their_own_institutions_practice(app, client):
    def make(session):
        from tests.factories import make_practice, make_user

        school = make_institution(session, country="FR")
        practice = make_practice(session, status="submitted", institution=school)
        user = make_user(session, "national_coordinator", country="FR", institution=school)
        return practice.id, user

    practice_id, affiliated = committed(app, make)
    login_as(client, affiliated)

    response = post_action(client, practice_id, "publish", "submitted")

    assert response.status_code == 403
    assert practice_state(app, practice_id)["status"] == "submitted"


@pytest.mark.postgres
def test_the_same_decision_sent_twice_says_so_and_is_logged_once(app, nc):
    practice_id = submitted_in(app, "FR", "A garden")

    first = post_action(nc, practice_id, "publish", "submitted")
    second = post_action(nc, practice_id, "publish", "submitted")

    assert first.status_code == 303
    assert second.status_code == 303  # back to the practice's page, not an error page
    assert second.headers["Location"] == f"/review/practices/{practice_id}"
    message = flashes(parse(nc.get(second.headers["Location"]).data))
    assert "Nothing was changed: this practice is now “Published”" in message
    assert "sent twice" in message
    assert audit_actions(app, practice_id).count("publish") == 1


@pytest.mark.postgres
def test_a_stale_page_cannot_overrule_another_reviewers_decision(app, nc, client):
    practice_id = submitted_in(app, "FR", "A garden")
    login_as(client, new_user(app, "curator"))
    post_action(client, practice_id, "decline", "submitted", note="Not an ASPnet practice.")
    before = practice_state(app, practice_id)

    response = post_action(nc, practice_id, "publish", "submitted")

    assert response.status_code == 303
    assert "now “Declined”" in flashes(parse(nc.get(response.headers["Location"]).data))
    assert practice_state(app, practice_id) == before


def test_a_decision_from_the_wrong_state_is_refused(app, nc):
    practice_id = new_practice(app, "changes_requested")  # a French school's
    before = practice_state(app, practice_id)

    response = post_action(nc, practice_id, "publish", "changes_requested")

    assert response.status_code == 409
    assert ("cannot publish a practice that is changes_requested"
            in parse(response.data).one("main").text)
    assert practice_state(app, practice_id) == before


def test_a_practice_of_a_school_not_yet_certified_cannot_be_published(app, nc):
    def make(session):
        from tests.factories import make_practice

        school = make_institution(session, country="FR", membership="applicant")
        return make_practice(session, status="submitted", institution=school).id

    practice_id = committed(app, make)

    doc = parse(nc.get(f"/review/practices/{practice_id}").data)
    assert "Publish" not in [b.text for b in doc.one("section", id="actions").find_all("button")]
    response = post_action(nc, practice_id, "publish", "submitted")
    assert response.status_code == 409
    assert "certified member" in parse(response.data).one("div", id="problem").text
    assert practice_state(app, practice_id)["status"] == "submitted"


def test_a_forged_decision_without_the_forms_token_is_refused(csrf_app, csrf_client):
    practice_id = submitted_in(csrf_app, "FR", "A garden")
    login_as(csrf_client, new_user(csrf_app, "national_coordinator", country="FR"))

    forged = post_action(csrf_client, practice_id, "publish", "submitted")
    assert forged.status_code == 400
    assert practice_state(csrf_app, practice_id)["status"] == "submitted"

    token = csrf_token(csrf_client, f"/review/practices/{practice_id}")
    genuine = post_action(csrf_client, practice_id, "publish", "submitted", csrf_token=token)
    assert genuine.status_code == 303
    assert practice_state(csrf_app, practice_id)["status"] == "published"


def test_a_decision_form_without_its_expected_status_is_refused(app, nc):
    practice_id = submitted_in(app, "FR", "A garden")

    response = nc.post(f"/review/practices/{practice_id}/publish", data={})

    assert response.status_code == 400
    assert practice_state(app, practice_id)["status"] == "submitted"
