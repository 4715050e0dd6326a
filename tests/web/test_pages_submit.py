"""The practice form: a signed-in school editor writes a practice of their own school, saves
it as a draft or submits it for review, and sees every problem next to its field."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.db import get_session
from practices.models import Practice
from tests.web.helpers import audit_actions, flashes, login_as, school_and_editor
from tests.web.html_page import accessibility_problems, parse


def valid_form(**changes) -> dict:
    """Return what a browser posts for a complete practice; `changes` replace fields."""
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
        "source_url": "https://college.example.org/potager",
        "license": "CC-BY-SA-4.0",
        "intent": "save",
    }
    form.update(changes)
    return form


def stored_practices(app) -> list[dict]:
    """Return what the database holds about each practice, read in its own app context."""
    with app.app_context():
        return [
            {"status": p.status, "title": p.title, "themes": p.themes, "pillars": p.pillars,
             "sdg_targets": p.sdg_targets, "id": p.id, "country": p.country,
             "institution_id": p.institution_id}
            for p in get_session().scalars(select(Practice))
        ]  # fmt: skip


def field_error(doc, field_id: str) -> str:
    """Return the error text tied to a control through aria-describedby ("" when none)."""
    control = doc.one(id=field_id)
    described = (control.get("aria-describedby") or "").split()
    return " ".join(doc.one(id=i).text for i in described if i.endswith("-error"))


@pytest.fixture
def school(app, client):
    """Sign `client` in as the school editor of a certified school in Kenya; return
    (institution id, editor)."""
    institution_id, editor = school_and_editor(app, country="KE")
    login_as(client, editor)
    return institution_id, editor


def test_the_form_offers_every_content_field_with_a_label_and_no_school_fields(client, school):
    doc = parse(client.get("/submit").data)

    assert accessibility_problems(doc) == []
    names = {c.get("name") for c in doc.find_all("input") + doc.find_all("select")}
    names |= {t.get("name") for t in doc.find_all("textarea")}
    assert {"title", "body", "language", "themes", "pillars", "levels", "emerging_issues",
            "sdg_targets"} <= names
    assert not {n for n in names if n and n.startswith("institution")}
    buttons = {b["value"]: b.text for b in doc.find_all("button", name="intent")}
    assert buttons == {"save": "Save draft", "preview": "Preview", "submit": "Submit for review",
                       "suggest": "Suggest tags"}


def test_saving_a_draft_stores_it_for_the_editors_own_school(app, client, school):
    institution_id, _ = school

    response = client.post("/submit", data=valid_form(), follow_redirects=True)

    [practice] = stored_practices(app)
    assert practice["status"] == "draft"
    assert practice["institution_id"] == institution_id
    assert practice["country"] == "KE"  # the school's
    assert practice["pillars"] == [1, 3] and practice["sdg_targets"] == ["13.3", "4.7"]
    doc = parse(response.data)
    assert "“Un potager au collège” was saved." in flashes(doc)
    assert "Only your school sees this draft" in doc.one("main").text
    assert audit_actions(app, practice["id"]) == ["create"]


def test_submit_for_review_saves_and_submits_in_one_step(app, client, school):
    response = client.post("/submit", data=valid_form(intent="submit"), follow_redirects=True)

    [practice] = stored_practices(app)
    assert practice["status"] == "submitted"
    assert "was submitted for review" in flashes(parse(response.data))
    assert audit_actions(app, practice["id"]) == ["create", "submit"]


def test_school_fields_in_a_forged_post_are_ignored(app, client, school):
    institution_id, _ = school

    client.post("/submit", data=valid_form(institution_name="Another school", country="FR",
                                           institution="Another school"))

    [practice] = stored_practices(app)
    assert practice["institution_id"] == institution_id and practice["country"] == "KE"


@pytest.mark.postgres
def test_the_same_new_practice_form_sent_twice_saves_one_practice(app, client, school):
    page = parse(client.get("/submit").data)
    external_id = page.one("input", name="external_id")["value"]

    first = client.post("/submit", data=valid_form(external_id=external_id))
    second = client.post("/submit", data=valid_form(external_id=external_id))

    assert first.status_code == 303
    assert second.status_code == 303  # to the practice the first one saved, saying so
    assert second.headers["Location"] == first.headers["Location"]
    assert "already saved" in flashes(parse(client.get(second.headers["Location"]).data))
    assert len(stored_practices(app)) == 1


def test_a_draft_is_not_found_by_search_nor_on_its_public_page(app, client, school):
    client.post("/submit", data=valid_form(title="Potager secret", intent="submit"))
    [practice] = stored_practices(app)

    results = parse(client.get("/search?q=potager").data)
    assert results.find("ol", class_="results") is None
    assert client.get(f"/practices/{practice['id']}").status_code == 404


def test_errors_are_shown_next_to_their_fields_and_nothing_is_stored(app, client, school):
    form = valid_form(title="", themes=[], sdg_targets="4.7, 99.1", year="1800", intent="submit")

    response = client.post("/submit", data=form)

    assert response.status_code == 422
    doc = parse(response.data)
    assert field_error(doc, "title") == "Error: Enter a title."
    assert field_error(doc, "themes") == "Error: Choose at least one thematic area."
    assert "99.1" in field_error(doc, "sdg_targets")
    assert "1800" in field_error(doc, "year")
    assert field_error(doc, "body") == ""
    assert doc.one("input", id="title").get("aria-invalid") == "true"
    assert doc.one("title").text.startswith("Error:")
    assert accessibility_problems(doc) == []
    assert stored_practices(app) == []


def test_the_domains_messages_reach_a_french_reader_in_french(client, school):
    form = valid_form(sdg_targets="4.9", year="1800", source_url="ftp://ecole.example")

    doc = parse(client.post("/submit", data=form, headers={"Accept-Language": "fr"}).data)

    assert "'4.9' n’est pas l’une des 169 cibles des ODD ; l’objectif 4 compte les cibles " \
        "4.1-4.7 et 4.a-4.c" in field_error(doc, "sdg_targets")
    assert "1800 n’est pas une année de début plausible" in field_error(doc, "year")
    assert "n’est pas une adresse web commençant par http://" in field_error(doc, "source_url")


@pytest.mark.parametrize(
    ("tag", "sdg", "year"),
    [("es", "'4.9' no es una de las 169 metas de los ODS; el Objetivo 4 tiene las metas 4.1-4.7 y "
            "4.a-4.c", "1800 no es un año de inicio plausible"),
     ("ru", "'4.9' — не одна из 169 задач ЦУР; у цели 4 есть задачи 4.1-4.7 и 4.a-4.c",
      "1800 — неправдоподобный год начала"),
     ("zh", "'4.9' 不是 169 个可持续发展目标具体目标之一；目标 4 的具体目标为 4.1-4.7 和 4.a-4.c",
      "1800 不是合理的起始年份"),
     ("ar", "'4.9' ليس من غايات أهداف التنمية المستدامة الـ169؛ غايات الهدف 4 هي 4.1-4.7 و4.a-4.c",
      "1800 ليست سنة بدء معقولة")],
)  # fmt: skip
def test_the_domains_messages_reach_every_reader_in_their_language(client, school, tag, sdg,
                                                                     year):
    form = valid_form(sdg_targets="4.9", year="1800")

    doc = parse(client.post("/submit", data=form, headers={"Accept-Language": tag}).data)

    assert sdg in field_error(doc, "sdg_targets")
    assert year in field_error(doc, "year")


def test_the_error_summary_links_to_each_field_in_error(client, school):
    doc = parse(client.post("/submit", data=valid_form(title="", body="", intent="submit")).data)

    summary = doc.one("div", class_="error-summary")
    assert {a["href"] for a in summary.find_all("a")} == {"#title", "#body"}


def test_values_are_kept_when_the_form_comes_back_with_errors(client, school):
    form = valid_form(title="", summary="Résumé gardé", sdg_targets="4.7, 99.1")

    doc = parse(client.post("/submit", data=form).data)

    assert doc.one("textarea", id="summary").text == "Résumé gardé"
    assert doc.one("input", id="sdg_targets")["value"] == "4.7, 99.1"
    assert doc.one("select", id="language").one("option", selected=True)["value"] == "fr"
    checked = {b["value"] for b in doc.find_all("input", name="themes", checked=True)}
    assert checked == {"esd", "gced"}


def test_fields_left_out_of_the_post_count_as_not_given(client, school):
    form = valid_form()
    for optional in ("license", "summary", "intent", "year"):
        del form[optional]

    assert client.post("/submit", data=form).status_code == 303


def test_a_forged_choice_is_refused(app, client, school):
    response = client.post("/submit", data=valid_form(themes=["esd", "astrology"]))

    assert response.status_code == 422
    assert "astrology" in field_error(parse(response.data), "themes")
    assert stored_practices(app) == []


def test_visitors_are_sent_to_sign_in_first(client):
    response = client.get("/submit")

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["national_coordinator", "curator", "administrator"])
def test_only_school_editors_write_practices(app, client, make_account, role):
    login_as(client, make_account(role, country="FR" if role == "national_coordinator" else None))

    assert client.get("/submit").status_code == 403
    assert client.post("/submit", data=valid_form()).status_code == 403
    assert stored_practices(app) == []


def test_a_submission_without_csrf_token_is_rejected(csrf_app, csrf_client):
    login_as(csrf_client, school_and_editor(csrf_app)[1])

    response = csrf_client.post("/submit", data=valid_form())

    assert response.status_code == 400
    assert stored_practices(csrf_app) == []


def test_a_submission_with_the_form_token_is_accepted(csrf_app, csrf_client):
    login_as(csrf_client, school_and_editor(csrf_app)[1])
    page = parse(csrf_client.get("/submit").data)
    token = form_token(page)

    response = csrf_client.post("/submit", data=valid_form(csrf_token=token, intent="submit"))

    assert response.status_code == 303
    assert [p["status"] for p in stored_practices(csrf_app)] == ["submitted"]


def test_a_token_from_another_session_is_rejected(csrf_app, csrf_client):
    editor = school_and_editor(csrf_app)[1]
    other = csrf_app.test_client()
    login_as(other, editor)
    token = form_token(parse(other.get("/submit").data))
    login_as(csrf_client, editor)

    response = csrf_client.post("/submit", data=valid_form(csrf_token=token))

    assert response.status_code == 400
    assert re.search(r"CSRF", parse(response.data).one("main").text)
    assert stored_practices(csrf_app) == []


def form_token(doc) -> str:
    """Return the CSRF token of the practice form (the sign-out form has its own)."""
    return doc.one("form", action="/submit").one("input", name="csrf_token")["value"]


def test_a_near_empty_practice_is_saved_as_a_draft_but_not_submitted(app, client, school):
    form = valid_form(summary="", body="\u200b🌱🌱 ...", intent="submit")

    response = client.post("/submit", data=form)
    in_french = client.post("/submit", data=form, headers={"Accept-Language": "fr"})

    assert response.status_code == 422
    assert "says too little" in field_error(parse(response.data), "body")
    assert "en dit trop peu" in field_error(parse(in_french.data), "body")
    assert stored_practices(app) == []
    client.post("/submit", data=valid_form(summary="", body="...", intent="save"))
    assert [p["status"] for p in stored_practices(app)] == ["draft"]
