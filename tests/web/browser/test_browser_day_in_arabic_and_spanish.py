"""Issue 9's day, in a real browser whose languages are Arabic, then Spanish: a school applies to
join, its National Coordinator recommends it, the ASPnet Unit certifies it, the school's editor
chooses a password, forgets it and chooses another, submits a practice with a photo, is asked
for a change, resubmits; the coordinator publishes and a curator promotes it.

Nobody is handed a link: each person is told by an e-mail that a real SMTP server on 127.0.0.1
received (sent by the app's own background deliverer, as in production), and opens its link
in the browser. At every e-mail: it arrived, it speaks the recipient's language (the
catalogue's words, no English) and its link opens the right page. At every page: <html> says
the language (and right to left for Arabic), and no English is on it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pytest
from PIL import Image
from selenium.webdriver.common.by import By

from practices.models import User
from practices.notifications import KINDS
from tests.factories import PASSWORD
from tests.web.browser.browser_pages import (
    JoinFormPage,
    PracticeFormPage,
    PromotionFormPage,
    Site,
    attach_file,
    choose_password,
    take_action,
    wait_for_path,
)
from tests.web.browser.interface_words import Words, english_words, numeric_dates
from tests.web.helpers import committed, new_user
from tests.web.mail_server import body, links, mail_config, smtp, subject  # noqa: F401

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Day:
    """What the people of one language's day write (none of it English)."""

    language: str
    country: str
    country_name: str
    school: str
    city: str
    editor: str
    email: str
    motivation: str
    recommendation: str
    title: str
    summary: str
    body: str
    change_asked: str
    change_made: str
    photo: str
    assessment: str
    two_hours: str  # how long a link works (MAIL_RESET_HOURS), as the language says it
    comma: str  # between the items of a list ("school, city, country")


DAYS = {
    "ar": Day(
        language="ar", country="MA", country_name="المغرب", school="مدرسة النور الابتدائية",
        city="فاس", editor="ليلى بنعلي", email="layla@annour.example",
        motivation="نعمل مع الأسر على التربية من أجل التنمية المستدامة.",
        recommendation="مدرسة نشيطة في البيئة منذ سنوات.",
        title="حديقة المدرسة والسماد", summary="يحول التلاميذ بقايا المطعم إلى سماد لحديقتهم.",
        body="يعتني كل قسم بقطعة من الحديقة.\n\n- السماد\n- البذور",
        change_asked="أضيفوا ما غيره السماد من فضلكم.",
        change_made="النتيجة: يرمي المطعم نصف ما كان يرميه من البقايا.",
        photo="صورة-الحديقة.png", assessment="نتائج قاسها المطعم؛ سهلة النقل إلى مدارس أخرى.",
        two_hours="لمدة ساعتين", comma="، ",
    ),
    "es": Day(
        language="es", country="PE", country_name="Perú", school="Escuela Rural Los Andes",
        city="Cusco", editor="Rosa Quispe", email="rosa@losandes.example",
        motivation="Trabajamos la educación para el desarrollo sostenible con las familias.",
        recommendation="Escuela activa en medio ambiente desde hace años.",
        title="Huerto escolar y compost", summary="Los alumnos compostan los restos del comedor.",
        body="Cada clase cuida una parcela del huerto.\n\n- compost\n- semillas",
        change_asked="Digan qué cambió el compost, por favor.",
        change_made="Resultado: el comedor tira la mitad de restos que antes.",
        photo="foto-del-huerto.png", assessment="Resultados medidos por el comedor; fácil de "
                                                "llevar a otras escuelas.",
        two_hours="durante 2 horas", comma=", ",
    ),
}  # fmt: skip

FIRST_PASSWORD = "dos palabras que recuerdo bien"
NEW_PASSWORD = "otra frase larga que no olvido"


@pytest.fixture(params=sorted(DAYS))
def day(request) -> Day:
    return DAYS[request.param]


@pytest.fixture
def browser_languages(day) -> str:
    """The browser asks pages in the day's language only (Accept-Language), as a browser set
    up in that language does; nobody picks a language on the pages."""
    return day.language


@pytest.fixture
def served(make_app, serve, smtp, day):  # noqa: F811
    """The app with CSRF checks on, sending its mail through the test SMTP server with its own
    background deliverer (as in production), served, its links pointing at the served address;
    with the country's National Coordinator and a curator of the Unit, who chose the day's
    language for their accounts (the footer's picker saves it; e-mails follow it)."""
    app = make_app(WTF_CSRF_ENABLED=True, MAIL_DELIVERY="thread", **mail_config(smtp.port))
    base_url = serve(app)
    app.config["PUBLIC_URL"] = base_url
    people = {"coordinator": new_user(app, "national_coordinator", country=day.country),
              "curator": new_user(app, "curator")}
    committed(app, lambda s: [setattr(s.get(User, person.id), "ui_language", day.language)
                              for person in people.values()])
    yield app, base_url, people
    app.extensions["mail_deliverer"].stop()


