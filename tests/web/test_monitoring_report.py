"""The annual country report: the coordinator writes its text, everyone allowed reads it as a
page and as a PDF whose text is read back (pypdf), on the network of tests/monitoring_data.py."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.monitoring_data import clock, small_network  # noqa: F401 (fixture)
from tests.web.helpers import audit_actions, committed, login_as, new_user
from tests.web.html_page import accessibility_problems, parse

REPORT = "/monitoring/countries/FR/report/2025"


@pytest.fixture
def network(app, clock):  # noqa: F811
    return committed(app, lambda s: {k: v if k != "french" else [p.id for p in v]
                                     for k, v in small_network(s, clock).items()
                                     if k == "french"})


@pytest.fixture
def coordinator(app, client, network):
    login_as(client, new_user(app, "national_coordinator", country="FR"))
    return client


def pdf_text(response) -> str:
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_coordinator_writes_the_text_and_reads_it_in_the_report(coordinator):
    page = parse(coordinator.get(REPORT).data)
    assert accessibility_problems(page) == []
    assert page.find("textarea", id="narrative") is not None
    response = coordinator.post(REPORT, data={"narrative": "Four schools joined.\n\nWe met twice."})
    assert response.status_code == 302
    doc = parse(coordinator.get(response.headers["Location"]).data)
    paragraphs = [p.text for p in doc.one("div", class_="report-narrative").find_all("p")]
    assert paragraphs == ["Four schools joined.", "We met twice."]
    assert doc.one("textarea", id="narrative").text == "Four schools joined. We met twice."


def test_report_lists_the_years_practices_with_links_and_the_gaps(coordinator, network):
    doc = parse(coordinator.get(REPORT).data)
    published = doc.one("section", **{"aria-labelledby": "r-published"})
    titles = [a.text for a in published.find_all("a")]
    # 2025: the 5th to 8th practices of Lycée Hugo.
    assert titles == ["Pratique 8", "Pratique 7", "Pratique 6", "Pratique 5"]
    assert published.one("a", href=f"/practices/{network['french'][7]}") is not None
    promising = doc.one("section", **{"aria-labelledby": "r-promising"}).text
    assert "Pratique 1" in promising  # published in 2024, promoted in 2025
    gaps = doc.one("section", **{"aria-labelledby": "r-gaps"}).text
    assert "Intercultural learning" in gaps


def test_pdf_holds_the_figures_the_practices_and_the_text(coordinator):
    coordinator.post(REPORT, data={"narrative": "Our network grew in Lyon. شبكتنا 我们的网络"})
    text = pdf_text(coordinator.get(REPORT + ".pdf"))
    assert "Annual report 2025: France" in text
    assert "Our network grew in Lyon." in text
    assert "我们的网络" in text
    assert "Pratique 8" in text
    assert "Intercultural learning" in text


def test_pdf_is_in_the_interface_language(coordinator):
    coordinator.get("/interface-language/fr")
    text = pdf_text(coordinator.get(REPORT + ".pdf"))
    assert "Rapport annuel 2025 : France" in text


def test_saving_is_audited_and_only_for_the_countrys_coordinator(app, client, coordinator):
    coordinator.post(REPORT, data={"narrative": "Text."})
    assert "write_country_report" in audit_actions(app, None)
    other = app.test_client()
    login_as(other, new_user(app, "national_coordinator", country="KE"))
    assert other.get(REPORT).status_code == 403
    assert other.post(REPORT, data={"narrative": "Not mine."}).status_code == 403
    curator = app.test_client()
    login_as(curator, new_user(app, "curator"))
    page = parse(curator.get(REPORT).data)
    assert page.find("textarea") is None
    assert page.one("div", class_="report-narrative").text == "Text."
    assert curator.post(REPORT, data={"narrative": "Curator's."}).status_code == 403


def test_bad_year_or_too_long_text_is_refused_clearly(coordinator):
    assert coordinator.get("/monitoring/countries/FR/report/1990").status_code == 422
    assert coordinator.get("/monitoring/countries/FR/report/2999").status_code == 422
    response = coordinator.post(REPORT, data={"narrative": "x" * 20_001})
    assert response.status_code == 422
    assert "at most 20000" in response.get_data(as_text=True)
    assert parse(coordinator.get(REPORT).data).find("div", class_="report-narrative") is None
