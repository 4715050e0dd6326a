"""The start page: a search box, what the collection holds, the newest practices."""
from __future__ import annotations

from tests.web.html_page import accessibility_problems, parse


def test_start_page_counts_public_practices_countries_and_languages(client, add_practice):
    add_practice(language="fr", country="FR")
    add_practice(language="fr-CA", country="CA")
    add_practice(language="ar", country="EG")
    add_practice(status="submitted", language="ja", country="JP")

    doc = parse(client.get("/").data)

    stats = [li.text for li in doc.one("ul", class_="stats").find_all("li")]
    assert stats == ["3 published practices", "3 countries", "2 languages"]


def test_start_page_lists_the_newest_public_practices_first(client, add_practice):
    for title in ("First garden", "Second garden", "Third garden"):
        add_practice(title=title)
    add_practice(status="submitted", title="Garden under review")

    doc = parse(client.get("/").data)

    cards = doc.one("ul", class_="cards").find_all("h3")
    assert [h.text for h in cards] == ["Third garden", "Second garden", "First garden"]


def test_start_page_search_box_sends_the_query_to_the_results_page(client):
    doc = parse(client.get("/").data)

    form = doc.one("form", role="search")
    assert form["action"] == "/search" and form.get("method") == "get"
    box = form.one("input", type="search")
    assert box["name"] == "q"
    assert doc.one("label", for_=box["id"]).text == "Search practices, in any language"


def test_start_page_links_each_thematic_area_with_its_count(client, add_practice):
    add_practice(themes=["esd"])
    add_practice(themes=["esd", "gced"])

    doc = parse(client.get("/").data)

    links = {a.text: a["href"] for a in doc.find_all("a") if a["href"].startswith("/search?")}
    assert links["Education for Sustainable Development"] == "/search?theme=esd"
    assert "2 practices" in doc.find("a", href="/search?theme=esd").parent.text
    assert "Intercultural learning and cultural diversity & heritage" not in links


def test_empty_collection_says_nothing_is_published_yet(client):
    doc = parse(client.get("/").data)

    assert "No practice has been published yet." in doc.one("main").text
    assert accessibility_problems(doc) == []
