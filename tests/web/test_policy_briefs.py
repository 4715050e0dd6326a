"""Policy briefs, as a curator issues them: a selection by thematic area (or by hand) is
saved with a title, the brief says what each practice does, its evidence, the conditions for
scaling it and its policy note, cites it with its permanent link, and reads the same in PDF;
a reissue includes practices promoted since; only curators write briefs."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.factories import VALID_DOSSIER, VALID_POLICY_NOTE, practice_data
from tests.web.helpers import login_as, new_practice, new_user
from tests.web.html_page import parse


@pytest.fixture
def curator(app, client):
    login_as(client, new_user(app, "curator"))
    return client


def test_a_brief_by_thematic_area_cites_each_practice_with_its_evidence(app, curator):
    flagged = new_practice(app, "flagged_for_policy", title="Agua limpia en la escuela",
                           language="es", themes=["esd"],
                           institution={"name": "Colegio Andino", "country": "PE"})
    new_practice(app, "promising", data=practice_data(2, title="Letters for peace",
                                                      themes=["gced"]))
    new_practice(app, "published", data=practice_data(3, title="Not promising", themes=["esd"]))

    saved = curator.post("/curation/briefs", data={
        "title": "Water and sustainability in schools", "themes": ["esd"],
        "introduction": "Three things ministries can scale."})
    assert saved.status_code == 303
    page = parse(curator.get(saved.headers["Location"]).data)

    sections = page.find_all("section", class_="brief-practice")
    assert [s.find("h2").text for s in sections] == ["Agua limpia en la escuela"]
    text = sections[0].text
    assert VALID_DOSSIER["summary"] in text  # the evidence from the dossier
    assert "External evaluation" in text
    assert "Conditions for scaling up" in text
    assert VALID_POLICY_NOTE["key_message"] in text  # flagged: its policy note
    assert "Colegio Andino" in text and "Peru" in text
    assert f"/practices/{flagged}" in sections[0].one("p", class_="citation").find("a")["href"]


def test_the_pdf_reads_like_the_page(app, curator):
    new_practice(app, "promising", data=practice_data(4, title="Compost at school"))
    saved = curator.post("/curation/briefs", data={"title": "Compost brief"})
    pdf = curator.get(saved.headers["Location"] + ".pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Compost brief" in text and "Compost at school" in text
    assert "Cite as" in text


def test_a_reissued_brief_includes_practices_promoted_since(app, curator):
    new_practice(app, "promising", data=practice_data(5, title="First", themes=["gced"]))
    saved = curator.post("/curation/briefs", data={"title": "Peace", "themes": ["gced"]})
    new_practice(app, "promising", data=practice_data(6, title="Second", themes=["gced"]))
    page = parse(curator.get(saved.headers["Location"]).data)
    assert {s.find("h2").text for s in page.find_all("section", class_="brief-practice")} == {
        "First", "Second"}
    listing = parse(curator.get("/curation/briefs").data)
    assert "Peace" in listing.text


def test_a_hand_picked_brief_holds_exactly_the_chosen_practices(app, curator):
    chosen = new_practice(app, "promising", data=practice_data(7, title="Chosen"))
    new_practice(app, "promising", data=practice_data(8, title="Left out"))
    saved = curator.post("/curation/briefs", data={"title": "Picked",
                                                   "practice_ids": [str(chosen)]})
    page = parse(curator.get(saved.headers["Location"]).data)
    assert [s.find("h2").text for s in page.find_all("section", class_="brief-practice")] == [
        "Chosen"]


def test_a_selection_without_promising_practices_or_title_is_refused(app, curator):
    new_practice(app, "promising", data=practice_data(9, themes=["esd"]))
    empty = curator.post("/curation/briefs", data={"title": "Nothing", "themes": ["gced"]})
    assert empty.status_code == 422
    assert "no promising practice matches" in empty.get_data(as_text=True)
    untitled = curator.post("/curation/briefs", data={"title": " "})
    assert untitled.status_code == 422


@pytest.mark.parametrize("role", ["school_editor", "national_coordinator", "administrator"])
def test_only_curators_write_briefs(app, client, role):
    login_as(client, new_user(app, role, country="FR" if role == "national_coordinator" else None))
    assert client.get("/curation/briefs").status_code == 403
