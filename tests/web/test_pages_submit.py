"""The submission form: what a school sees when it shares a practice, right or wrong."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.db import get_session
from practices.models import Practice
from tests.web.html_page import accessibility_problems, parse


def valid_form(**changes) -> dict:
    """Return what a browser posts for a complete submission; `changes` replace fields."""
    form = {
        "language": "fr",
        "title": "Un potager au collège",
        "summary": "Les élèves cultivent des légumes.",
        "body": "Nous avons construit des bacs.\n\n- compost\n- semis",
        "year": "2023",
        "themes": ["esd", "gced"],
        "pillars": ["1", "3"],
        "levels": ["secondary"],
        "emerging_issues": ["climate"],
        "sdg_targets": "4.7, 13.3",
        "institution_name": "Collège Jean Moulin",
        "institution_city": "Lyon",
        "country": "FR",
        "institution_levels": ["secondary"],
        "institution_sector": "public",
        "institution_locality": "urban",
        "source_url": "https://college.example.org/potager",
        "license": "CC-BY-SA-4.0",
    }
    form.update(changes)
    return form


def stored_practices(app) -> list[dict]:
    """Return what the database holds about each practice, read in its own app context."""
    with app.app_context():
        return [
            {"status": p.status, "title": p.title, "themes": p.themes, "pillars": p.pillars,
             "sdg_targets": p.sdg_targets, "id": p.id,
             "institution": (p.institution.name, p.institution.sector)}
            for p in get_session().scalars(select(Practice))
        ]


def field_error(doc, field_id: str) -> str:
    """Return the error text tied to a control through aria-describedby ("" when none)."""
    control = doc.one(id=field_id)
    described = (control.get("aria-describedby") or "").split()
    errors = [doc.one(id=i).text for i in described if i.endswith("-error")]
    return " ".join(errors)


def test_the_form_offers_every_field_with_a_label(client):
    doc = parse(client.get("/submit").data)

    assert accessibility_problems(doc) == []
    names = {c.get("name") for c in doc.find_all("input") + doc.find_all("select")}
    names |= {t.get("name") for t in doc.find_all("textarea")}
    assert {"title", "body", "language", "themes", "pillars", "levels", "emerging_issues",
            "sdg_targets", "institution_name", "country"} <= names
    theme_labels = [doc.one("label", for_=b["id"]).text
                    for b in doc.find_all("input", name="themes")]
    assert "Education for Sustainable Development" in theme_labels


def test_a_valid_submission_is_stored_as_submitted_and_says_what_happens_next(app, client):
    response = client.post("/submit", data=valid_form(), follow_redirects=True)

    assert response.status_code == 200
    doc = parse(response.data)
    assert "submitted for review" in doc.one("div", class_="flash").text
    assert "What happens next" in doc.one("main").text
    [practice] = stored_practices(app)
    assert practice["status"] == "submitted"
    assert practice["title"] == "Un potager au collège"
    assert practice["themes"] == ["esd", "gced"]
    assert practice["pillars"] == [1, 3]
    assert practice["sdg_targets"] == ["13.3", "4.7"]
    assert practice["institution"] == ("Collège Jean Moulin", "public")


def test_a_submitted_practice_is_not_found_by_search_nor_on_its_page(app, client):
    client.post("/submit", data=valid_form(title="Potager secret"), follow_redirects=True)
    [practice] = stored_practices(app)

    results = parse(client.get("/search?q=potager").data)
    assert "Potager secret" not in results.one("main").text
    assert results.one("h2", id="results-title").text.startswith("0 practices")
    assert client.get(f"/practices/{practice['id']}").status_code == 404


def test_errors_are_shown_next_to_their_fields_and_nothing_is_stored(app, client):
    form = valid_form(title="", themes=[], sdg_targets="4.7, 99.1", year="1800")

    response = client.post("/submit", data=form)

    assert response.status_code == 422
    doc = parse(response.data)
    assert field_error(doc, "title") == "Error: Enter a title."
    assert field_error(doc, "themes") == "Error: Choose at least one thematic area."
    assert "99.1" in field_error(doc, "sdg_targets")
    assert "1800" in field_error(doc, "year")
    assert field_error(doc, "body") == ""
    assert doc.one("input", id="title").get("aria-invalid") == "true"
    assert stored_practices(app) == []


def test_the_error_summary_links_to_each_field_in_error(client):
    doc = parse(client.post("/submit", data=valid_form(title="", institution_name="")).data)

    summary = doc.one("div", class_="error-summary")
    targets = {a["href"] for a in summary.find_all("a")}
    assert targets == {"#title", "#institution_name"}
    assert "Enter the name of your school." in field_error(doc, "institution_name")
    assert doc.one("title").text.startswith("Error:")


def test_values_are_kept_when_the_form_comes_back_with_errors(client):
    form = valid_form(title="", summary="Résumé gardé", sdg_targets="4.7, 99.1")

    doc = parse(client.post("/submit", data=form).data)

    assert doc.one("textarea", id="summary").text == "Résumé gardé"
    assert doc.one("input", id="sdg_targets")["value"] == "4.7, 99.1"
    assert doc.one("select", id="language").one("option", selected=True)["value"] == "fr"
    checked = {b["value"] for b in doc.find_all("input", name="themes", checked=True)}
    assert checked == {"esd", "gced"}
    checked_pillars = {b["value"] for b in doc.find_all("input", name="pillars", checked=True)}
    assert checked_pillars == {"1", "3"}


def test_fields_left_out_of_the_post_count_as_not_given(client):
    form = valid_form()
    for optional in ("license", "institution_sector", "institution_locality", "summary"):
        del form[optional]

    response = client.post("/submit", data=form)

    assert response.status_code == 302


def test_a_forged_choice_is_refused(app, client):
    response = client.post("/submit", data=valid_form(themes=["esd", "astrology"]))

    assert response.status_code == 422
    assert "astrology" in field_error(parse(response.data), "themes")
    assert stored_practices(app) == []


def test_a_submission_without_csrf_token_is_rejected(csrf_app, csrf_client):
    response = csrf_client.post("/submit", data=valid_form())

    assert response.status_code == 400
    assert stored_practices(csrf_app) == []


def test_a_submission_with_the_form_token_is_accepted(csrf_app, csrf_client):
    page = parse(csrf_client.get("/submit").data)
    token = page.one("input", name="csrf_token")["value"]

    response = csrf_client.post("/submit", data=valid_form(csrf_token=token))

    assert response.status_code == 302
    assert [p["status"] for p in stored_practices(csrf_app)] == ["submitted"]


def test_a_token_from_another_session_is_rejected(csrf_app, csrf_client):
    token = parse(csrf_client.get("/submit").data).one("input", name="csrf_token")["value"]
    csrf_client.delete_cookie("session")

    response = csrf_client.post("/submit", data=valid_form(csrf_token=token))

    assert response.status_code == 400
    assert re.search(r"CSRF", parse(response.data).one("main").text)
    assert stored_practices(csrf_app) == []
