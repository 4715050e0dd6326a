"""Atom feeds of newly published practices (/feeds/practices.atom): only public practices, the
search page's filters, promising ones marked, valid Atom in every script, and the links that
announce the feeds on the home and results pages."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from practices.permissions import SYSTEM
from practices.services import set_membership
from tests.factories import make_institution, make_practice, practice_data
from tests.web.helpers import committed, new_practice
from tests.web.html_page import parse

FEED = "/feeds/practices.atom"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_feed(client, url: str = FEED, **headers) -> ET.Element:
    """GET an Atom feed and return its parsed root (fails unless it is served as Atom)."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.data)


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def titles(feed: ET.Element) -> list[str]:
    """The entry titles, in feed order."""
    return [entry.find(f"{ATOM}title").text for entry in entries(feed)]


def categories(entry: ET.Element, scheme_field: str) -> dict[str, str]:
    """{term: label} of an entry's categories whose scheme is the search by `scheme_field`."""
    return {
        c.get("term"): c.get("label")
        for c in entry.findall(f"{ATOM}category")
        if c.get("scheme", "").endswith(f"/search?{scheme_field}=")
    }


def entry_titled(feed: ET.Element, title: str) -> ET.Element:
    [found] = [e for e in entries(feed) if e.find(f"{ATOM}title").text == title]
    return found


def published(app, title: str, status: str = "published", **fields) -> int:
    """Return the id of a practice titled `title`, walked to `status` by the factories."""
    return new_practice(app, status, data=practice_data(1, title=title, **fields))


@pytest.fixture
def recognised(app):
    """A published, a promising and a flagged-for-policy practice."""
    for status in ("published", "promising", "flagged_for_policy"):
        published(app, f"Compost {status}", status)


@pytest.mark.postgres
def test_only_public_practices_of_active_members_appear(app, client):
    for status in ("published", "promising", "flagged_for_policy", "draft", "submitted",
                   "withdrawn", "archived", "changes_requested", "declined"):
        published(app, f"Garden {status}", status)

    def suspended_school_practice(session):
        school = make_institution(session, name="Suspended school")
        make_practice(session, institution=school, data=practice_data(1, title="Garden suspended"))
        set_membership(session, school.id, "suspended", actor=SYSTEM)

    committed(app, suspended_school_practice)

    assert sorted(titles(read_feed(client))) == [
        "Garden flagged_for_policy", "Garden promising", "Garden published",
    ]  # fmt: skip


@pytest.mark.postgres
def test_entries_are_the_thirty_newest_newest_first(app, client):
    def thirty_two(session):
        school = make_institution(session)
        for n in range(1, 33):
            make_practice(session, institution=school, data=practice_data(n, title=f"Day {n}"))

    committed(app, thirty_two)

    assert titles(read_feed(client)) == [f"Day {n}" for n in range(32, 2, -1)]


def test_filters_of_the_search_page_narrow_the_feed(app, client):
    published(app, "Peace club", themes=["gced"], language="en")
    published(app, "Jardin scolaire", themes=["esd"], language="fr", levels=["primary"])
    published(app, "Potager du lycée", themes=["esd"], language="fr", levels=["secondary"])

    assert sorted(titles(read_feed(client, f"{FEED}?theme=esd"))) == [
        "Jardin scolaire", "Potager du lycée",
    ]  # fmt: skip
    assert titles(read_feed(client, f"{FEED}?theme=esd&level=secondary")) == ["Potager du lycée"]
    assert titles(read_feed(client, f"{FEED}?language=en")) == ["Peace club"]
    assert titles(read_feed(client, f"{FEED}?theme=gced,esd&language=fr&level=primary")) == [
        "Jardin scolaire"
    ]


def test_a_query_keeps_only_matching_practices(app, client):
    published(app, "Compost in the canteen", themes=["esd"])
    published(app, "Peace club", themes=["gced"])

    feed = read_feed(client, f"{FEED}?q=compost&theme=esd")

    assert titles(feed) == ["Compost in the canteen"]
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link.endswith(f"{FEED}?q=compost&theme=esd")


def test_promising_practices_are_marked(client, recognised):
    feed = read_feed(client)

    marks = {title: categories(entry_titled(feed, title), "status") for title in titles(feed)}
    assert marks == {
        "Compost published": {},
        "Compost promising": {"promising": "Promising practice"},
        "Compost flagged_for_policy": {
            "promising": "Promising practice", "flagged_for_policy": "Flagged for policy",
        },
    }  # fmt: skip
    content = entry_titled(feed, "Compost promising").find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Promising practice" in parse(content.text.encode()).text


def test_status_promising_gives_a_feed_of_promising_practices(client, recognised):
    promising = read_feed(client, f"{FEED}?status=promising")
    flagged = read_feed(client, f"{FEED}?status=flagged_for_policy")

    assert sorted(titles(promising)) == ["Compost flagged_for_policy", "Compost promising"]
    assert titles(flagged) == ["Compost flagged_for_policy"]
    assert "Promising practice" in promising.find(f"{ATOM}title").text


