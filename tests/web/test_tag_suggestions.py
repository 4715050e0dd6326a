"""While writing, a school asks for tags suggested from its text ("Suggest tags"): the form
comes back with the same content and the suggestions marked, none ticked; only what the school
then ticks is saved."""
from __future__ import annotations

import pytest

from tests.web.helpers import login_as, school_and_editor
from tests.web.html_page import accessibility_problems, parse
from tests.web.test_pages_submit import stored_practices, valid_form

# A practice whose words are those of Education for Sustainable Development and of waste: the
# hashing encoder of the tests matches words, so these are what it can find.
RECYCLING = valid_form(
    language="en",
    title="Pupils run the school's recycling and compost",
    summary="Students sort waste, recycle plastic and make compost for the school garden.",
    body="Every class sorts its waste. The eco club recycles plastic and paper, turns food "
         "waste into compost and teaches sustainable consumption to protect the environment.",
    themes=[], pillars=[], levels=[], emerging_issues=[], sdg_targets="", intent="suggest",
)


@pytest.fixture
def school(app, client):
    institution_id, editor = school_and_editor(app, country="KE")
    login_as(client, editor)
    return institution_id, editor


def suggested(doc) -> dict[str, list[str]]:
    """{field name: values of the boxes marked "suggested"}."""
    marked: dict[str, list[str]] = {}
    for box in doc.find_all("input", type="checkbox"):
        if _label_of(doc, box["id"]).find(class_="tag-suggested") is not None:
            marked.setdefault(box["name"], []).append(box["value"])
    return marked


def _label_of(doc, box_id):
    return next(lab for lab in doc.find_all("label") if lab.get("for") == box_id)


def test_a_school_sees_tags_suggested_for_its_text_and_nothing_is_ticked(app, client, school):
    response = client.post("/submit", data=RECYCLING)

    assert response.status_code == 200
    doc = parse(response.data)
    marks = suggested(doc)
    assert "esd" in marks["themes"]
    assert "waste" in marks["emerging_issues"]
    assert marks["suggested_sdg_targets"]
    assert "pillars" not in marks  # measured worse than a constant: not suggested
    assert [b["value"] for b in doc.find_all("input", type="checkbox")
            if b.get("checked") is not None] == []
    # The same content comes back, and nothing was saved.
    assert doc.one("input", name="title")["value"] == RECYCLING["title"]
    assert RECYCLING["body"] in doc.one("textarea", name="body").text
    assert stored_practices(app) == []
    assert accessibility_problems(doc) == []


def test_only_the_suggestions_the_school_ticks_are_saved(app, client, school):
    doc = parse(client.post("/submit", data=RECYCLING).data)
    target = suggested(doc)["suggested_sdg_targets"][0]

    client.post("/submit", data={**RECYCLING, "intent": "save", "themes": ["esd"],
                                 "suggested_sdg_targets": [target], "sdg_targets": "4.7"})

    (practice,) = stored_practices(app)
    assert practice["themes"] == ["esd"]
    assert practice["pillars"] == []
    assert sorted(practice["sdg_targets"]) == sorted({"4.7", target})


@pytest.mark.parametrize("title, body", [("", ""), ("...", " \u200b\u200b "), ("🌱🌍", "")])
def test_no_text_gets_no_suggestion_and_a_clear_message(app, client, school, title, body):
    response = client.post("/submit", data={**RECYCLING, "title": title, "summary": "",
                                            "body": body})

    assert response.status_code == 422
    doc = parse(response.data)
    assert "write a title or a description first" in doc.one(class_="error-summary").text
    assert suggested(doc) == {}
    assert stored_practices(app) == []


def test_the_message_is_in_french_for_a_french_interface(app, client, school):
    response = client.post("/submit", data={**RECYCLING, "title": "", "summary": "",
                                            "body": ""}, headers={"Accept-Language": "fr"})

    assert "Rien à suggérer" in parse(response.data).one(class_="error-summary").text


@pytest.mark.model
def test_the_real_model_suggests_tags_for_a_text_in_another_language(make_app, real_encoder):
    app = make_app(ENCODER=real_encoder)
    client = app.test_client()
    _, editor = school_and_editor(app, country="SN")
    login_as(client, editor)
    garden = {**RECYCLING, "language": "fr",
              "title": "Un potager et un composteur au collège",
              "summary": "Les élèves cultivent des légumes et compostent les déchets de la "
                         "cantine.",
              "body": "Chaque classe entretient une parcelle. Les épluchures de la cantine "
                      "vont au composteur; les élèves mesurent ce qu'ils ne jettent plus."}

    marks = suggested(parse(client.post("/submit", data=garden).data))

    assert marks["themes"] == ["esd"]
    assert "waste" in marks["emerging_issues"]
    assert any(code.startswith(("2.", "4.", "12.")) for code in marks["suggested_sdg_targets"])


API = "/api/v1/tag-suggestions"


def test_the_api_suggests_tags_for_a_draft_as_documented(client, api_auth):
    from tests.web.test_api_openapi import _check

    spec = client.get("/api/v1/openapi.json").get_json()
    response = client.post(API, json={"title": RECYCLING["title"], "body": RECYCLING["body"],
                                      "themes": "ignored"}, headers=api_auth)

    assert response.status_code == 200
    assert "esd" in response.get_json()["themes"]
    _check(spec, "/tag-suggestions", "post", response)
    for bad in ({"title": "  ...  ", "body": "\u200b"}, {"title": ["not", "text"]}):
        refused = client.post(API, json=bad, headers=api_auth)
        assert refused.status_code == 422
        _check(spec, "/tag-suggestions", "post", refused)
    assert client.post(API, json={"title": "Compost"}).status_code == 401


def test_the_api_says_why_an_empty_draft_gets_no_suggestion(client, api_auth):
    response = client.post(API, json={"title": "", "body": "🌱"}, headers=api_auth)

    assert response.status_code == 422
    assert "no text to suggest tags from" in str(response.get_json())


def test_suggesting_while_editing_a_draft_changes_nothing_stored(app, client, school):
    client.post("/submit", data={**RECYCLING, "intent": "save", "themes": ["gced"]})
    (draft,) = stored_practices(app)

    response = client.post(f"/my/practices/{draft['id']}/edit",
                           data={**RECYCLING, "title": "Compost and recycling, new title"})

    assert response.status_code == 200
    doc = parse(response.data)
    assert doc.one("input", name="title")["value"] == "Compost and recycling, new title"
    assert "esd" in suggested(doc)["themes"]
    assert stored_practices(app) == [draft]
