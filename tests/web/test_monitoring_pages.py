"""The dashboard pages and their CSV downloads, driven as a coordinator and a curator would, on
the small network of tests/monitoring_data.py (expected figures worked out there)."""
from __future__ import annotations

import csv
import io

import pytest

from tests.monitoring_data import clock, small_network  # noqa: F401 (fixture)
from tests.web.helpers import committed, login_as, new_user
from tests.web.html_page import accessibility_problems, parse

# Window functions, date parts and JSON text differ between engines: run on both.
pytestmark = pytest.mark.postgres


@pytest.fixture
def network(app, clock):  # noqa: F811
    return committed(app, lambda s: small_network(s, clock))


@pytest.fixture
def curator(app, client, network):
    login_as(client, new_user(app, "curator"))
    return client


@pytest.fixture
def coordinator(app, client, network):
    login_as(client, new_user(app, "national_coordinator", country="FR"))
    return client


def table_of(doc, key):
    """Return {row label: number} of a chart's table."""
    table = doc.one("table", id=f"t-{key}")
    return {tr.one("th").text: int(tr.one("td").text) for tr in table.one("tbody").find_all("tr")}


def test_coordinator_sees_the_figures_of_their_country(coordinator):
    doc = parse(coordinator.get("/monitoring/").data)
    assert doc.one("h1").text == "Dashboard: France"
    assert accessibility_problems(doc) == []
    assert table_of(doc, "themes") == {"Education for Sustainable Development": 5,
                                       "Peace through Global Citizenship Education": 3}
    assert table_of(doc, "pipeline")["Changes requested"] == 1
    summary = doc.one("dl", class_="dashboard-summary")
    figures = dict(zip([t.text for t in summary.find_all("dt")],
                       [d.text for d in summary.find_all("dd")], strict=True))
    assert figures["Median days from submission to decision, last 12 months"] == "6.0"
    assert figures["Members with nothing published in the last 12 months"] == "1"


def test_every_chart_is_an_svg_with_a_title_a_description_and_its_numbers(coordinator):
    doc = parse(coordinator.get("/monitoring/countries/FR").data)
    svgs = doc.find_all("svg")
    assert len(svgs) >= 8
    for svg in svgs:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.one("title", id=title_id).text and svg.one("desc", id=desc_id).text
    quarters = doc.one("svg", **{"aria-labelledby": "chart-quarters-t chart-quarters-d"})
    assert "2024-Q1: 1" in quarters.one("desc").text
    assert doc.find("script") is None


def test_gaps_and_quiet_members_are_listed(coordinator):
    doc = parse(coordinator.get("/monitoring/countries/FR").data)
    gaps = doc.one("section", **{"aria-labelledby": "gaps-title"}).text
    assert "Intercultural learning" in gaps and "Teacher training" in gaps
    assert "Secondary" not in gaps
    quiet = doc.one("ul", class_="quiet-members").text
    assert "École Brel" in quiet and "Lycée Hugo" not in quiet


def test_coordinator_may_not_see_another_country_or_the_network(coordinator):
    assert coordinator.get("/monitoring/countries/KE").status_code == 403
    assert coordinator.get("/monitoring/network").status_code == 403
    assert coordinator.get("/monitoring/countries/KE/themes.csv").status_code == 403


def test_curator_sees_the_network_by_region_and_country(curator):
    assert parse(curator.get("/monitoring/").data).one("h1").text == (
        "Dashboard: The whole network")
    doc = parse(curator.get("/monitoring/network").data)
    assert accessibility_problems(doc) == []
    assert table_of(doc, "regions") == {"Africa": 2, "Arab States": 1, "Asia and the Pacific": 0,
                                        "Europe and North America": 8,
                                        "Latin America and the Caribbean": 1}
    region_page = parse(curator.get("/monitoring/regions/africa").data)
    assert table_of(region_page, "countries") == {"Kenya": 2}


def test_chart_csv_has_the_numbers_of_its_table(curator):
    response = curator.get("/monitoring/countries/FR/languages.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["code"]: int(r["count"]) for r in rows} == {"fr": 6, "en": 2}
    assert {r["label"] for r in rows} == {"French", "English"}


def test_network_exports_countries_and_quiet_members(curator):
    countries = list(csv.DictReader(io.StringIO(
        curator.get("/monitoring/network/countries.csv").get_data(as_text=True))))
    assert {r["country"]: int(r["public_practices"]) for r in countries} == {
        "FR": 8, "KE": 2, "EG": 1, "BR": 1}
    quiet = curator.get("/monitoring/network/quiet_members.csv").get_data(as_text=True)
    assert {r["name"] for r in csv.DictReader(io.StringIO(quiet))} == {
        "École Brel", "Nairobi School", "Escola Jorge"}


def test_unknown_scope_or_chart_is_a_clear_client_error(curator):
    assert curator.get("/monitoring/countries/XX").status_code == 422
    assert curator.get("/monitoring/regions/atlantis").status_code == 422
    assert curator.get("/monitoring/network/nothing.csv").status_code == 404
    assert curator.get("/monitoring/country?country=FR").headers["Location"].endswith(
        "/monitoring/countries/FR")


def test_school_editors_and_visitors_get_no_dashboard(app, client, network):
    assert client.get("/monitoring/network").status_code == 302  # to sign in
    login_as(client, new_user(app, "school_editor"))
    assert client.get("/monitoring/countries/FR").status_code == 403


def test_dashboard_speaks_the_interface_language(curator):
    curator.get("/interface-language/fr")
    doc = parse(curator.get("/monitoring/countries/FR").data)
    assert doc.one("html")["lang"] == "fr"
    assert "Tableau de bord" in doc.one("h1").text
    assert "Éducation en vue du développement durable" in table_of(doc, "themes")


def test_a_cached_dashboard_is_still_refused_to_whoever_may_not_see_it(app, curator):
    assert curator.get("/monitoring/countries/KE").status_code == 200  # computed, kept
    other = app.test_client()
    login_as(other, new_user(app, "national_coordinator", country="FR"))
    assert other.get("/monitoring/countries/KE").status_code == 403


def test_without_the_cache_a_new_practice_counts_at_once(make_app, curator, add_practice):
    fresh = make_app(MONITORING_CACHE_SECONDS=0).test_client()
    login_as(fresh, new_user(fresh.application, "curator"))
    before = table_of(parse(fresh.get("/monitoring/network").data), "regions")["Africa"]
    add_practice(institution={"name": "Mombasa School", "country": "KE"})
    after = table_of(parse(fresh.get("/monitoring/network").data), "regions")["Africa"]
    assert (before, after) == (2, 3)
