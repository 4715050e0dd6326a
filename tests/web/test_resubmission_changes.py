"""A resubmission shows what the school changed since the reviewer requested changes: the
reviewer (and the school) see, field by field, the lines removed and added since the request,
not since the first submission."""
from __future__ import annotations

import pytest

from app.db import get_session
from practices.models import User
from practices.services import export_audit
from tests.web.helpers import login_as, new_user, post_action, school_and_editor
from tests.web.html_page import accessibility_problems, parse

CONTENT = {
    "language": "fr", "title": "Un potager au collège", "summary": "Les élèves jardinent.",
    "body": "Nous avons construit des bacs.\n\nLes élèves arrosent chaque jour.",
    "themes": ["esd"],
}  # fmt: skip


@pytest.fixture
def people(app):
    _, editor = school_and_editor(app, country="FR")
    coordinator = new_user(app, "national_coordinator", country="FR")
    school, nc = app.test_client(), app.test_client()
    login_as(school, editor)
    login_as(nc, coordinator)
    return school, nc


def changes_requested(school, nc, **content) -> int:
    """A practice written, submitted and sent back with a request for changes; its id."""
    response = school.post("/submit", data={**CONTENT, **content, "intent": "submit"})
    practice_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert post_action(nc, practice_id, "request_changes", "submitted",
                       "Say how many pupils took part.").status_code == 303
    return practice_id


def resubmit(school, practice_id, **changes):
    edited = {**CONTENT, **changes, "intent": "submit"}
    assert school.post(f"/my/practices/{practice_id}/edit", data=edited).status_code == 303


def since_request(client, url):
    doc = parse(client.get(url).data)
    assert accessibility_problems(doc) == []
    return doc.find("section", id="since-request")


@pytest.mark.postgres
def test_the_reviewer_sees_what_the_resubmission_changed(app, people):
    school, nc = people
    practice_id = changes_requested(school, nc)

    resubmit(school, practice_id,
             body="Nous avons construit des bacs.\n\n120 élèves arrosent chaque jour.",
             themes=["esd", "gced"])

    section = since_request(nc, f"/review/practices/{practice_id}")
    assert section is not None
    assert [d.text for d in section.find_all("del")] == [
        "Removed: Les élèves arrosent chaque jour."]
    added = [i.text for i in section.find_all("ins")]
    assert "Added: 120 élèves arrosent chaque jour." in added
    assert any("Global Citizenship" in text for text in added)
    headings = [h.text for h in section.find_all("h3")]
    assert "Title" not in headings and "Description" in headings


def test_a_second_request_is_the_new_starting_point(app, people):
    school, nc = people
    practice_id = changes_requested(school, nc)
    resubmit(school, practice_id, title="Un potager et un compost")
    assert post_action(nc, practice_id, "request_changes", "submitted",
                       "And the results?").status_code == 303
    resubmit(school, practice_id, title="Un potager et un compost",
             summary="Les élèves jardinent et compostent.")

    section = since_request(nc, f"/review/practices/{practice_id}")

    assert [h.text for h in section.find_all("h3")] == ["Summary"]


def test_the_school_sees_it_while_editing_and_a_first_submission_shows_nothing(app, people):
    school, nc = people
    practice_id = changes_requested(school, nc)

    section = since_request(school, f"/my/practices/{practice_id}")
    assert "Nothing yet" in section.text

    other = school.post("/submit", data={**CONTENT, "title": "Autre", "intent": "submit"})
    other_id = int(other.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert since_request(nc, f"/review/practices/{other_id}") is None


def test_an_edit_of_a_published_practice_shows_it_too(app, people):
    school, nc = people
    response = school.post("/submit", data={**CONTENT, "intent": "submit"})
    practice_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    post_action(nc, practice_id, "publish", "submitted")
    resubmit(school, practice_id, title="Un potager et un compost")
    post_action(nc, practice_id, "request_changes", "submitted", "Which compost?")

    resubmit(school, practice_id, title="Un potager et un lombricompost")

    section = since_request(nc, f"/review/practices/{practice_id}")
    assert [d.text for d in section.find_all("del")] == ["Removed: Un potager et un compost"]
    assert [i.text for i in section.find_all("ins")] == ["Added: Un potager et un lombricompost"]


def test_it_speaks_french(app, people):
    school, nc = people
    practice_id = changes_requested(school, nc)
    resubmit(school, practice_id, title="Un potager et un compost")

    doc = parse(nc.get(f"/review/practices/{practice_id}",
                       headers={"Accept-Language": "fr"}).data)

    title = doc.one("h2", id="since-request-title").text
    assert title == "Ce qui a changé depuis la demande de modifications"


def test_the_exported_audit_log_does_not_carry_the_content(app, people):
    school, nc = people
    practice_id = changes_requested(school, nc)

    with app.app_context():
        session = get_session()
        admin = new_user(app, "administrator")
        rows = list(export_audit(session, actor=session.get(User, admin.id),
                                 practice_id=practice_id, action="request_changes"))

    assert len(rows) == 1
    assert "Nous avons construit" not in rows[0]["details"]
