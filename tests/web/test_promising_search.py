"""Promising practices in search: a badge on results and practice pages, and a filter with
counts on the results page and in GET /api/v1/search (status=promising)."""
from __future__ import annotations

import pytest

from practices.services import promote
from tests.factories import VALID_DOSSIER, make_user, practice_data
from tests.web.helpers import committed, new_practice
from tests.web.html_page import accessibility_problems, parse


@pytest.fixture
def three(app):
    """A published, a promising and a flagged practice: {status: id}."""
    return {
        status: new_practice(app, status, data=practice_data(1, title=f"Compost {status}"))
        for status in ("published", "promising", "flagged_for_policy")
    }


def badges_by_title(doc) -> dict[str, list[str]]:
    found = {}
    for item in doc.one("ol", class_="results").find_all("li", class_="result"):
        badges = item.find("ul", class_="badges")
        found[item.find("h3").text] = [b.text for b in badges.find_all("li")] if badges else []
    return found


def test_results_mark_promising_and_flagged_practices(client, three):
    doc = parse(client.get("/search").data)

    assert badges_by_title(doc) == {
        "Compost published": [],
        "Compost promising": ["Promising practice"],
        "Compost flagged_for_policy": ["Promising practice", "Flagged for policy"],
    }
    assert accessibility_problems(doc) == []


@pytest.mark.postgres
def test_the_recognition_filter_shows_counts_and_finds_flagged_ones_among_promising(
    client, three
):
    doc = parse(client.get("/search").data)
    boxes = doc.one("form", class_="filters").find_all("input", name="status")
    labels = {b["value"]: doc.one("label", for_=b["id"]).text for b in boxes}
    assert labels == {
        "promising": "Promising practice (2 practices)",
        "flagged_for_policy": "Flagged for policy (1 practice)",
    }

    promising = parse(client.get("/search?status=promising").data)
    assert set(badges_by_title(promising)) == {"Compost promising", "Compost flagged_for_policy"}
    flagged = parse(client.get("/search?status=flagged_for_policy").data)
    assert set(badges_by_title(flagged)) == {"Compost flagged_for_policy"}
    assert "Remove filter Recognition: Flagged for policy" in flagged.one("main").text


def test_the_practice_page_shows_the_badge(client, three):
    doc = parse(client.get(f"/practices/{three['promising']}").data)

    article = doc.one("article", class_="practice")
    assert [b.text for b in article.one("ul", class_="badges").find_all("li")] == [
        "Promising practice"
    ]
    plain = parse(client.get(f"/practices/{three['published']}").data)
    assert plain.one("article", class_="practice").find("ul", class_="badges") is None


def test_the_api_filters_on_status_and_counts_it(client, three):
    body = client.get("/api/v1/search?status=promising").get_json()

    assert {r["id"] for r in body["results"]} == {three["promising"], three["flagged_for_policy"]}
    assert {r["status"] for r in body["results"]} == {"promising", "flagged_for_policy"}
    everything = client.get("/api/v1/search").get_json()
    assert everything["facets"]["status"] == {
        "published": 1, "promising": 2, "flagged_for_policy": 1,
    }  # fmt: skip


def test_the_api_refuses_a_status_that_is_never_public(client, three):
    response = client.get("/api/v1/search?status=draft")

    assert response.status_code == 400
    assert "status" in response.get_json()["error"]


def test_the_api_record_of_a_practice_gives_its_status(client, three):
    body = client.get(f"/api/v1/practices/{three['flagged_for_policy']}").get_json()

    assert body["status"] == "flagged_for_policy"


def test_a_promotion_reaches_the_filter_of_an_index_already_loaded(app, client):
    practice_id = new_practice(app, "published", data=practice_data(1, title="Seed swap"))
    assert client.get("/api/v1/search?status=promising").get_json()["total"] == 0

    committed(app, lambda s: promote(s, practice_id, VALID_DOSSIER,
                                     actor=make_user(s, "curator")))

    found = client.get("/api/v1/search?status=promising").get_json()["results"]
    assert [r["id"] for r in found] == [practice_id]
