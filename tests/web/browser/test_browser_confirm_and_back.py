"""In a real browser: an action that cannot be undone asks first, with JavaScript off; and
after signing out, the Back button shows nothing of the person who signed out (their pages
are sent `Cache-Control: no-store`)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import PASSWORD, make_practice, make_user
from tests.web.browser.browser_pages import wait_for_path
from tests.web.helpers import committed

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(csrf_app, serve):
    """The URL of csrf_app (CSRF checked, as in production), served on a free local port."""
    return serve(csrf_app)


def sign_in(browser, base: str, email: str, then: str) -> None:
    browser.get(f"{base}/auth/login?next={then}")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type='submit']").click()
    wait_for_path(browser, then)


def test_a_school_confirms_a_withdrawal_without_javascript(quiet_browser, live_app, csrf_app):
    def make(session):
        practice = make_practice(session, status="submitted", title="Rain diary")
        return practice.id, practice.revisions[0].author.email

    practice_id, email = committed(csrf_app, make)
    page = f"/my/practices/{practice_id}"
    try:
        sign_in(quiet_browser, live_app, email, page)
        quiet_browser.find_element(By.CSS_SELECTOR, "form.action-withdraw button").click()
        WebDriverWait(quiet_browser, 10).until(
            expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Withdraw"))
        assert "cannot be undone" in quiet_browser.find_element(By.ID, "consequence").text
        quiet_browser.find_element(By.CSS_SELECTOR, "form.confirm-form button").click()
        wait_for_path(quiet_browser, page)
        flashes = [f.text for f in quiet_browser.find_elements(By.CSS_SELECTOR, ".flash")]
        assert "“Rain diary” was withdrawn." in flashes
    finally:
        quiet_browser.delete_all_cookies()


def test_back_after_sign_out_shows_nothing_of_the_previous_user(driver, live_app, csrf_app):
    def make(session):
        practice = make_practice(session, status="submitted", title="Confidential review")
        return practice.id, make_user(session, "national_coordinator", country="FR").email

    practice_id, email = committed(csrf_app, make)
    review = f"/review/practices/{practice_id}"
    sign_in(driver, live_app, email, review)
    assert "Confidential review" in driver.find_element(By.TAG_NAME, "main").text

    driver.find_element(By.CSS_SELECTOR, "form[action='/auth/logout'] button").click()
    WebDriverWait(driver, 10).until(lambda d: review not in d.current_url)
    driver.back()

    wait_for_path(driver, "/auth/login")
    assert "Confidential review" not in driver.find_element(By.TAG_NAME, "body").text
