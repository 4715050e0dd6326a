"""GET /api/v1/search and /api/v1/practices/<id>/similar as an API client sees them."""
from __future__ import annotations

import pytest


def test_search_returns_public_practices_with_their_summary_fields(client, add_practice):
    practice_id = add_practice(title="Forest school mornings", language="en", country="GB",
                               themes=["esd"], pillars=[1], levels=["primary"],
                               institution={"name": "Oak Primary", "country": "GB"})
    add_practice(status="submitted", title="Forest school afternoons")
    body = client.get("/api/v1/search?q=forest school").get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["limit"] == 10
    [result] = body["results"]
    assert result["id"] == practice_id
    assert result["title"] == "Forest school mornings"
    assert result["institution"] == "Oak Primary"
    assert result["themes"] == ["esd"] and result["pillars"] == [1]
    assert result["levels"] == ["primary"]
    assert isinstance(result["score"], float) and result["score"] > 0
    assert result["url"].endswith(f"/practices/{practice_id}")
    assert body["facets"]["language"] == {"en": 1}


def test_without_a_query_the_newest_practices_come_first_without_score(client, add_practice):
    older, newer = add_practice(title="Older"), add_practice(title="Newer")
    results = client.get("/api/v1/search").get_json()["results"]
    assert [r["id"] for r in results] == [newer, older]
    assert [r["score"] for r in results] == [None, None]


@pytest.mark.parametrize("query", ["theme=esd&theme=gced", "theme=esd,gced", "theme=esd, gced"])
def test_filter_values_may_be_repeated_or_comma_separated(client, add_practice, query):
    wanted = {add_practice(themes=["esd"]), add_practice(themes=["gced"])}
    add_practice(themes=["intercultural"])
    results = client.get(f"/api/v1/search?{query}").get_json()["results"]
    assert {r["id"] for r in results} == wanted


def test_limit_and_page_walk_through_the_results(client, add_practice):
    made = {add_practice(title=f"Drama club {n}") for n in range(5)}
    first = client.get("/api/v1/search?q=drama club&limit=2").get_json()
    third = client.get("/api/v1/search?q=drama club&limit=2&page=3").get_json()
    assert first["total"] == 5 and len(first["results"]) == 2 and len(third["results"]) == 1
    seen = [r["id"] for p in (1, 2, 3) for r in client.get(
        f"/api/v1/search?q=drama club&limit=2&page={p}").get_json()["results"]]
    assert set(seen) == made and len(seen) == 5


def test_similar_leaves_out_the_practice_itself_and_can_ask_for_other_languages(client,
                                                                              add_practice):
    source = add_practice(title="Recycling plastic bottles", language="en", country="GB")
    same_language = add_practice(title="Recycling plastic bottles", language="en", country="GB")
    other_language = add_practice(title="Recycling plastic bottles", language="fr",
                                  country="FR")
    add_practice(status="submitted", title="Recycling plastic bottles")
    everything = client.get(f"/api/v1/practices/{source}/similar").get_json()["results"]
    assert {r["id"] for r in everything} == {same_language, other_language}
    elsewhere = client.get(f"/api/v1/practices/{source}/similar?other_languages=true&limit=5")
    assert [r["id"] for r in elsewhere.get_json()["results"]] == [other_language]
    abroad = client.get(f"/api/v1/practices/{source}/similar?other_countries=1")
    assert [r["id"] for r in abroad.get_json()["results"]] == [other_language]


def test_similar_of_a_practice_that_is_not_public_is_not_found(client, add_practice):
    hidden = add_practice(status="submitted")
    response = client.get(f"/api/v1/practices/{hidden}/similar")
    assert response.status_code == 404 and response.is_json
