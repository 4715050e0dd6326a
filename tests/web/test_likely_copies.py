"""“This looks like practice N (in French, from Kenya)”: a school sees, on its form's preview
and on its practice's page, the practices its text repeats; a reviewer sees the same on the
review page. Only practices the person may see are ever named: a school never learns of
another school's draft or submission.

The tests' hashing encoder is no translator, so these are near copies in one language; the
real model's translations are measured in tests/search/test_duplicates_model.py and the
browser test.
"""
from __future__ import annotations

import pytest

from tests.factories import make_practice, make_user, practice_data
from tests.web.helpers import committed, login_as, school_and_editor
from tests.web.html_page import accessibility_problems, parse
from tests.web.test_pages_submit import valid_form

TITLE = "Un potager au collège"
SUMMARY = "Les élèves cultivent des légumes dans des bacs et compostent les restes de la cantine."
BODY = "Nous avons construit des bacs.\n\n- compost\n- semis"


def copy_form(**changes) -> dict:
    return valid_form(title=TITLE, summary=SUMMARY, body=BODY, **changes)


def copy_data(**overrides):
    return practice_data(title=TITLE, summary=SUMMARY, body=BODY, language="fr", **overrides)


def other_school_practice(app, status: str, country: str = "KE") -> int:
    def make(session):
        return make_practice(session, status=status, title=TITLE, summary=SUMMARY, body=BODY,
                             language="fr",
                             institution={"name": f"École de {country}", "country": country}).id
    return committed(app, make)


def named(response) -> list[tuple[str, str]]:
    """(sentence, link) of each likely copy the page names."""
    assert response.status_code == 200, response.data
    section = parse(response.data).find("section", id="likely-copies")
    if section is None:
        return []
    return [(" ".join(li.text.split()), li.one("a")["href"]) for li in section.find_all("li")]


@pytest.fixture
def school(app, client):
    _, editor = school_and_editor(app, country="KE")
    login_as(client, editor)
    return editor


def test_a_preview_names_the_published_practice_the_text_repeats(app, client, school):
    published = other_school_practice(app, "published")

    response = client.post("/submit", data=copy_form(intent="preview"))

    assert named(response) == [(
        f"This looks like practice {published} (in French, from Kenya): {TITLE}",
        f"/practices/{published}")]
    assert accessibility_problems(parse(response.data)) == []


def test_the_warning_is_in_the_interface_language(app, client, school):
    published = other_school_practice(app, "published")

    response = client.post("/submit", data=copy_form(intent="preview"),
                           headers={"Accept-Language": "fr"})

    sentence, _ = named(response)[0]
    assert sentence.startswith(
        f"Ceci ressemble à la pratique {published} (en français, pays : Kenya) :")


def test_a_different_text_is_named_by_nobody(app, client, school):
    other_school_practice(app, "published")

    response = client.post("/submit", data=valid_form(
        intent="preview", title="Débat sur les droits de l'enfant",
        summary="Un conseil des élèves discute des règles de vie.",
        body="Chaque mois, les délégués votent."))

    assert named(response) == []


@pytest.mark.postgres
@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "declined"])
def test_a_school_never_learns_of_another_schools_practice_under_work(app, client, school,
                                                                      status):
    other_school_practice(app, status)

    assert named(client.post("/submit", data=copy_form(intent="preview"))) == []


def test_after_saving_the_school_page_names_its_own_earlier_draft_but_never_itself(
        app, client, school):
    earlier = committed(app, lambda s: make_practice(
        s, status="draft", data=copy_data(), author=s.merge(school)).id)

    saved = client.post("/submit", data=copy_form(intent="save"), follow_redirects=True)

    assert [link for _, link in named(saved)] == [f"/my/practices/{earlier}"]
    page = client.get(f"/my/practices/{earlier}")
    assert [link for _, link in named(page)] != [f"/my/practices/{earlier}"]


@pytest.mark.postgres
def test_the_reviewer_sees_the_submission_repeats_one_of_the_countrys(app, client):
    earlier = other_school_practice(app, "submitted")
    hidden = other_school_practice(app, "draft")
    elsewhere = other_school_practice(app, "submitted", country="MA")
    _, editor = school_and_editor(app, country="KE")
    submission = committed(app, lambda s: make_practice(
        s, status="submitted", data=copy_data(), author=s.merge(editor)).id)
    coordinator = committed(app, lambda s: make_user(s, "national_coordinator", country="KE"))
    login_as(client, coordinator)

    links = [link for _, link in named(client.get(f"/review/practices/{submission}"))]

    assert links == [f"/review/practices/{earlier}"]
    assert f"/review/practices/{hidden}" not in links
    assert f"/review/practices/{elsewhere}" not in links


def test_after_submitting_the_school_still_sees_the_published_practice_it_repeats(
        app, client, school):
    published = other_school_practice(app, "published")

    submitted = client.post("/submit", data=copy_form(intent="submit"), follow_redirects=True)

    assert [link for _, link in named(submitted)] == [f"/practices/{published}"]


def test_a_published_practice_page_warns_of_nothing(app, client, school):
    other_school_practice(app, "published")
    own = committed(app, lambda s: make_practice(
        s, status="published", data=copy_data(), author=s.merge(school)).id)

    assert named(client.get(f"/my/practices/{own}")) == []
