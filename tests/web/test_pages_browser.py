"""The pages in a real browser with JavaScript switched off: forms work, text runs in its own
direction, the keyboard reaches the content. Needs Debian's chromium and chromium-driver
(`make browser`)."""
from __future__ import annotations

import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.serving import make_server

from app.db import get_session
from practices import Status, validate_practice
from practices.permissions import SYSTEM
from practices.services import create_practice, publish
from tests.factories import PASSWORD
from tests.web.conftest import practice_record
from tests.web.workflow_helpers import school_and_editor

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium with JavaScript disabled, shared by the tests of this module."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                     "--lang=en"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def live_app(csrf_app):
    """Serve csrf_app (CSRF checked, as in production) on a free local port; yield its URL."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def add_public(csrf_app):
    """Return add(**record fields) -> id: a published practice of csrf_app (the served app)."""

    def add(**fields) -> int:
        with csrf_app.app_context():
            session = get_session()
            practice = create_practice(
                session, validate_practice(practice_record(**fields)), status=Status.SUBMITTED,
                actor=SYSTEM,
            )
            publish(session, practice.id, actor=SYSTEM)
            session.commit()
            return practice.id

    return add


def wait_for_url(browser, part: str) -> None:
    """Wait until the browser has navigated to a URL containing `part` (a click returns early)."""
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(part))


def test_filters_apply_without_javascript(browser, live_app, add_public):

    add_public(title="Peace club", themes=["gced"])
    add_public(title="Garden", themes=["esd"])
    browser.get(f"{live_app}/search")

    browser.find_element(By.CSS_SELECTOR, "form.filters input[value='gced']").click()
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type='submit']").click()

    wait_for_url(browser, "theme=gced")
    titles = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "ol.results h3")]
    assert titles == ["Peace club"]


def test_a_school_signs_in_and_submits_a_practice_without_javascript(browser, live_app,
                                                                    csrf_app):
    editor = school_and_editor(csrf_app)[1]
    browser.get(f"{live_app}/submit")
    wait_for_url(browser, "/auth/login")
    browser.find_element(By.ID, "email").send_keys(editor.email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    wait_for_url(browser, "/submit")

    Select(browser.find_element(By.ID, "language")).select_by_value("fr")
    browser.find_element(By.ID, "title").send_keys("Un potager")
    browser.find_element(By.ID, "body").send_keys("Les élèves cultivent des légumes.")
    browser.find_element(By.CSS_SELECTOR, "input[name='themes'][value='esd']").click()
    browser.find_element(By.CSS_SELECTOR, "button[name='intent'][value='submit']").click()

    wait_for_url(browser, "/my/practices/")
    flashes = [f.text for f in browser.find_elements(By.CSS_SELECTOR, ".flash")]
    browser.delete_all_cookies()
    assert "“Un potager” was submitted for review." in flashes


def test_arabic_text_is_laid_out_right_to_left_in_the_english_page(browser, live_app, add_public):

    add_public(title="حديقة المدرسة", summary="يزرع التلاميذ الخضروات.", language="ar")
    browser.get(f"{live_app}/search")

    title = browser.find_element(By.CSS_SELECTOR, "ol.results h3")
    page = browser.find_element(By.TAG_NAME, "html")
    assert title.value_of_css_property("direction") == "rtl"
    assert page.value_of_css_property("direction") == "ltr"


def test_the_first_tab_shows_the_skip_link_and_it_leads_to_the_content(browser, live_app):

    browser.get(f"{live_app}/")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element

    assert skip.text == "Skip to main content"
    assert skip.rect["y"] >= 0 and skip.value_of_css_property("outline-style") != "none"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
