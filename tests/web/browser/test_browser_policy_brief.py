"""Issue 12 in a real browser: a curator opens Policy briefs from the menu, selects the
promising practices of one thematic area, saves and issues the brief, and downloads its PDF,
whose text is read back (pypdf)."""
from __future__ import annotations

import io
import urllib.request

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from tests.factories import VALID_DOSSIER, practice_data
from tests.web.browser.browser_pages import Site
from tests.web.helpers import new_practice, new_user

pytestmark = pytest.mark.browser


def test_curator_issues_a_policy_brief_and_downloads_its_pdf(driver, serve, csrf_app):
    new_practice(csrf_app, "flagged_for_policy", data=practice_data(
        1, title="Clean water club", themes=["esd"]))
    new_practice(csrf_app, "promising", data=practice_data(2, title="Letters for peace",
                                                           themes=["gced"]))
    curator = new_user(csrf_app, "curator")
    site = Site(driver, serve(csrf_app))
    site.open()
    site.sign_in(curator.email)
    site.use_menu("Policy briefs")
    site.find("#b-title").send_keys("Water in schools")
    site.find("#b-theme-esd").click()
    site.press("Save and issue the brief")
    assert site.heading == "Water in schools"
    sections = site.driver.find_elements(By.CSS_SELECTOR, "section.brief-practice h2")
    assert [s.text for s in sections] == ["Clean water club"]

    link = site.driver.find_element(By.LINK_TEXT, "Download as PDF")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in site.driver.get_cookies())
    request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        assert response.headers["Content-Type"] == "application/pdf"
        pdf = PdfReader(io.BytesIO(response.read()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Water in schools" in text and "Clean water club" in text
    assert VALID_DOSSIER["summary"].split(",")[0] in text
    assert "Letters for peace" not in text
