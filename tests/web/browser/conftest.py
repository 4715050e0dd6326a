"""Fixtures of the end-to-end browser tests: Debian's headless Chromium (never a downloaded
browser or driver), the app served on a free local port, and a screenshot of the page a test
failed on, saved in the test's tmp_path.

Needs the packages chromium and chromium-driver (`make browser` installs them).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# Chromium without the network traffic of its own (component updates, safe browsing lists,
# field trials): the tests must not depend on, nor cause, any download.
CHROMIUM_ARGUMENTS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
    # The interface language of the pages (Accept-Language) and the format of date fields.
    "--lang=en-US",
)

_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether it failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


def chromium(profile: Path, *, javascript: bool = True,
             languages: str = "en-US,en") -> webdriver.Chrome:
    """Start Debian's headless Chromium with its own profile folder (no cookies).

    JavaScript stays on, as for most visitors: the pages have none, and the page objects use
    it to tell when a new page has loaded; test_browser_without_javascript.py turns it off.
    `languages` are the languages the browser asks pages in (Accept-Language, best first);
    Chromium's own interface stays en-US (the format date fields are typed in).
    """
    for program in (CHROMIUM, CHROMEDRIVER):
        if not program.is_file():
            pytest.fail(f"{program} is missing: run `make browser`", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (*CHROMIUM_ARGUMENTS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    prefs: dict[str, object] = {"intl.accept_languages": languages}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def quiet_browser(tmp_path_factory):
    """Headless Chromium with JavaScript disabled, shared by the tests of a module."""
    browser = chromium(tmp_path_factory.mktemp("chromium-profile"), javascript=False)
    yield browser
    browser.quit()


@pytest.fixture
def browser_languages() -> str:
    """The languages `driver` asks pages in (Accept-Language); a module overrides this
    fixture to browse in another language."""
    return "en-US,en"


@pytest.fixture
def driver(request, tmp_path, browser_languages):
    """A fresh headless Chromium (own profile, no cookies); on failure, the page's screenshot
    and HTML are saved as tmp_path/failure.png and failure.html."""
    browser = chromium(tmp_path / "chromium-profile", languages=browser_languages)
    yield browser
    try:
        if any(r.failed for r in request.node.stash.get(_reports, {}).values()):
            _save_page(browser, tmp_path)
    finally:
        browser.quit()


def _save_page(browser, folder: Path) -> None:
    browser.save_screenshot(str(folder / "failure.png"))
    (folder / "failure.html").write_text(browser.page_source, encoding="utf-8")
    print(f"The page at failure ({browser.current_url}): {folder / 'failure.png'}, "
          f"{folder / 'failure.html'}")


@pytest.fixture
def serve():
    """Return serve(app) -> base URL: the app served by werkzeug on 127.0.0.1 (a free port) in
    a background thread, one thread per request, until the test ends."""
    running = []

    def start(app) -> str:
        server = _bind(app)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in running:
        server.shutdown()
        thread.join()



def _bind(app):
    # TEST_SERVER_PORTS="51500-51599" keeps the servers in a range (machines shared by several
    # test runs); otherwise the system picks a free port.
    first, _, last = os.environ.get("TEST_SERVER_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        try:
            return make_server("127.0.0.1", port, app, threaded=True)
        except OSError:
            continue
    raise OSError(f"no free port in TEST_SERVER_PORTS={os.environ['TEST_SERVER_PORTS']}")