class Mailbox:
    """The e-mails people receive, as they read them: each checked to be in the day's language,
    and followed by its link in the browser."""

    def __init__(self, site: Site, smtp_server, words: Words) -> None:
        self.site, self.smtp, self.words = site, smtp_server, words
        self.read: dict[str, int] = {}
        self.text = ""  # the last e-mail received: its subject and body
        self.links: list[str] = []  # and its links

    def receive(self, address: str, kind: str, **values) -> str:
        """Wait for the next e-mail to `address`; check it is the message `kind` (its subject
        in the day's language, with `values`) and has no English; return its first link."""
        count = self.read[address] = self.read.get(address, 0) + 1
        message = self.smtp.inbox.wait_for(address, count)[-1]
        assert subject(message) == self.words(KINDS[kind].subject, **values)
        self.text = text = f"{subject(message)}\n{body(message)}"
        self.links = links(message)
        assert not english_words(text), f"English in the {kind} e-mail:\n{text}"
        return self.links[0]

    def follow(self, link: str, path: str, *, prefix: bool = False) -> None:
        """Open an e-mail's link in the browser; check it leads to `path` (through the sign-in
        page when needed, signed in by the caller) and that the page is in the day's
        language."""
        assert link.startswith(self.site.base_url + "/"), link
        self.site.driver.get(link)
        check_page(self.site, self.words)
        if urlsplit(self.site.driver.current_url).path != "/auth/login":
            wait_for_path(self.site.driver, path, prefix=prefix)


def check_page(site: Site, words: Words) -> None:
    """The page is in the day's language: <html lang dir>, no English word on it and no date
    in digits only."""
    expected_dir = "rtl" if words.language == "ar" else "ltr"
    assert site.language == (words.language, expected_dir), site.path
    text = site.words_shown
    assert not english_words(text), f"English on {site.path}: {english_words(text)}\n{text}"
    assert not numeric_dates(text), f"dates in digits on {site.path}: {numeric_dates(text)}"


def sign_in_from_link(site: Site, words: Words, email: str, password: str, path: str) -> None:
    """Signed out, a followed link shows the sign-in page: sign in and land on `path`."""
    wait_for_path(site.driver, "/auth/login")
    site.fill_sign_in(email, password)
    wait_for_path(site.driver, path)
    assert words("You are signed in as %(email)s.", email=email) in site.flashes()
    check_page(site, words)


def photo(folder, name: str) -> str:
    """Write a small PNG photo named `name` into `folder`; return its path."""
    path = folder / name
    Image.new("RGB", (64, 48), (40, 140, 60)).save(path, "PNG")
    return str(path)


