"""Issue 10 on the search page and the API: the passage of a long practice that matched is
shown, nothing counts below the relevance floor, and a query's results can be sorted by date."""
from __future__ import annotations

import pytest

from search_index import HashingEncoder
from search_index.floor import FLOORS, RelevanceFloor
from tests.web.html_page import parse

LONG_BODY = "\n\n".join(
    [f"Week {n}: the pupils of the media club checked one more rumour about the town, "
     "wrote a short article and read it on the school radio." for n in range(1, 9)]
    + ["Finally, the environment club installed gutters and three tanks to harvest "
       "rainwater from the classroom roofs for the toilets and the vegetable garden."])


@pytest.fixture
def app_config(app_config):
    """Passages of at most 38 tokens, so a long practice has several (the real model: 512)."""
    return {**app_config, "ENCODER": HashingEncoder(max_tokens=40)}


@pytest.fixture
def floor(monkeypatch, app_config):
    """A relevance floor for the hashing encoder without neutralizer (the real model has a
    calibrated one with its neutralizer)."""
    app_config["SEARCH_NEUTRALIZER"] = False
    monkeypatch.setitem(FLOORS, (HashingEncoder().model_id, False),
                        RelevanceFloor(cosine=0.5, keyword_coverage=0.99))


def test_a_long_practice_found_for_its_last_paragraph_shows_that_paragraph(client,
                                                                          add_practice):
    add_practice(title="A year of media literacy", summary="", body=LONG_BODY)

    doc = parse(client.get("/search", query_string={"q": "harvest rainwater tanks"}).data)
    api = client.get("/api/v1/search", query_string={"q": "harvest rainwater tanks"}).get_json()

    passage = doc.one("p", class_="matched-passage")
    assert "Matching passage:" in passage.text and "harvest rainwater" in passage.text
    assert passage.find("span", lang="en") is not None
    assert "harvest rainwater" in api["results"][0]["passage"]


def test_a_practice_matched_by_its_opening_shows_no_extra_passage(client, add_practice):
    add_practice(title="A year of media literacy", summary="", body=LONG_BODY)

    doc = parse(client.get("/search", query_string={"q": "Week 1 media club rumour"}).data)
    api = client.get("/api/v1/search", query_string={"q": "Week 1 media club rumour"})

    assert doc.find("p", class_="matched-passage") is None
    assert api.get_json()["results"][0]["passage"] is None


def test_a_query_that_matches_nothing_closely_says_so(floor, client, add_practice):
    for n in range(3):
        add_practice(title=f"School garden {n}", body="Pupils grow vegetables and compost.")

    doc = parse(client.get("/search", query_string={"q": "zzqxw blorf"}).data)
    api = client.get("/api/v1/search", query_string={"q": "zzqxw blorf"}).get_json()
    found = client.get("/api/v1/search", query_string={"q": "compost"}).get_json()

    assert doc.one("h2", id="results-title").text.startswith("0 practices found")
    assert "No close matches for" in doc.one("div", class_="notice").text
    assert api["total"] == 0 and api["results"] == []
    assert found["total"] == 3


def test_a_querys_results_can_be_sorted_newest_first(client, add_practice):
    for title in ("Old garden", "Middle garden", "New garden"):
        add_practice(title=title, body="Pupils grow vegetables in the garden.")

    doc = parse(client.get("/search", query_string={"q": "garden", "sort": "newest"}).data)
    api = client.get("/api/v1/search", query_string={"q": "garden", "sort": "newest"})
    bad = client.get("/api/v1/search", query_string={"q": "garden", "sort": "oldest"})

    titles = [h.text for h in doc.one("ol", class_="results").find_all("h3")]
    assert titles == ["New garden", "Middle garden", "Old garden"]
    assert doc.one("select", id="sort").one("option", selected=True)["value"] == "newest"
    assert [r["title"] for r in api.get_json()["results"]] == titles
    assert bad.status_code == 400 and "sort" in bad.get_data(as_text=True)


def test_a_near_empty_practice_published_before_the_rule_is_never_a_querys_result(
        app, client, add_practice):
    kept = add_practice(title="Garden club", body="Pupils grow vegetables in the garden.")
    legacy = add_practice(title="Garden", body="Pupils grow vegetables in the garden too.")
    with app.app_context():
        from app.db import get_session
        from practices.models import Practice
        from practices.rendering import render_markdown
        session = get_session()
        practice = session.get(Practice, legacy)
        # As the row of a practice published before the rule: text and its rendering agree.
        practice.summary, practice.body = "", "🌱🌱 ..."
        practice.body_html = render_markdown(practice.body)
        session.commit()

    found = client.get("/api/v1/search", query_string={"q": "garden"}).get_json()
    listed = client.get("/api/v1/search").get_json()

    assert [r["id"] for r in found["results"]] == [kept]
    assert {r["id"] for r in listed["results"]} == {kept, legacy}
