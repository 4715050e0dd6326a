"""The pages in a real browser with JavaScript switched off: forms work, text runs in its own
direction, the keyboard reaches the content. Needs Debian's chromium and chromium-driver
(`make browser`); the browser and the server are those of tests/web/browser/conftest.py."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.factories import PASSWORD
from tests.web.browser.browser_pages import wait_for_path
from tests.web.helpers import practice_adder, school_and_editor

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(csrf_app, serve):
    """The URL of csrf_app (CSRF checked, as in production), served on a free local port."""
    return serve(csrf_app)


@pytest.fixture
def add_public(csrf_app):
    """Return add(**record fields) -> id: a published practice of csrf_app (the served app)."""
    return practice_adder(csrf_app)


def test_filters_apply_without_javascript(quiet_browser, live_app, add_public):

    add_public(title="Peace club", themes=["gced"])
    add_public(title="Garden", themes=["esd"])
    quiet_browser.get(f"{live_app}/search")

    quiet_browser.find_element(By.CSS_SELECTOR, "form.filters input[value='gced']").click()
    quiet_browser.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()

    wait_for_path(quiet_browser, "/search", query="theme=gced")
    titles = [h.text for h in quiet_browser.find_elements(By.CSS_SELECTOR, "ol.results h3")]
    assert titles == ["Peace club"]


def test_a_school_signs_in_and_submits_a_practice_without_javascript(quiet_browser, live_app,
                                                                    csrf_app):
    editor = school_and_editor(csrf_app)[1]
    quiet_browser.get(f"{live_app}/submit")
    wait_for_path(quiet_browser, "/auth/login")
    quiet_browser.find_element(By.ID, "email").send_keys(editor.email)
    quiet_browser.find_element(By.ID, "password").send_keys(PASSWORD)
    quiet_browser.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    wait_for_path(quiet_browser, "/submit")

    Select(quiet_browser.find_element(By.ID, "language")).select_by_value("fr")
    quiet_browser.find_element(By.ID, "title").send_keys("Un potager")
    quiet_browser.find_element(By.ID, "body").send_keys("Les élèves cultivent des légumes.")
    quiet_browser.find_element(By.CSS_SELECTOR, "input[name='themes'][value='esd']").click()
    quiet_browser.find_element(By.CSS_SELECTOR, "button[name='intent'][value='submit']").click()

    wait_for_path(quiet_browser, "/my/practices/", prefix=True)
    flashes = [f.text for f in quiet_browser.find_elements(By.CSS_SELECTOR, ".flash")]
    quiet_browser.delete_all_cookies()
    assert "“Un potager” was submitted for review." in flashes


def test_arabic_text_is_laid_out_right_to_left_in_the_english_page(quiet_browser, live_app,
                                                                   add_public):

    add_public(title="حديقة المدرسة", summary="يزرع التلاميذ الخضروات.", language="ar")
    quiet_browser.get(f"{live_app}/search")

    title = quiet_browser.find_element(By.CSS_SELECTOR, "ol.results h3")
    page = quiet_browser.find_element(By.TAG_NAME, "html")
    assert title.value_of_css_property("direction") == "rtl"
    assert page.value_of_css_property("direction") == "ltr"


def test_the_first_tab_shows_the_skip_link_and_it_leads_to_the_content(quiet_browser, live_app):

    quiet_browser.get(f"{live_app}/")
    quiet_browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = quiet_browser.switch_to.active_element

    assert skip.text == "Skip to main content"
    assert skip.rect["y"] >= 0 and skip.value_of_css_property("outline-style") != "none"
    skip.send_keys(Keys.ENTER)
    assert quiet_browser.switch_to.active_element.get_attribute("id") == "main"
