"""The dashboards over four years of a network of twelve schools in six countries: 240
practices made through the services, one per school per two quarters' step, so each figure
below is counted by hand from the plan in `years`."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from practices.workflow import Status
from tests.factories import make_practice, practice_data
from tests.monitoring_data import clock, school  # noqa: F401 (fixture)
from tests.web.helpers import committed, login_as, new_user
from tests.web.html_page import parse

COUNTRIES = ("FR", "DE", "KE", "EG", "JP", "MX")  # Europe x2, Africa, Arab States, Asia, LatAm
THEMES = ("esd", "gced", "intercultural")


@pytest.fixture
def years(app, clock):  # noqa: F811
    """Two member schools per country; from 2022-Q1 to 2025-Q4 each school publishes 5
    practices per year (one in each quarter, two in Q4): 12 schools x 4 years x 5 = 240.
    Themes cycle esd, gced, intercultural over the practices of a school; every practice whose
    number within its school is a multiple of 10 stays submitted instead (24 of them)."""

    def make(session):
        for country in COUNTRIES:
            for k in range(2):
                institution = school(session, f"School {country} {k}", country)
                n = 0
                for year in range(2022, 2026):
                    for month in (1, 4, 7, 10, 11):
                        n += 1
                        clock(datetime(year, month, 2, tzinfo=UTC))
                        status = Status.SUBMITTED if n % 10 == 0 else Status.PUBLISHED
                        make_practice(session, status=status, institution=institution,
                                      data=practice_data(title=f"{country} {k} {n}",
                                                         themes=[THEMES[n % 3]]))
        clock(datetime(2025, 12, 20, tzinfo=UTC))

    committed(app, make)


@pytest.fixture
def curator(app, client, years):
    login_as(client, new_user(app, "curator"))
    return client


def csv_rows(client, path):
    return list(csv.DictReader(io.StringIO(client.get(path).get_data(as_text=True))))


def test_quarters_of_four_years_add_up_to_the_published_practices(curator):
    quarters = {r["code"]: int(r["count"]) for r in csv_rows(
        curator, "/monitoring/network/quarters.csv")}
    assert len(quarters) == 16 and min(quarters) == "2022-Q1" and max(quarters) == "2025-Q4"
    # Per school and year: numbers 5y+1..5y+5; n=10, 20 are the 5th practice (Q4) of years
    # 2 and 4 (submitted), so Q4 2023 and Q4 2025 lose one practice per school.
    assert quarters["2022-Q1"] == 12 and quarters["2022-Q4"] == 24
    assert quarters["2023-Q4"] == 12 and quarters["2025-Q4"] == 12
    assert sum(quarters.values()) == 240 - 24


def test_regions_and_pipeline_of_the_network(curator):
    doc = parse(curator.get("/monitoring/network").data)
    regions = {tr.one("th").text: int(tr.one("td").text)
               for tr in doc.one("table", id="t-regions").one("tbody").find_all("tr")}
    assert regions == {"Africa": 36, "Arab States": 36, "Asia and the Pacific": 36,
                       "Europe and North America": 72, "Latin America and the Caribbean": 36}
    pipeline = {r["code"]: int(r["count"]) for r in csv_rows(
        curator, "/monitoring/network/pipeline.csv")}
    assert pipeline["submitted"] == 24 and pipeline["published"] == 216


def test_country_themes_and_turnaround(curator):
    themes = {r["code"]: int(r["count"]) for r in csv_rows(
        curator, "/monitoring/countries/JP/themes.csv")}
    # Per school, published numbers 1..20 without 10 and 20: n % 3 == 1 (esd... cycle starts
    # at THEMES[1] for n=1): gced 1,4,7,13,16,19 = 6; intercultural 2,5,8,11,14,17 = 6;
    # esd 3,6,9,12,15,18 = 6; times two schools.
    assert themes == {"esd": 12, "gced": 12, "intercultural": 12}
    doc = parse(curator.get("/monitoring/countries/JP").data)
    summary = doc.one("dl", class_="dashboard-summary")
    figures = dict(zip([t.text for t in summary.find_all("dt")],
                       [d.text for d in summary.find_all("dd")], strict=True))
    # The last 12 months: each school's 2025 practices but the 20th (submitted); submitted
    # and published at the same moment by the factory: zero days.
    assert figures["Review decisions in the last 12 months"] == "8"
    assert figures["Median days from submission to decision, last 12 months"] == "0.0"
