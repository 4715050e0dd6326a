"""The results page: query, filters with counts, removable filters, pagination, empty states."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.html_page import accessibility_problems, parse


def result_titles(doc) -> list[str]:
    results = doc.find("ol", class_="results")
    return [h.text for h in results.find_all("h3")] if results else []


def facet_labels(doc, name: str) -> dict[str, str]:
    """Return {value: label text} of the filter checkboxes of one field."""
    boxes = doc.one("form", class_="filters").find_all("input", name=name)
    return {b["value"]: doc.one("label", for_=b["id"]).text for b in boxes}


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.fixture
def small_pages(app):
    """Two results per page, so a handful of practices makes several pages."""
    app.config["SEARCH_RESULTS_LIMIT"] = 2


def test_without_query_every_public_practice_is_listed_newest_first(client, add_practice):
    for title in ("Old garden", "Middle garden", "New garden"):
        add_practice(title=title)
    add_practice(status="submitted", title="Garden under review")

    doc = parse(client.get("/search").data)

    assert result_titles(doc) == ["New garden", "Middle garden", "Old garden"]
    assert doc.one("h2", id="results-title").text == "3 practices"
    assert accessibility_problems(doc) == []


def test_the_query_box_keeps_the_query(client, add_practice):
    add_practice(title="Peer mediators at break time")

    doc = parse(client.get("/search?q=peer+mediation").data)

    assert doc.one("input", id="q")["value"] == "peer mediation"
    assert "Peer mediators at break time" in result_titles(doc)
    assert doc.one("h2", id="results-title").text.endswith("found for “peer mediation”")


def test_each_filter_value_shows_how_many_results_have_it(client, add_practice):
    add_practice(themes=["esd"], country="FR", language="fr")
    add_practice(themes=["esd", "gced"], country="FR", language="fr")
    add_practice(themes=["gced"], country="KE", language="sw")

    doc = parse(client.get("/search").data)

    assert facet_labels(doc, "theme") == {
        "gced": "Peace through Global Citizenship Education (2 practices)",
        "esd": "Education for Sustainable Development (2 practices)",
    }
    assert facet_labels(doc, "country") == {
        "FR": "France (2 practices)",
        "KE": "Kenya (1 practice)",
    }
    assert facet_labels(doc, "language") == {
        "fr": "French (2 practices)",
        "sw": "Swahili (1 practice)",
    }


def test_a_filter_narrows_the_results_and_stays_chosen(client, add_practice):
    add_practice(title="Garden", themes=["esd"])
    add_practice(title="Peace club", themes=["gced"], pillars=[2])

    doc = parse(client.get("/search?theme=gced").data)

    assert result_titles(doc) == ["Peace club"]
    chosen = doc.one("form", class_="filters").find_all("input", checked=True)
    assert [(b["name"], b["value"]) for b in chosen] == [("theme", "gced")]
    assert facet_labels(doc, "pillar") == {
        "2": "Pillar 2: Capacity building through pilot projects (1 practice)"
    }


def test_a_chosen_filter_can_be_removed_and_the_query_is_kept(client, add_practice):
    add_practice(themes=["gced"], country="KE", language="en")

    doc = parse(client.get("/search?q=peace&theme=gced&country=KE").data)

    links = {a.text: a["href"] for a in doc.one("div", class_="active-filters").find_all("a")}
    remove_theme = links["Remove filter Thematic area: Peace through Global Citizenship Education"]
    assert query_of(remove_theme) == {"q": ["peace"], "country": ["KE"]}
    assert query_of(links["Remove filter Country: Kenya"]) == {"q": ["peace"], "theme": ["gced"]}
    assert query_of(links["Remove all filters"]) == {"q": ["peace"]}


def test_the_query_form_carries_the_chosen_filters(client, add_practice):
    add_practice(themes=["gced"])

    doc = parse(client.get("/search?theme=gced&level=primary").data)

    hidden = doc.one("form", role="search").find_all("input", type="hidden")
    pairs = sorted((h["name"], h["value"]) for h in hidden)
    assert pairs == [("level", "primary"), ("theme", "gced")]


def test_filter_values_in_the_address_are_read_like_the_facets_name_them(client, add_practice):
    add_practice(country="FR", language="fr")

    doc = parse(client.get("/search?country=fr").data)

    box = doc.one("form", class_="filters").one("input", name="country", value="FR")
    assert box.get("checked") is not None


def test_pages_link_to_each_other_keeping_query_and_filters(client, add_practice, small_pages):
    for n in range(7):
        add_practice(title=f"Garden {n}", themes=["esd"])
    add_practice(title="Not in esd", themes=["gced"])

    doc = parse(client.get("/search?theme=esd&page=2").data)

    nav = doc.one("nav", class_="pagination")
    current = nav.one("a", aria_current="page")
    assert current.text == "Page 2"
    assert query_of(nav.one("a", rel="prev")["href"]) == {"theme": ["esd"]}
    assert query_of(nav.one("a", rel="next")["href"]) == {"theme": ["esd"], "page": ["3"]}
    numbers = [a.text for a in nav.find_all("a") if not a.get("rel")]
    assert numbers == ["Page 1", "Page 2", "Page 3", "Page 4"]
    assert result_titles(doc) == ["Garden 4", "Garden 3"]
    assert doc.one("ol", class_="results")["start"] == "3"


def test_first_and_last_pages_have_no_link_beyond_them(client, add_practice, small_pages):
    for n in range(3):
        add_practice(title=f"Garden {n}")

    first = parse(client.get("/search").data).one("nav", class_="pagination")
    last = parse(client.get("/search?page=2").data).one("nav", class_="pagination")

    assert first.find("a", rel="prev") is None and first.find("a", rel="next") is not None
    assert last.find("a", rel="next") is None and last.find("a", rel="prev") is not None


def test_one_page_of_results_has_no_pagination(client, add_practice):
    add_practice()

    assert parse(client.get("/search").data).find("nav", class_="pagination") is None


def test_no_match_with_filters_offers_to_remove_a_filter(client, add_practice):
    add_practice(themes=["esd"], country="FR", language="fr")

    doc = parse(client.get("/search?theme=gced&country=FR").data)

    notice = doc.one("div", class_="notice")
    assert "No practice matches these filters." in notice.text
    hrefs = {a.text: a["href"] for a in notice.find_all("a")}
    theme = "Remove filter Thematic area: Peace through Global Citizenship Education"
    assert query_of(hrefs[theme]) == {"country": ["FR"]}
    assert hrefs["Search without filters"] == "/search"


def test_a_page_past_the_last_one_links_back_to_the_last(client, add_practice, small_pages):
    for _ in range(3):
        add_practice()

    doc = parse(client.get("/search?page=9").data)

    link = doc.one("div", class_="notice").one("a")
    assert query_of(link["href"]) == {"page": ["2"]}


def test_an_unknown_filter_value_is_explained(client):
    response = client.get("/search?theme=astrology")

    assert response.status_code == 422
    assert "astrology" in parse(response.data).one("main").text


def test_arabic_results_read_right_to_left_inside_the_english_page(client, add_practice):
    add_practice(
        title="حديقة المدرسة", summary="يزرع التلاميذ الخضروات.", language="ar", country="EG",
        institution={"name": "مدرسة النيل", "country": "EG"},
    )
    add_practice(title="School garden", language="en")

    doc = parse(client.get("/search").data)

    assert doc.one("html")["lang"] == "en" and doc.one("html")["dir"] == "ltr"
    titles = doc.one("ol", class_="results").find_all("h3")
    heading = next(h for h in titles if h.text == "حديقة المدرسة")
    assert (heading["lang"], heading["dir"]) == ("ar", "rtl")
    snippet = heading.parent.one("p", lang="ar")
    assert snippet["dir"] == "rtl" and snippet.text == "يزرع التلاميذ الخضروات."
    english = next(h for h in titles if h.text == "School garden")
    assert (english["lang"], english["dir"]) == ("en", "ltr")
    assert "Arabic" in heading.parent.one("p", class_="meta").text
    assert "Egypt" in heading.parent.one("p", class_="meta").text
    school = heading.parent.one("p", class_="meta").one("span", lang="ar")
    assert (school.text, school["dir"]) == ("مدرسة النيل", "rtl")
