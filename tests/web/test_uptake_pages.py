"""Uptake on the pages: a school names the practice its practice adapts; both public pages
show the link; the original's country dashboard lists it as taken up."""
from __future__ import annotations

import pytest

from tests.factories import make_institution, make_practice, make_user
from tests.web.helpers import committed, login_as
from tests.web.html_page import accessibility_problems, parse


@pytest.fixture
def pair(app):
    """A Kenyan original and a French school's practice, with the French school's editor."""

    def make(session):
        original = make_practice(session, title="Compost club",
                                 institution=make_institution(session, "Nairobi", "KE"))
        school = make_institution(session, "Lycée Hugo", "FR")
        adapted = make_practice(session, title="Club compost", institution=school)
        editor = make_user(session, "school_editor", institution=school)
        return original.id, adapted.id, editor

    return committed(app, make)


def test_school_names_the_original_and_both_pages_show_it(app, client, pair):
    original, adapted, editor = pair
    login_as(client, editor)
    page = parse(client.get(f"/my/practices/{adapted}").data)
    link = next(a for a in page.find_all("a") if a.text == "Adapted from another school's practice")
    form_page = parse(client.get(link["href"]).data)
    assert accessibility_problems(form_page) == []
    response = client.post(link["href"], data={"original": f"http://localhost/practices/{original}"})
    assert response.status_code == 302
    mine = parse(client.get(f"/practices/{adapted}").data).one("section", class_="uptake")
    assert "Adapted from Compost club (Kenya)" in mine.text
    theirs = parse(client.get(f"/practices/{original}").data).one("section", class_="uptake")
    assert "Taken up by 1 school, in 1 country" in theirs.text
    assert theirs.one("a")["href"] == f"/practices/{adapted}"
    coordinator = app.test_client()
    login_as(coordinator, committed(app, lambda s: make_user(s, "national_coordinator",
                                                             country="KE")))
    dashboard = parse(coordinator.get("/monitoring/countries/KE").data)
    row = dashboard.one("table", id="t-taken-up").one("tbody").one("tr")
    assert [row.one("th").text, *(td.text for td in row.find_all("td"))] == [
        "Compost club", "1", "1"]


def test_a_bad_reference_is_refused_clearly_and_changes_nothing(client, pair):
    original, adapted, editor = pair
    login_as(client, editor)
    response = client.post(f"/my/practices/{adapted}/adapted-from", data={"original": "nope"})
    assert response.status_code == 422
    assert "give the number of the practice" in response.get_data(as_text=True)
    own = client.post(f"/my/practices/{adapted}/adapted-from", data={"original": str(adapted)})
    assert own.status_code == 422
    assert parse(client.get(f"/practices/{adapted}").data).find("section", class_="uptake") is None


def test_another_school_may_not_say_what_a_practice_adapts(app, client, pair):
    original, adapted, _ = pair
    login_as(client, committed(app, lambda s: make_user(s, "school_editor")))
    assert client.get(f"/my/practices/{adapted}/adapted-from").status_code == 403
    assert client.post(f"/my/practices/{adapted}/adapted-from",
                       data={"original": str(original)}).status_code == 403


def test_the_curators_promotion_page_shows_the_uptake_as_evidence(app, client, pair):
    original, adapted, editor = pair
    login_as(client, editor)
    client.post(f"/my/practices/{adapted}/adapted-from", data={"original": str(original)})
    curator = app.test_client()
    login_as(curator, committed(app, lambda s: make_user(s, "curator")))
    page = parse(curator.get(f"/curation/practices/{original}/promote").data)
    assert page.one("p", class_="uptake-evidence").text.startswith(
        "Taken up by 1 school, in 1 country")