def test_the_feed_has_the_required_atom_elements(app, client):
    published(app, "Compost", themes=["esd", "gced"], license="CC-BY-4.0")
    published(app, "Peace club", themes=["gced"])

    feed = read_feed(client)

    assert feed.tag == f"{ATOM}feed"
    for parent in (feed, *entries(feed)):
        for required in ("id", "title", "updated"):
            assert len(parent.findall(f"{ATOM}{required}")) == 1, (parent.tag, required)
        datetime.fromisoformat(parent.find(f"{ATOM}updated").text)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Practice Exchange"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"http://localhost{FEED}"
    assert self_link.get("type") == "application/atom+xml"
    ids = [entry.find(f"{ATOM}id").text for entry in entries(feed)]
    assert len(set(ids)) == 2
    compost = entry_titled(feed, "Compost")
    link = compost.find(f"{ATOM}link[@rel='alternate']")
    assert client.get(link.get("href")).status_code == 200
    assert link.get("href") == compost.find(f"{ATOM}id").text
    assert compost.find(f"{ATOM}author/{ATOM}name").text.startswith("School ")
    assert set(categories(compost, "theme")) == {"esd", "gced"}
    assert compost.find(f"{ATOM}rights").text == "CC-BY-4.0"
    assert compost.find(f"{ATOM}summary").text.startswith("Pupils of class 1 grow vegetables")


@pytest.mark.postgres
def test_arabic_and_chinese_titles_survive_with_their_language(app, client):
    arabic = "حديقة المدرسة: «السماد» & <الأطفال>"
    chinese = "校园菜园与堆肥"
    published(app, arabic, language="ar", summary="يزرع التلاميذ الخضروات.")
    published(app, chinese, language="zh-Hans")

    feed = read_feed(client)

    assert sorted(titles(feed)) == sorted([arabic, chinese])
    assert entry_titled(feed, arabic).find(f"{ATOM}title").get(XML_LANG) == "ar"
    assert entry_titled(feed, chinese).find(f"{ATOM}title").get(XML_LANG) == "zh-Hans"
    summary = entry_titled(feed, arabic).find(f"{ATOM}summary")
    assert (summary.text, summary.get(XML_LANG)) == ("يزرع التلاميذ الخضروات.", "ar")
    # Atom text has no writing direction: the HTML content carries it.
    content = parse(entry_titled(feed, arabic).find(f"{ATOM}content").text.encode())
    paragraph = content.one("p", lang="ar")
    assert (paragraph["dir"], paragraph.text) == ("rtl", "يزرع التلاميذ الخضروات.")


def test_control_characters_in_a_title_do_not_break_the_feed(app, client):
    published(app, "Garden\x1b one")

    assert titles(read_feed(client)) == ["Garden one"]


@pytest.mark.parametrize(
    "query", ["theme=esdd", "country=XX", "pillar=9", "status=draft", "sdg_target=4.99"]
)
def test_a_bad_filter_value_gets_400(client, query):
    response = client.get(f"{FEED}?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in parse(response.data).one("main").text


def test_a_feed_reader_that_has_the_latest_version_gets_304(app, client):
    published(app, "Compost")
    first = client.get(FEED)

    again = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")

    published(app, "Peace club")
    changed = client.get(FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "Peace club" in titles(ET.fromstring(changed.data))


def test_french_visitors_get_a_french_feed(app, client):
    published(app, "Compost", "promising")

    feed = read_feed(client, **{"Accept-Language": "fr"})

    assert feed.get(XML_LANG) == "fr"
    assert feed.find(f"{ATOM}title").text == "Échange de pratiques : pratiques les plus récentes"
    assert categories(entries(feed)[0], "status") == {"promising": "Pratique prometteuse"}


def feed_links(doc) -> dict[str, str]:
    """{title: href} of the Atom feeds a page announces in its head."""
    return {
        link["title"]: link["href"]
        for link in doc.find_all("link", rel="alternate", type="application/atom+xml")
    }


def test_the_home_page_announces_the_feeds(client, recognised):
    links = feed_links(parse(client.get("/").data))

    assert links == {
        "Newest practices": FEED,
        "Newest promising practices": f"{FEED}?status=promising",
    }
    assert len(titles(read_feed(client, links["Newest promising practices"]))) == 2


def test_the_results_page_links_to_the_feed_of_its_search(app, client):
    published(app, "Compost in the canteen", themes=["esd"], language="en")
    published(app, "Compost at home", themes=["gced"], language="en")

    doc = parse(client.get("/search?q=compost&theme=esd&language=EN").data)

    announced = feed_links(doc)["Newest practices of this search"]
    visible = doc.one("a", type="application/atom+xml")
    assert visible.text == "Feed of this search"
    assert visible["href"] == announced == f"{FEED}?q=compost&theme=esd&language=en"
    assert titles(read_feed(client, announced)) == ["Compost in the canteen"]
