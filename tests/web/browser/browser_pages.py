"""What a person does on the pages, in a real browser: small page objects over Selenium.

Every step that leaves a page waits until the next page has replaced it and finished loading
(an explicit wait), so a test never reads the page it just left and never sleeps.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.factories import PASSWORD

# Seconds to wait for a page: generous, as CI machines may be busy. A healthy step takes
# well under a second (the first real-model search, a few).
TIMEOUT = 30


def wait_for_path(driver: WebDriver, path: str, *, query: str = "", prefix: bool = False) -> None:
    """Wait until the browser shows the page at exactly `path` (with prefix=True: a path that
    starts with it) and, if given, a query string containing `query`. Works with JavaScript off.

    Exact, not "URL contains": the page a click leaves often contains the next one's path
    (``/my/practices/1/withdraw`` holds ``/my/practices/1``; ``/auth/login?next=/submit``
    holds ``/submit``), and such a wait returns before the browser has moved.
    Raises selenium's TimeoutException after TIMEOUT seconds.
    """
    def arrived(d: WebDriver) -> bool:
        url = urlsplit(d.current_url)
        at = url.path.startswith(path) if prefix else url.path == path
        return at and query in url.query

    WebDriverWait(driver, TIMEOUT).until(arrived)


@dataclass(frozen=True)
class Result:
    """One search result as shown: its title, the title's lang and dir attributes, the
    direction it is laid out in (CSS), its recognition badges and its link."""

    title: str
    lang: str | None
    dir: str | None
    direction: str
    badges: tuple[str, ...]
    link: WebElement


class Site:
    """The served app as seen through one browser window."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    # --- Moving around ------------------------------------------------------------------

    def open(self, path: str = "/") -> None:
        """Load the page at `path` (as if typed into the address bar)."""
        self.driver.get(self.base_url + path)

    @property
    def path(self) -> str:
        """The path of the page shown, with its query string."""
        url = urlsplit(self.driver.current_url)
        return url.path + (f"?{url.query}" if url.query else "")

    def click_and_wait(self, element: WebElement) -> None:
        """Click a link or button and wait until the next page has replaced this one and
        finished loading."""
        # A mark on this page's window object: the next page's window does not have it.
        # (Waiting for an element of this page to go stale is racy in chromedriver: during
        # the navigation it may answer "Node ... does not belong to the document".)
        self.driver.execute_script("window.leftByTest = true")
        element.click()
        WebDriverWait(self.driver, TIMEOUT, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script(
                "return !window.leftByTest && document.readyState === 'complete'"))

    def find(self, css: str) -> WebElement:
        """Return the first element matching `css` (NoSuchElementException if none)."""
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def go(self, href: str, within: str = "nav.site-nav") -> None:
        """Follow the link to `href` (a path, as in the page's HTML) inside `within` (CSS):
        the same link in every interface language."""
        self.click_and_wait(self.find(f"{within} a[href='{href}']"))

    def follow(self, text: str, within: str = "main") -> None:
        """Follow the link whose text is exactly `text` inside `within` (CSS)."""
        link = f".//a[normalize-space()={_xpath_str(text)}]"
        self.click_and_wait(self.find(within).find_element(By.XPATH, link))

    def use_menu(self, text: str) -> None:
        """Follow a link of the site's main navigation."""
        self.follow(text, within="nav.site-nav")

    @property
    def heading(self) -> str:
        """The page's main heading."""
        return self.find("main h1").text

    def flashes(self) -> list[str]:
        """The messages shown at the top of the page (what was just done)."""
        return [f.text for f in self.driver.find_elements(By.CSS_SELECTOR, ".flash")]

    def image_shown(self, css: str) -> bool:
        """Scroll the image matching `css` (lazily loaded) into view; wait until it has
        loaded with pixels (TimeoutException if it never does, e.g. a broken link)."""
        image = self.find(css)
        self.driver.execute_script("arguments[0].scrollIntoView()", image)
        return WebDriverWait(self.driver, TIMEOUT).until(lambda d: d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", image))

    @property
    def words_shown(self) -> str:
        """Everything a person reads on the page: its title (the tab), its text, and the words
        of attributes (placeholders, labels of controls, tooltips, image descriptions)."""
        return self.driver.execute_script("""
            const said = [...document.querySelectorAll(
                '[placeholder], [aria-label], [title], img[alt], input[type=submit][value]')]
              .flatMap(e => ['placeholder', 'aria-label', 'title', 'alt', 'value']
                .filter(a => e.hasAttribute(a) && (a !== 'value' || e.type === 'submit'))
                .map(a => e.getAttribute(a)));
            return [document.title, document.body.innerText, ...said].join('\\n');""")

    @property
    def language(self) -> tuple[str | None, str | None]:
        """The lang and dir attributes of the page's <html> element."""
        html = self.find("html")
        return html.get_attribute("lang"), html.get_attribute("dir")

    def send(self, form: str) -> None:
        """Press the submit button of the form matching `form` (CSS), whatever its label (the
        first one, when the form has several), and wait."""
        self.click_and_wait(self.find(form).find_element(By.CSS_SELECTOR, "button[type='submit']"))

    def press(self, label: str, within: str = "main") -> None:
        """Press the submit button labelled `label` inside `within` (CSS) and wait."""
        scope = self.find(within)
        self.click_and_wait(scope.find_element(
            By.XPATH, f".//button[@type='submit'][normalize-space()={_xpath_str(label)}]"))

    # --- Accounts -----------------------------------------------------------------------

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        """Sign in through the account menu's link and the sign-in form."""
        self.follow("Sign in", within="nav.account-menu")
        self.fill_sign_in(email, password)
        assert f"You are signed in as {email}." in self.flashes(), self.find("main").text

    def open_sign_in(self) -> None:
        """Follow the account menu's sign-in link (in any language): it comes back here."""
        self.click_and_wait(self.find("nav.account-menu a[href^='/auth/login']"))

    def fill_sign_in(self, email: str, password: str = PASSWORD) -> None:
        """On the sign-in page (in any language), sign in; the browser goes where the app
        sends it (the page asked for before signing in, if any)."""
        self.find("#email").send_keys(email)
        self.find("#password").send_keys(password)
        self.send("main form[action='/auth/login']")

    def sign_out(self) -> None:
        """Sign out with the account menu's button."""
        self.leave()
        assert "You are signed out." in self.flashes(), self.find("main").text

    def leave(self) -> None:
        """Sign out with the account menu's button, in any interface language."""
        self.send("nav.account-menu form[action='/auth/logout']")

    # --- Search -------------------------------------------------------------------------

    def search(self, query: str) -> list[Result]:
        """Type `query` into the page's search box, press Search, and return the results."""
        box = self.find("form.search-box input[type='search']")
        box.clear()
        box.send_keys(query)
        self.press("Search", within="form.search-box")
        return self.results()

    def filter_results(self, field: str, value: str) -> list[Result]:
        """Tick one value of a filter group (e.g. status: promising), apply, and return the
        results."""
        self.find(f"form.filters input[name='{field}'][value='{value}']").click()
        self.press("Apply filters", within="form.filters")
        return self.results()

    def results(self) -> list[Result]:
        """Return the results listed on a search page, best first."""
        return [_result(item) for item in
                self.driver.find_elements(By.CSS_SELECTOR, "ol.results li.result")]


def _result(item: WebElement) -> Result:
    heading = item.find_element(By.TAG_NAME, "h3")
    badges = tuple(b.text for b in item.find_elements(By.CSS_SELECTOR, ".badges li"))
    return Result(
        title=heading.text, lang=heading.get_attribute("lang"), dir=heading.get_attribute("dir"),
        direction=heading.value_of_css_property("direction"), badges=badges,
        link=heading.find_element(By.TAG_NAME, "a"),
    )  # fmt: skip


def _xpath_str(text: str) -> str:
    # An XPath 1.0 string literal: it has no escapes, so pick the quote the text lacks.
    quote = "'" if "'" not in text else '"'
    assert quote not in text, f"no XPath literal for {text!r}"
    return f"{quote}{text}{quote}"


# --- Forms ----------------------------------------------------------------------------------


class JoinFormPage:
    """The public form a school applies to join the network with (/join)."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def fill(self, *, name: str, country: str, city: str, levels: Iterable[str], sector: str,
             locality: str, editor_name: str, editor_email: str, motivation: str = "") -> None:
        """Fill in the institution and its first editor (country: ISO 3166 alpha-2; levels,
        sector and locality: codes)."""
        self.site.find("#name").send_keys(name)
        Select(self.site.find("#country")).select_by_value(country)
        self.site.find("#city").send_keys(city)
        for level in levels:
            self.site.find(f"input[name='levels'][value='{level}']").click()
        Select(self.site.find("#sector")).select_by_value(sector)
        Select(self.site.find("#locality")).select_by_value(locality)
        self.site.find("#editor_name").send_keys(editor_name)
        self.site.find("#editor_email").send_keys(editor_email)
        self.site.find("#motivation").send_keys(motivation)

    def send(self) -> None:
        """Send the application."""
        self.site.send("main form[action='/join']")


def choose_password(site: Site, password: str) -> None:
    """On the page of a link to choose a (new) password, type it twice and send it."""
    site.find("#new_password").send_keys(password)
    site.find("#confirm").send_keys(password)
    site.send("main form[action^='/auth/reset/']")


def attach_file(site: Site, path: str) -> None:
    """On the school's page of a practice, attach the file at `path` and wait."""
    site.find("#attach-file").send_keys(path)
    site.send("form.attach-form")



class PracticeFormPage:
    """The school's practice form ("Share a practice", or the edit of one of theirs)."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def fill(self, *, language: str, title: str, body: str, summary: str = "",
             themes: Iterable[str] = (), levels: Iterable[str] = (), sdg_targets: str = "",
             license: str = "") -> None:
        """Fill in the fields (themes and levels are codes, language a BCP 47 tag)."""
        Select(self.site.find("#language")).select_by_value(language)
        self.site.find("#title").send_keys(title)
        self.site.find("#summary").send_keys(summary)
        self.site.find("#body").send_keys(body)
        for name, values in (("themes", themes), ("levels", levels)):
            for value in values:
                self.site.find(f"input[name='{name}'][value='{value}']").click()
        self.site.find("#sdg_targets").send_keys(sdg_targets)
        if license:
            Select(self.site.find("#license")).select_by_value(license)

    def replace_body(self, body: str) -> None:
        """Replace the description with `body`."""
        field = self.site.find("#body")
        field.clear()
        field.send_keys(body)

    def submit_for_review(self) -> int:
        """Press "Submit for review" (in any language); return the id of the practice (from the
        page it lands on, the school's page of the practice)."""
        return self._press("submit")

    def save_draft(self) -> int:
        """Press "Save draft" (in any language); return the id of the practice."""
        return self._press("save")

    def _press(self, intent: str) -> int:
        self.site.click_and_wait(self.site.find(f"button[name='intent'][value='{intent}']"))
        found = re.fullmatch(r"/my/practices/(\d+)", self.site.path)
        assert found, f"not on the practice's page after {intent}: {self.site.path}"
        return int(found.group(1))


def take_action(site: Site, action: str, note: str = "") -> None:
    """Send a workflow action's form of a practice's page (review or school's), with a note.

    `action` is the workflow name (request_changes, publish, ...): each form has its class.
    """
    form = site.find(f"form.action-{action}")
    form.find_element(By.NAME, "note").send_keys(note)
    site.click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type='submit']"))


class PromotionFormPage:
    """The curator's promotion form: rubric scores, an assessment, evidence rows."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def score(self, scores: Mapping[str, int | str]) -> None:
        """Choose a score (0-3, or "na") for each criterion code."""
        for code, value in scores.items():
            self.site.find(f"#score-{code}-{value}").click()

    def assess(self, text: str) -> None:
        """Write the assessment (why the practice is promising)."""
        self.site.find("#summary").send_keys(text)

    def add_evidence(self, row: int, *, kind: str, title: str, source: str, when: date,
                     url: str = "") -> None:
        """Fill evidence row `row` (0 is the first); `kind` is an evidence type code."""
        prefix = f"#evidence-{row}-"
        Select(self.site.find(prefix + "type")).select_by_value(kind)
        self.site.find(prefix + "title").send_keys(title)
        self.site.find(prefix + "source").send_keys(source)
        _type_date(self.site.find(prefix + "date"), when)
        self.site.find(prefix + "url").send_keys(url)

    def promote(self) -> None:
        """Press the promotion button (in any language)."""
        self.site.send(f"main form[action='{urlsplit(self.site.driver.current_url).path}']")


def _type_date(field: WebElement, when: date) -> None:
    # A date field takes keystrokes in the browser's format: month/day/year in en-US (the
    # language the browser fixture starts Chromium in).
    field.send_keys(when.strftime("%m%d%Y"))
    assert field.get_attribute("value") == when.isoformat(), field.get_attribute("value")


class FlagFormPage:
    """The curator's flag-for-policy form: the policy note."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def fill(self, *, audience: str, key_message: str, countries: Iterable[str]) -> None:
        """Fill in the policy note (countries are ISO 3166 alpha-2 codes)."""
        self.site.find("#audience").send_keys(audience)
        self.site.find("#key_message").send_keys(key_message)
        # Countries are ticked (no Ctrl-click); the one listed first (the network's
        # countries come first) is enough. A closed group is opened first.
        for code in countries:
            box = self.site.find(f'#countries input[type="checkbox"][value="{code}"]')
            if not box.is_displayed():
                details = box.find_element(By.XPATH, "./ancestor::details")
                details.find_element(By.TAG_NAME, "summary").click()
            box.click()

    def flag(self) -> None:
        """Press the flag button."""
        self.site.press("Flag for policy dissemination")