def test_a_whole_day_of_every_role_in_arabic_and_in_spanish(driver, served, smtp, day,  # noqa: F811
                                                            tmp_path):
    app, base_url, people = served
    nc, unit = people["coordinator"].email, people["curator"].email
    site, words = Site(driver, base_url), Words(app, day.language)
    mail = Mailbox(site, smtp, words)

    # A school applies to join on the public form.
    site.open("/")
    check_page(site, words)
    site.go("/join", within="footer")
    check_page(site, words)
    join = JoinFormPage(site)
    join.fill(name=day.school, country=day.country, city=day.city, levels=["primary"],
              sector="public", locality="urban", editor_name=day.editor, editor_email=day.email,
              motivation=day.motivation)
    join.send()
    wait_for_path(driver, "/join/sent")
    assert site.heading == words("Application sent")
    check_page(site, words)

    # The country's National Coordinator is told, follows the link and recommends the school.
    link = mail.receive(nc, "application_received", school=day.school)
    mail.follow(link, "/applications/1")
    sign_in_from_link(site, words, nc, PASSWORD, "/applications/1")
    site.find("#note").send_keys(day.recommendation)
    site.send("form[action='/applications/1/recommend']")
    assert words("Recommended: the ASPnet Unit is told.") in site.flashes()
    check_page(site, words)
    site.leave()

    # The Unit is told, follows the link and certifies the school.
    link = mail.receive(unit, "application_recommended", school=day.school)
    assert f"{day.school} ({day.country_name})" in mail.text
    mail.follow(link, "/applications/1")
    sign_in_from_link(site, words, unit, PASSWORD, "/applications/1")
    site.find("#confirm").click()
    site.send("form[action='/applications/1/certify']")
    assert words("Certified: the school is a member and its editor is told how to sign "
                 "in.") in site.flashes()
    check_page(site, words)
    site.leave()

    # The school's editor is welcomed, chooses a password with the link and signs in.
    link = mail.receive(day.email, "application_certified", school=day.school)
    assert day.two_hours in mail.text
    mail.follow(link, "/auth/reset/", prefix=True)
    choose_password(site, FIRST_PASSWORD)
    wait_for_path(driver, "/auth/login")
    assert words("Your password is changed. Sign in with it.") in site.flashes()
    check_page(site, words)

    # ... forgets it, asks for a link on the sign-in page, chooses another and signs in.
    site.go("/auth/forgot", within="main")
    check_page(site, words)
    site.find("#email").send_keys(day.email)
    site.send("main form[action='/auth/forgot']")
    assert site.heading == words("Check your mailbox")
    assert day.two_hours in site.find("main").text
    check_page(site, words)
    link = mail.receive(day.email, "password_reset")
    assert day.two_hours in mail.text
    mail.follow(link, "/auth/reset/", prefix=True)
    choose_password(site, NEW_PASSWORD)
    wait_for_path(driver, "/auth/login")
    site.fill_sign_in(day.email, NEW_PASSWORD)
    assert words("You are signed in as %(email)s.", email=day.email) in site.flashes()
    check_page(site, words)

    # The school writes a practice, attaches a photo and submits it.
    site.go("/submit")
    check_page(site, words)
    form = PracticeFormPage(site)
    form.fill(language=day.language, title=day.title, summary=day.summary, body=day.body,
              themes=["esd"], levels=["primary"])
    practice_id = form.save_draft()
    attach_file(site, photo(tmp_path, day.photo))
    assert words("%(name)s is attached.", name=day.photo) in site.flashes()
    check_page(site, words)
    take_action(site, "submit")
    assert words("“%(title)s” was submitted for review.", title=day.title) in site.flashes()
    check_page(site, words)
    site.leave()

    # The National Coordinator is told at once, sees the photo and asks for a change.
    review_page = f"/review/practices/{practice_id}"
    link = mail.receive(nc, "submitted", title=day.title)
    mail.follow(link, review_page)
    sign_in_from_link(site, words, nc, PASSWORD, review_page)
    assert day.photo in site.find("#files").text
    school_line = day.comma.join((day.school, day.city, day.country_name))
    assert school_line in site.find("main").text
    take_action(site, "request_changes", note=day.change_asked)
    check_page(site, words)
    site.leave()

    # The school is told, follows the link, edits and resubmits.
    school_page = f"/my/practices/{practice_id}"
    link = mail.receive(day.email, "changes_requested", title=day.title)
    mail.follow(link, school_page)
    sign_in_from_link(site, words, day.email, NEW_PASSWORD, school_page)
    assert day.change_asked in site.find("#thread").text
    site.go(f"/my/practices/{practice_id}/edit", within="main")
    check_page(site, words)
    form.replace_body(f"{day.body}\n\n{day.change_made}")
    assert form.submit_for_review() == practice_id
    assert words("“%(title)s” was submitted for review.", title=day.title) in site.flashes()
    check_page(site, words)
    site.leave()

    # The National Coordinator is told of the resubmission, follows the link and publishes.
    link = mail.receive(nc, "resubmitted", title=day.title)
    mail.follow(link, review_page)
    sign_in_from_link(site, words, nc, PASSWORD, review_page)
    assert day.change_made in site.find("main").text
    take_action(site, "publish")
    assert words("“%(title)s” was published.", title=day.title) in site.flashes()
    check_page(site, words)
    site.leave()

    # The school is told; the link opens the public page.
    public_page = f"/practices/{practice_id}"
    link = mail.receive(day.email, "published", title=day.title)
    mail.follow(link, public_page)

    # A curator of the Unit promotes it to a promising practice with a dossier.
    site.open_sign_in()
    site.fill_sign_in(unit, PASSWORD)
    wait_for_path(driver, public_page)
    site.go("/curation/queue")
    check_page(site, words)
    site.go(f"/curation/practices/{practice_id}/promote", within="main")
    check_page(site, words)
    promotion = PromotionFormPage(site)
    promotion.score({"relevance": 3, "impact": 2, "replicability": 3, "conditions": 2,
                     "sustainability": 2, "participation": 3})
    promotion.assess(day.assessment)
    promotion.add_evidence(0, kind="data", title=day.change_made, source=day.school,
                           when=date(2026, 5, 1))
    promotion.promote()
    wait_for_path(driver, f"/curation/practices/{practice_id}/dossier")
    assert words("“%(title)s” is now a promising practice.", title=day.title) in site.flashes()
    check_page(site, words)
    site.leave()

    # The school is told; the public page shows the photo and the badge.
    link = mail.receive(day.email, "promoted", title=day.title)
    mail.follow(link, public_page)
    badges = [b.text for b in driver.find_elements(By.CSS_SELECTOR, ".badges li")]
    assert badges == [words("Promising practice")]
    assert day.photo in site.find("#files").text
    assert site.image_shown("#files img")
    assert school_line in site.find("main").text

    # The e-mail's link to stop that kind of message opens, without signing in, a page in
    # the school's language that asks before it stops anything.
    mail.follow(mail.links[1], "/mail/unsubscribe/", prefix=True)
    assert site.find("main form button[type='submit']").is_displayed()
