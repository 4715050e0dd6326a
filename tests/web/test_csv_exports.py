"""Every CSV download goes through app/csv_export.py: text a spreadsheet would run as a formula
is neutralised (OWASP "CSV Injection"), the file is UTF-8 with a BOM, and headers and coded
values are in the reader's language. The tests read the files back as a spreadsheet would."""
from __future__ import annotations

import csv
import io

import pytest

from app.csv_export import Column, neutralise, rows_text
from practices.vocab import THEMES
from tests.web.helpers import login_as, new_practice, new_user, post_action

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1:A9)",
            "\tTAB", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_starting_like_a_formula_is_kept_as_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Garden", "a=b", "e-mail", "", 42, -3, 2.5])
def test_other_cells_and_numbers_are_left_as_they_are(value):
    assert neutralise(value) == value


def test_the_file_starts_with_a_bom_and_reads_back_as_written():
    columns = [Column("a", "=Header"), Column("b", "B", lambda v: v.upper())]
    text = "".join(rows_text([{"a": "=1+1", "b": "é, \"quoted\"\nline"}, {"a": None}], columns))
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["'=Header", "B"], ["'=1+1", "É, \"QUOTED\"\nLINE"], ["", ""]]


def _read(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8"
                                                                ).removeprefix("\ufeff"))))


@pytest.mark.postgres
def test_the_curated_export_neutralises_formulas_and_shows_labels(app, client):
    ids = [new_practice(app, "promising", title=title, language="fr", themes=["esd", "gced"])
           for title in ("=HYPERLINK(\"http://evil.example\")", "@SUM(A1)", "Jardin")]
    login_as(client, new_user(app, "curator"))
    rows = _read(client.get("/curation/curated.csv"))
    assert sorted(r["Title"] for r in rows) == sorted(
        ["'=HYPERLINK(\"http://evil.example\")", "'@SUM(A1)", "Jardin"])
    assert len(rows) == len(ids)
    assert {r["Status"] for r in rows} == {"Promising practice"}
    assert {r["Language"] for r in rows} == {"French"}
    assert {r["Themes"] for r in rows} == {f"{THEMES['esd']}; {THEMES['gced']}"}  # labels


@pytest.mark.postgres
def test_the_curated_export_is_in_the_readers_language(app, client):
    new_practice(app, "promising", title="Jardin", language="fr")
    login_as(client, new_user(app, "curator"))
    rows = _read(client.get("/curation/curated.csv", headers={"Accept-Language": "fr"}))
    assert rows[0]["Titre"] == "Jardin"
    assert rows[0]["Langue"] == "français"
    assert rows[0]["Statut"] != "promising"


@pytest.mark.postgres
def test_the_audit_export_neutralises_a_note_written_as_a_formula(app, client):
    submitted = new_practice(app, "submitted")
    nc = app.test_client()
    login_as(nc, new_user(app, "national_coordinator", country="FR"))
    note = "=cmd|'/C calc'!A0"
    assert post_action(nc, submitted, "request_changes", "submitted", note=note).status_code \
        in (200, 302, 303)
    login_as(client, new_user(app, "curator"))
    rows = _read(client.get(f"/audit.csv?practice={submitted}"))
    asked = [r for r in rows if r["Action"] == "Request changes"]
    assert [r["Note"] for r in asked] == ["'" + note]
    assert asked[0]["Status after"] == "Changes requested"
