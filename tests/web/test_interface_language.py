"""The interface in the six UN languages: chosen from the browser, remembered when picked
(a cookie for visitors, the account for signed-in users), offered in the footer by name."""
from __future__ import annotations

import pytest

from app.db import get_session
from app.labels.interface_language import locale_for
from practices.models import User
from tests.web.helpers import login_as
from tests.web.html_page import parse


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("ar-EG,ar;q=0.9", "ar"), ("zh-CN,zh;q=0.9,en;q=0.5", "zh"), ("ru", "ru"),
     ("es-419,es;q=0.9", "es"), ("fr-CA", "fr"), ("sw,es;q=0.8,fr;q=0.5", "es"),
     ("pt-BR", "en"), ("", "en")],
)  # fmt: skip
def test_the_browser_language_chooses_the_interface(client, accept, expected):
    doc = parse(client.get("/", headers={"Accept-Language": accept}).data)

    assert doc.one("html")["lang"] == expected


def test_the_footer_offers_the_six_languages_by_their_own_names(client):
    doc = parse(client.get("/", headers={"Accept-Language": "ru"}).data)

    links = doc.one("ul", class_="ui-languages").find_all("a")
    assert [(a["lang"], a.text) for a in links] == [
        ("ar", "العربية"), ("en", "English"), ("es", "español"), ("fr", "français"),
        ("ru", "русский"), ("zh", "中文"),
    ]


def test_a_visitor_who_picks_spanish_keeps_it(client):
    response = client.get("/interface-language/es?next=/search")

    assert response.status_code == 302 and response.headers["Location"] == "/search"
    doc = parse(client.get("/search", headers={"Accept-Language": "fr"}).data)
    assert (doc.one("html")["lang"], doc.one("h1").text) == ("es", "Buscar prácticas")


def test_arabic_turns_the_whole_page_right_to_left(client):
    client.get("/interface-language/ar")

    html = parse(client.get("/").data).one("html")

    assert (html["lang"], html["dir"]) == ("ar", "rtl")


@pytest.mark.parametrize("tag", ["xx", "pt", "fr-CA", "english", "zh-Hant"])
def test_a_language_the_interface_does_not_speak_is_refused_and_nothing_changes(client, tag):
    client.get("/interface-language/fr")

    response = client.get(f"/interface-language/{tag}", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    doc = parse(response.data)
    assert f"« {tag} » n’est pas une langue de cette interface" in doc.one("main").text
    assert "español (es)" in doc.one("main").text
    assert parse(client.get("/").data).one("html")["lang"] == "fr"


def test_a_signed_in_user_s_choice_follows_them_to_another_browser(app, make_account):
    editor = make_account("school_editor")
    first, second = app.test_client(), app.test_client()
    login_as(first, editor)
    footer = parse(first.get("/").data).one("footer").one("form")
    assert [b["value"] for b in footer.find_all("button")] == ["ar", "en", "es", "fr", "ru", "zh"]
    response = first.post(footer["action"], data={"language": "ru", "next": "/my"})
    assert response.status_code == 302 and response.headers["Location"] == "/my"

    login_as(second, editor)
    doc = parse(second.get("/", headers={"Accept-Language": "en"}).data)

    assert doc.one("html")["lang"] == "ru"
    with app.app_context():
        user = get_session().get(User, editor.id)
        assert (user.ui_language, locale_for(user)) == ("ru", "ru")


def test_whom_nobody_asked_is_spoken_to_in_english(app, make_account):
    editor = make_account("school_editor")
    with app.app_context():
        assert locale_for(get_session().get(User, editor.id)) == "en"
    assert locale_for(None) == "en"


def test_the_browser_s_own_choice_wins_over_the_account_s(app, make_account):
    editor = make_account("school_editor")
    client = app.test_client()
    login_as(client, editor)
    client.post("/interface-language", data={"language": "zh"})

    client.get("/interface-language/es")  # a link (GET): this browser only

    assert parse(client.get("/").data).one("html")["lang"] == "es"
    with app.app_context():
        assert locale_for(get_session().get(User, editor.id)) == "zh"


def test_a_posted_unknown_language_is_refused(app, make_account):
    editor = make_account("school_editor")
    client = app.test_client()
    login_as(client, editor)

    assert client.post("/interface-language", data={"language": "tlh"}).status_code == 404
    with app.app_context():
        assert get_session().get(User, editor.id).ui_language is None


def test_a_visitor_s_choice_is_kept_by_an_account_that_had_none(app, client, make_account):
    editor = make_account("school_editor")
    chosen = make_account("curator", email="curator@example.org")
    with app.app_context():
        get_session().get(User, chosen.id).ui_language = "fr"
        get_session().commit()
    client.get("/interface-language/ar")

    login_as(client, editor)
    other = app.test_client()
    other.get("/interface-language/ar")
    login_as(other, chosen)

    with app.app_context():
        assert locale_for(get_session().get(User, editor.id)) == "ar"
        assert locale_for(get_session().get(User, chosen.id)) == "fr"  # its own choice stays


def test_an_account_without_a_language_takes_the_browser_s_at_sign_in(app, make_account):
    # Otherwise its e-mails (written outside any request) come in MAIL_DEFAULT_LANGUAGE while
    # its holder reads every page in Spanish.
    editor = make_account("school_editor")
    chosen = make_account("curator", email="curator@example.org")
    with app.app_context():
        get_session().get(User, chosen.id).ui_language = "fr"
        get_session().commit()
    for user in (editor, chosen):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pt-BR,es;q=0.8"
        login_as(client, user)

    with app.app_context():
        assert locale_for(get_session().get(User, editor.id)) == "es"
        assert locale_for(get_session().get(User, chosen.id)) == "fr"  # its own choice stays


@pytest.mark.parametrize(("tag", "heading"), [("ru", "Страница не найдена"),
                                               ("ar", "الصفحة غير موجودة")])
def test_a_missing_page_says_so_in_the_reader_s_language_only(client, tag, heading):
    response = client.get("/no-such-page", headers={"Accept-Language": tag})

    main = parse(response.data).one("main")
    assert response.status_code == 404 and main.one("h1").text == heading
    assert "not found" not in main.text  # no English default of the web framework
