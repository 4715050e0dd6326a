"""Permanent records of public practices: the permanent link and citations (BibTeX, CSL-JSON)
on a practice's page, sitemap.xml and robots.txt."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from app.harvesting import records
from practices.services import edit_practice, transition
from tests.factories import make_institution, make_practice, make_user, practice_data
from tests.monitoring_data import clock  # noqa: F401 (fixture)
from tests.web.helpers import committed
from tests.web.html_page import parse

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_public_practice_page_offers_its_permanent_link_and_citations(client, add_practice):
    practice_id = add_practice(title="Peace & {conflict} club")
    doc = parse(client.get(f"/practices/{practice_id}").data)
    permanent = doc.one("a", rel="bookmark")
    assert permanent["href"] == f"http://localhost/practices/{practice_id}"
    links = {a.text: a["href"] for a in doc.find_all("a") if a.get("download") is not None}
    assert links == {"BibTeX": f"/practices/{practice_id}/cite.bib",
                     "CSL-JSON": f"/practices/{practice_id}/cite.json"}
    bib = client.get(links["BibTeX"])
    text = bib.get_data(as_text=True)
    assert text.startswith(f"@misc{{practice{practice_id},")
    assert r"title = {Peace \& \{conflict\} club}" in text
    assert f"url = {{http://localhost/practices/{practice_id}}}" in text
    item = json.loads(client.get(links["CSL-JSON"]).data)[0]
    assert item["title"] == "Peace & {conflict} club"
    assert item["type"] == "webpage" and item["URL"].endswith(f"/practices/{practice_id}")
    assert item["author"][0]["literal"].startswith("School")
    assert len(item["issued"]["date-parts"][0]) == 3


def test_citations_of_practices_that_are_not_public_are_not_found(client, add_practice):
    draft = add_practice(status="draft")
    assert client.get(f"/practices/{draft}/cite.bib").status_code == 404
    assert client.get(f"/practices/{draft}/cite.json").status_code == 404


def test_sitemap_lists_the_home_page_and_every_public_practice(client, add_practice):
    public = {add_practice(), add_practice(status="promising")}
    add_practice(status="submitted")
    root = ET.fromstring(client.get("/sitemap.xml").data)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locations[0] == "http://localhost/"
    assert sorted(locations[1:]) == sorted(f"http://localhost/practices/{i}" for i in public)
    assert all(u.find(f"{SITEMAP}lastmod") is not None for u in root.findall(f"{SITEMAP}url")[1:])


def test_a_large_sitemap_is_split_into_parts(client, add_practice, monkeypatch):
    monkeypatch.setattr(records, "SITEMAP_LIMIT", 2)
    ids = sorted(add_practice() for _ in range(3))
    index = ET.fromstring(client.get("/sitemap.xml").data)
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert parts == ["http://localhost/sitemap-1.xml", "http://localhost/sitemap-2.xml"]
    second = ET.fromstring(client.get("/sitemap-2.xml").data)
    assert [loc.text for loc in second.iter(f"{SITEMAP}loc")] == [
        f"http://localhost/practices/{ids[2]}"]
    assert client.get("/sitemap-3.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in text
    assert "Disallow: /review" in text and "Disallow: /monitoring" in text


def test_practice_page_lists_its_published_versions(app, client, clock):  # noqa: F811
    def make(session):
        clock(datetime(2024, 5, 2, tzinfo=UTC))
        practice = make_practice(session, institution=make_institution(session, "A", "FR"))
        editor = make_user(session, "school_editor", institution=practice.institution)
        reviewer = make_user(session, "national_coordinator", country="FR")
        clock(datetime(2025, 1, 9, tzinfo=UTC))
        edit_practice(session, practice.id, practice_data(title="Better garden"), actor=editor)
        transition(session, practice.id, "submit", actor=editor)
        transition(session, practice.id, "publish", actor=reviewer)
        clock(datetime(2025, 6, 1, tzinfo=UTC))  # an edit still under review is not a version
        edit_practice(session, practice.id, practice_data(title="Even better"), actor=editor)
        transition(session, practice.id, "submit", actor=editor)
        return practice.id

    practice_id = committed(app, make)
    doc = parse(client.get(f"/practices/{practice_id}").data)
    assert [li.text for li in doc.one("ol", class_="versions").find_all("li")] == [
        "Version 1, May 2, 2024", "Version 2, Jan 9, 2025"]
