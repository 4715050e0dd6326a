"""The practice form's "Preview" button: the school sees its Markdown rendered (sanitised) and
its tags as the public page shows them, nothing is saved, and the form keeps what was typed.
A plain form post: it works without JavaScript."""
from __future__ import annotations

import pytest

from tests.web.helpers import audit_actions, login_as, practice_state, school_and_editor
from tests.web.html_page import accessibility_problems, parse
from tests.web.test_pages_submit import stored_practices, valid_form


@pytest.fixture
def school(app, client):
    _, editor = school_and_editor(app, country="KE")
    login_as(client, editor)
    return editor


def preview_of(response):
    assert response.status_code == 200, response.data
    doc = parse(response.data)
    return doc, doc.one("section", id="preview")


def test_the_preview_shows_the_rendered_body_and_the_tags_and_saves_nothing(app, client, school):
    form = valid_form(body="## Étapes\n\n- **compost**\n- semis\n\n<script>alert(1)</script>",
                      intent="preview")

    doc, preview = preview_of(client.post("/submit", data=form))

    body = preview.one("div", class_="practice-body")
    assert body.one("h2").text == "Étapes"
    assert [li.text for li in body.find_all("li")] == ["compost", "semis"]
    assert body.one("strong").text == "compost"
    assert body.find("script") is None
    facts = preview.one("dl", class_="facts").text
    for label in ("Education for Sustainable Development", "Secondary", "Target 4.7", "Pillar 1",
                  "CC-BY-SA-4.0", "2023"):
        assert label in facts
    assert preview.one("h3").text == "Un potager au collège"
    assert accessibility_problems(doc) == []
    assert stored_practices(app) == []


def test_the_form_stays_filled_in_after_a_preview(client, school):
    doc, _ = preview_of(client.post("/submit", data=valid_form(intent="preview")))

    assert doc.one("input", id="title")["value"] == "Un potager au collège"
    assert "Nous avons construit des bacs." in doc.one("textarea", id="body").text
    checked = {box["value"] for box in doc.find_all("input", name="themes") if box.get("checked")
               is not None}
    assert checked == {"esd", "gced"}
    assert doc.one("input", id="sdg_targets")["value"] == "4.7, 13.3"
    assert doc.one("input", name="external_id")["value"] == ""
    buttons = [b["value"] for b in doc.find_all("button", name="intent")]
    assert buttons == ["save", "preview", "submit", "suggest"]


def test_an_edit_is_previewed_without_changing_the_saved_draft(app, client, school):
    saved = client.post("/submit", data=valid_form())
    practice_id = int(saved.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    before = practice_state(app, practice_id)

    _, preview = preview_of(client.post(
        f"/my/practices/{practice_id}/edit",
        data=valid_form(title="Un nouveau titre", intent="preview")))

    assert preview.one("h3").text == "Un nouveau titre"
    assert practice_state(app, practice_id) == before
    assert audit_actions(app, practice_id) == ["create"]


def test_a_preview_with_a_bad_value_shows_the_error_and_no_preview(client, school):
    response = client.post("/submit", data=valid_form(year="1800", intent="preview"))

    assert response.status_code == 422
    doc = parse(response.data)
    assert doc.find("section", id="preview") is None
    assert "1800" in doc.one("div", class_="error-summary").text


def test_the_preview_speaks_french(client, school):
    response = client.post("/submit", data=valid_form(intent="preview"),
                           headers={"Accept-Language": "fr"})

    _, preview = preview_of(response)
    assert preview.one("h2").text == "Aperçu"
    assert "Rien n’est encore enregistré" in preview.text
