"""The Arabic interface in a real browser: the whole layout is mirrored (right to left), and
no main page is wider than the screen, on a desktop (1366 px) or a phone (390 px).

Each page is signed in as the role that uses it, with the demo data (every workflow state, a
dossier, conversation threads), and screenshotted at both widths into the test's tmp_path;
a page whose content is wider than the window (document.scrollWidth > innerWidth, i.e. a
horizontal scroll bar) fails the test, which names the elements sticking out.
"""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from app.db import get_session
from practices.demo import seed_demo
from practices.demo_accounts import DEMO_DOMAIN, seed_demo_accounts
from practices.models import Practice
from practices.permissions import SYSTEM
from tests.factories import PASSWORD
from tests.web.browser.browser_pages import Site

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)  # a common laptop; a common phone (CSS pixels)

# (who signs in, or None for a visitor; the pages they use). {promising}: a promoted practice.
PAGES = (
    (None, ("/", "/search", "/search?q=%D8%AD%D8%AF%D9%8A%D9%82%D8%A9", "/practices/{promising}",
            "/auth/login")),
    ("school-fr", ("/my/practices", "/submit", "/account", "/account/tokens")),
    ("curator", ("/review", "/curation/queue", "/curation/curated",
                 "/curation/practices/{promising}/dossier", "/review/practices/{submitted}")),
    ("admin", ("/admin/users", "/admin/institutions", "/audit")),
)

# The elements wider than the window, or beyond its edges (what makes it scroll sideways).
STICKING_OUT = """
const width = window.innerWidth;
const out = e => { const r = e.getBoundingClientRect();
                   return r.width > 0 && (r.left < -1 || r.right > width + 1); };
return [...document.querySelectorAll('body *')]
  .filter(e => out(e) && !out(e.parentElement))  // the outermost ones
  .slice(0, 8)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
            + ' ' + Math.round(e.getBoundingClientRect().width) + 'px');
"""


@pytest.fixture
def served(make_app, serve):
    """The app with the demo practices and accounts, served; and the ids the pages need."""
    app = make_app()
    with app.app_context():
        session = get_session()
        seed_demo(session, actor=SYSTEM)
        seed_demo_accounts(session, password=PASSWORD, actor=SYSTEM)
        session.commit()
        ids = {status: session.scalar(select(Practice.id).where(Practice.status == status)
                                      .order_by(Practice.id))
               for status in ("promising", "submitted")}
    return serve(app), ids


def test_arabic_pages_are_mirrored_and_fit_a_laptop_and_a_phone(driver, served, tmp_path):
    base_url, ids = served
    site = Site(driver, base_url)
    site.open("/")
    driver.add_cookie({"name": "ui_language", "value": "ar", "path": "/"})

    too_wide = []
    for who, paths in PAGES:
        if who:
            _sign_in(site, f"{who}@{DEMO_DOMAIN}")
        for path in paths:
            path = path.format(**ids)
            for width in WIDTHS:
                _resize(driver, width)
                site.open(path)
                assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
                name = f"{(who or 'visitor')}{path.split('?')[0].replace('/', '_')}-{width}"
                driver.save_screenshot(str(tmp_path / f"{name}.png"))
                assert driver.execute_script("return window.innerWidth") == width
                overflow = driver.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    too_wide.append((who, path, width, overflow,
                                     driver.execute_script(STICKING_OUT)))
        if who:
            _sign_out(site)
    print(f"screenshots: {tmp_path}")
    assert too_wide == [], "\n".join(map(str, too_wide))


def test_the_arabic_header_is_the_mirror_image_of_the_english_one(driver, served):
    base_url, _ = served
    site = Site(driver, base_url)
    _resize(driver, 1366)
    positions = {}
    for language in ("en", "ar"):
        site.open(f"/interface-language/{language}")
        brand, menu = site.find(".brand").rect, site.find(".account-menu").rect
        positions[language] = (brand["x"], menu["x"])

    (en_brand, en_menu), (ar_brand, ar_menu) = positions["en"], positions["ar"]
    assert en_brand < en_menu  # English: the site's name on the left, the account on the right
    assert ar_brand > ar_menu  # Arabic: the site's name on the right, the account on the left


def _resize(driver, width: int) -> None:
    # The layout viewport, in CSS pixels, exactly `width` wide: what the media queries and
    # the overflow depend on. ("mobile": True would let Chromium widen the layout viewport
    # to fit a too-wide page, as phones zoom out, and so hide the very overflow looked for;
    # the pages' viewport is width=device-width anyway.)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def _sign_in(site: Site, email: str) -> None:
    site.open("/auth/login")
    site.find("#email").send_keys(email)
    site.find("#password").send_keys(PASSWORD)
    site.click_and_wait(site.find("main form button[type='submit']"))
    assert site.path != "/auth/login", site.find("main").text


def _sign_out(site: Site) -> None:
    site.click_and_wait(site.find(".account-menu form button[type='submit']"))
