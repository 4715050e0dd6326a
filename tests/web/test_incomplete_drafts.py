"""A school saves a draft with only its title and completes it later; submitting an incomplete
draft, from the form or from the practice's page, says field by field what is missing, in the
reader's language, and changes nothing."""
from __future__ import annotations

import pytest

from tests.web.helpers import (
    audit_actions,
    flashes,
    login_as,
    post_action,
    practice_state,
    school_and_editor,
)
from tests.web.html_page import accessibility_problems, parse

MISSING_EN = ["Describe the practice.", "Choose the language the practice is written in.",
              "Choose at least one thematic area."]


@pytest.fixture
def school(app, client):
    _, editor = school_and_editor(app, country="FR")
    login_as(client, editor)
    return editor


def save_title_only(client, title="Un potager au collège") -> int:
    response = client.post("/submit", data={"title": title, "intent": "save"})
    assert response.status_code == 303, response.data
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_draft_with_only_a_title_is_saved_and_shown_to_the_school(app, client, school):
    practice_id = save_title_only(client)

    page = parse(client.get(f"/my/practices/{practice_id}", follow_redirects=True).data)
    assert "“Un potager au collège” was saved." in flashes(page)
    assert page.one("h1").text == "Un potager au collège"
    assert accessibility_problems(page) == []
    assert practice_state(app, practice_id)["status"] == "draft"
    # Drafts stay out of public search and pages.
    assert "Un potager" not in client.get("/search?q=potager").get_data(as_text=True)
    assert client.get(f"/practices/{practice_id}").status_code == 404


def test_a_draft_without_a_title_is_not_saved(app, client, school):
    response = client.post("/submit", data={"body": "Some text", "intent": "save"})

    assert response.status_code == 422
    doc = parse(response.data)
    assert doc.one("div", class_="error-summary").find_all("li")[0].text.strip() == \
        "Enter a title."


def test_the_form_says_what_a_draft_and_a_submission_need(client, school):
    doc = parse(client.get("/submit").data)

    assert "(required)" in doc.one("label", for_="title").text
    assert "(required to submit)" in doc.one("label", for_="body").text
    assert "(required to submit)" in doc.one("fieldset", id="themes").one("legend").text


def test_submitting_an_incomplete_draft_from_its_page_names_each_missing_field(
        app, client, school):
    practice_id = save_title_only(client)
    before = practice_state(app, practice_id)

    response = post_action(client, practice_id, "submit", "draft")

    assert response.status_code == 422
    doc = parse(response.data)
    problem = doc.one("div", id="problem")
    assert "cannot be submitted yet" in problem.one("h2").text
    assert [li.text for li in problem.find_all("li")] == MISSING_EN
    assert accessibility_problems(doc) == []
    assert practice_state(app, practice_id) == before
    assert audit_actions(app, practice_id) == ["create"]


def test_a_french_school_is_told_in_french(app, client, school):
    practice_id = save_title_only(client)

    response = client.post(f"/my/practices/{practice_id}/submit",
                           data={"expected_status": "draft"}, headers={"Accept-Language": "fr"})

    problem = parse(response.data).one("div", id="problem")
    items = [li.text for li in problem.find_all("li")]
    assert "Décrivez la pratique." in items
    assert "Choisissez au moins un domaine thématique." in items
    assert "soumise" in problem.one("h2").text


def test_submitting_from_the_form_shows_each_missing_field_next_to_it(app, client, school):
    practice_id = save_title_only(client)

    response = client.post(f"/my/practices/{practice_id}/edit",
                           data={"title": "Un potager au collège", "intent": "submit"})

    assert response.status_code == 422
    doc = parse(response.data)
    summary = [a.text for a in doc.one("div", class_="error-summary").find_all("a")]
    assert sorted(summary) == sorted(MISSING_EN)
    assert practice_state(app, practice_id)["status"] == "draft"


def test_a_completed_draft_is_submitted(app, client, school):
    practice_id = save_title_only(client)
    complete = {"title": "Un potager au collège", "language": "fr", "themes": ["esd"],
                "body": "Nous avons construit des bacs.", "intent": "submit"}

    response = client.post(f"/my/practices/{practice_id}/edit", data=complete)

    assert response.status_code == 303
    assert practice_state(app, practice_id)["status"] == "submitted"
