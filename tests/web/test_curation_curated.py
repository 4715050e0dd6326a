"""The curators' list of promising and flagged practices: filters, a selection, and exports as
CSV and JSON."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from practices.services import flag_for_policy, promote
from tests.factories import (
    VALID_DOSSIER,
    VALID_POLICY_NOTE,
    make_institution,
    make_practice,
    make_user,
    practice_data,
)
from tests.web.helpers import committed, login_as, new_user
from tests.web.html_page import accessibility_problems, parse

CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "site.css"
LOW_DOSSIER = {**VALID_DOSSIER, "scores": {
    "relevance": 2, "impact": 2, "replicability": 2, "conditions": 2, "sustainability": 2,
    "participation": 2,
}}  # fmt: skip


@pytest.fixture
def curated(app):
    """Three curated practices: {title: id}, with different themes, levels, countries, scores."""

    def make(session):
        curator = make_user(session, "curator")
        specs = [
            ("Kenyan compost", "KE", ["esd"], ["primary"], VALID_DOSSIER, True),
            ("French peace club", "FR", ["gced"], ["secondary"], VALID_DOSSIER, False),
            ("French garden", "FR", ["esd"], ["secondary"], LOW_DOSSIER, False),
        ]
        made = {}
        for title, country, themes, levels, dossier, flag in specs:
            data = practice_data(1, title=title, themes=themes, levels=levels)
            practice = make_practice(session, status="published", data=data,
                                     institution=make_institution(session, country=country))
            promote(session, practice.id, dossier, actor=curator)
            if flag:
                flag_for_policy(session, practice.id, VALID_POLICY_NOTE, actor=curator)
            made[title] = practice.id
        return made

    return committed(app, make)


@pytest.fixture
def curator(app, client):
    login_as(client, new_user(app, "curator"))
    return client


def titles(doc) -> set[str]:
    return {th.text for th in doc.one("tbody").find_all("th")}


@pytest.mark.postgres
@pytest.mark.parametrize("query, expected", [
    ("", {"Kenyan compost", "French peace club", "French garden"}),
    ("?status=flagged_for_policy", {"Kenyan compost"}),
    ("?status=promising", {"French peace club", "French garden"}),
    ("?theme=esd", {"Kenyan compost", "French garden"}),
    ("?country=fr", {"French peace club", "French garden"}),
    ("?level=secondary&theme=esd", {"French garden"}),
    ("?min_total=13", {"Kenyan compost", "French peace club"}),
])  # fmt: skip
def test_the_list_is_narrowed_by_its_filters(curator, curated, query, expected):
    doc = parse(curator.get(f"/curation/curated{query}").data)

    assert titles(doc) == expected
    assert accessibility_problems(doc) == []


@pytest.mark.postgres
def test_the_csv_export_holds_the_filtered_list_with_scores_and_policy_note(curator, curated):
    response = curator.get("/curation/curated.csv?theme=esd")

    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")  # the CSV starts with a BOM (app/csv_export)
    rows = {r["Title"]: r for r in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"Kenyan compost", "French garden"}
    assert rows["Kenyan compost"]["Score: Relevance to the thematic area and SDG 4.7"] == "3"
    assert rows["Kenyan compost"]["Total score"] == "14"
    assert rows["Kenyan compost"]["Policy note: countries"] == "France; Senegal"
    assert rows["French garden"]["Policy note: audience"] == ""


def test_the_json_export_of_the_selected_practices_holds_their_dossiers(curator, curated):
    wanted = curated["French peace club"]

    response = curator.get(f"/curation/curated.json?id={wanted}")

    [record] = response.get_json()["practices"]
    assert record["id"] == wanted
    assert record["dossier"]["rubric_version"] == "2026-1"
    assert record["dossier"]["evidence"][0]["type"] == "evaluation"


def test_the_list_offers_the_exports_of_what_it_shows(curator, curated):
    doc = parse(curator.get("/curation/curated?country=FR").data)

    links = {a.text: a["href"] for a in doc.one("p", class_="exports").find_all("a")}
    assert links == {"CSV": "/curation/curated.csv?country=FR",
                     "JSON": "/curation/curated.json?country=FR"}
    selection = doc.one("form", action="/curation/curated.csv")
    assert {b["value"] for b in selection.find_all("input", name="id")} == {
        str(curated["French peace club"]), str(curated["French garden"])}


def test_a_bad_filter_is_explained(curator, curated):
    response = curator.get("/curation/curated?theme=astrology")

    assert response.status_code == 422
    assert "astrology" in parse(response.data).one("main").text


def test_the_printable_dossier_has_print_styles_and_no_navigation_in_print(curator, curated):
    doc = parse(curator.get(f"/curation/practices/{curated['Kenyan compost']}/dossier").data)

    assert doc.one("h1").text == "Kenyan compost"
    assert doc.one("p", class_="no-print")
    css = CSS.read_text(encoding="utf-8")
    print_rules = css[css.rindex("@media print"):]
    assert ".no-print" in print_rules and ".site-header" in print_rules


@pytest.mark.parametrize("role", ["school_editor", "national_coordinator", "administrator"])
def test_only_curators_see_the_list_and_its_exports(app, client, curated, role):
    login_as(client, new_user(app, role, country="FR" if role == "national_coordinator" else None))

    for url in ("/curation/curated", "/curation/curated.csv", "/curation/curated.json",
                f"/curation/practices/{curated['Kenyan compost']}/dossier"):
        assert client.get(url).status_code == 403, url


