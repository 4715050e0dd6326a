"""Issue 12 in a real browser: a National Coordinator opens their dashboard from the menu,
goes to the annual report, writes and saves its text, and downloads the PDF, whose text is
read back (pypdf). The network is tests/monitoring_data.py's, made through the services."""
from __future__ import annotations

import io
import urllib.request

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from tests.monitoring_data import clock, small_network  # noqa: F401 (fixture)
from tests.web.browser.browser_pages import Site
from tests.web.helpers import committed, new_user

pytestmark = pytest.mark.browser


@pytest.fixture
def live(csrf_app, serve, clock):  # noqa: F811
    committed(csrf_app, lambda s: small_network(s, clock))
    return serve(csrf_app)


def test_coordinator_writes_the_annual_report_and_downloads_its_pdf(driver, live, csrf_app):
    coordinator = new_user(csrf_app, "national_coordinator", country="FR")
    site = Site(driver, live)
    site.open()
    site.sign_in(coordinator.email)
    site.use_menu("Dashboards")
    assert site.heading == "Dashboard: France"
    assert site.find("svg.chart").get_attribute("role") == "img"
    site.follow("2025")
    assert site.heading == "Annual report 2025: France"
    site.find("#narrative").send_keys("Two new schools joined the network in Lyon.")
    site.press("Save the text")
    assert "The report's text is saved." in site.flashes()
    assert "Two new schools joined" in site.find("div.report-narrative").text

    link = site.driver.find_element(By.LINK_TEXT, "Download the report (PDF)")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in site.driver.get_cookies())
    request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        assert response.headers["Content-Type"] == "application/pdf"
        pdf = PdfReader(io.BytesIO(response.read()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Annual report 2025: France" in text
    assert "Two new schools joined the network in Lyon." in text
    assert "Pratique 8" in text
