"""Partners typed by the UNESCO networks (issue 12): the school names them on the practice
form, the practice page and the API show them, search filters by them (one FILTERS entry),
and dashboards count public practices by partner."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from practices.models import Practice
from tests.web.helpers import (
    committed,
    found_ids,
    login_as,
    new_user,
    post_action,
    school_and_editor,
)
from tests.web.html_page import parse
from tests.web.test_pages_submit import valid_form


@pytest.fixture
def partnered(add_practice):
    """A practice with a Biosphere Reserve and a university, one with a Geopark, one alone."""
    return {
        "reserve": add_practice(title="Mangroves", partner_types=["biosphere_reserve",
                                                                   "university"]),
        "geopark": add_practice(title="Rocks", partner_types=["global_geopark"]),
        "alone": add_practice(title="Garden"),
    }


def test_school_names_its_partners_on_the_form_and_the_page_shows_them(app, client):
    _, editor = school_and_editor(app, country="KE")
    login_as(client, editor)
    form = parse(client.get("/submit").data)
    offered = {box["value"] for box in form.find_all("input", name="partner_types")}
    assert {"unesco_chair", "biosphere_reserve", "world_heritage_site", "ngo"} <= offered
    client.post("/submit", data=valid_form(partner_types=["world_heritage_site", "ngo"],
                                           intent="submit"))
    coordinator = app.test_client()
    login_as(coordinator, new_user(app, "national_coordinator", country="KE"))
    practice_id = committed(app, lambda s: s.scalar(select(Practice.id)))
    assert post_action(coordinator, practice_id, "publish", "submitted").status_code == 303
    page = parse(client.get(f"/practices/{practice_id}").data)
    assert "World Heritage site" in page.text and "Non-governmental organisation" in page.text
    assert client.get(f"/api/v1/practices/{practice_id}").get_json()["partner_types"] == [
        "ngo", "world_heritage_site"]


def test_search_filters_by_partner_type(app, client, partnered):
    assert found_ids(app, partner_type="biosphere_reserve") == [partnered["reserve"]]
    api = client.get("/api/v1/search?partner_type=global_geopark").get_json()
    assert [r["id"] for r in api["results"]] == [partnered["geopark"]]
    facets = client.get("/api/v1/search").get_json()["facets"]["partner_type"]
    assert facets == {"biosphere_reserve": 1, "global_geopark": 1, "university": 1}
    assert client.get("/api/v1/search?partner_type=circus").status_code == 400


def test_dashboard_counts_public_practices_by_partner(app, client, partnered):
    login_as(client, new_user(app, "curator"))
    doc = parse(client.get("/monitoring/network").data)
    rows = {tr.one("th").text: int(tr.one("td").text)
            for tr in doc.one("table", id="t-partner_types").one("tbody").find_all("tr")}
    assert rows == {"Biosphere Reserve": 1, "UNESCO Global Geopark": 1, "University": 1}
