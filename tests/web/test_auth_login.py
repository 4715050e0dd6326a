"""Signing in and out: the right password signs in, sessions are renewed at sign-in and end at
sign-out, and the page never tells whether an address has an account."""
from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.web.helpers import login_as, logout
from tests.web.html_page import parse, unlabelled_controls

SESSION_COOKIE = "session"


def _signed_in_as(client) -> str | None:
    """Return the text of the account menu's first link (the user's name), or None."""
    menu = parse(client.get("/").data).one("nav", class_="account-menu")
    form = menu.find("form", action="/auth/logout")
    return menu.find("a").text if form is not None else None


def _cookie(client) -> str:
    return client.get_cookie(SESSION_COOKIE).value


def test_the_sign_in_form_has_labelled_fields(client):
    doc = parse(client.get("/auth/login").data)

    assert doc.one("input", id="email")["type"] == "email"
    assert doc.one("input", id="password")["type"] == "password"
    assert unlabelled_controls(doc) == []


def test_the_right_address_and_password_sign_in_and_lead_on(client, make_account):
    curator = make_account("curator")

    response = login_as(client, curator, next="/search?q=jardin%20scolaire")

    assert response.status_code == 302
    assert response.headers["Location"] == "/search?q=jardin%20scolaire"
    assert _signed_in_as(client) == curator.name


def test_addresses_are_matched_whatever_their_case(client, make_account):
    curator = make_account("curator", email="Marie.Curie@Test.example")

    response = client.post("/auth/login", data={"email": "  MARIE.curie@test.EXAMPLE ",
                                                "password": PASSWORD})

    assert response.status_code == 302 and _signed_in_as(client) == curator.name


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, make_account):
    curator = make_account("curator")

    wrong_password = client.post("/auth/login", data={"email": curator.email,
                                                      "password": "not the password at all"})
    unknown = client.post("/auth/login", data={"email": "nobody@test.example",
                                               "password": "not the password at all"})

    assert wrong_password.status_code == unknown.status_code == 422
    messages = [parse(r.data).one("div", class_="error-summary").text
                for r in (wrong_password, unknown)]
    assert messages[0] == messages[1]
    assert "e-mail address or the password is not right" in messages[0]
    assert _signed_in_as(client) is None


def test_a_deactivated_account_cannot_sign_in(client, make_account, runner):
    editor = make_account("school_editor")
    assert runner.invoke(args=["users", "deactivate", editor.email]).exit_code == 0

    response = login_as(client, editor)

    assert response.status_code == 422 and _signed_in_as(client) is None


def test_an_empty_form_says_what_is_missing(client):
    response = client.post("/auth/login", data={"email": "", "password": ""})

    assert response.status_code == 422
    doc = parse(response.data)
    assert "Enter your e-mail address." in doc.one("span", id="email-error").text
    assert "Enter your password." in doc.one("span", id="password-error").text


def test_signing_in_renews_the_session_but_keeps_the_interface_language(client, make_account):
    editor = make_account("school_editor")
    client.get("/interface-language/fr")
    with client.session_transaction() as session:
        session["planted"] = "a value someone placed before sign-in"
    before = _cookie(client)

    login_as(client, editor)

    with client.session_transaction() as session:
        assert "planted" not in session
    assert _cookie(client) != before
    page = client.get("/", headers={"Accept-Language": "en"})
    assert parse(page.data).one("html")["lang"] == "fr"


@pytest.mark.postgres
def test_a_copy_of_the_session_cookie_stops_working_at_sign_out(app, client, make_account):
    editor = make_account("school_editor")
    login_as(client, editor)
    stolen = _cookie(client)

    assert logout(client).headers["Location"] == "/"
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, stolen)

    assert _signed_in_as(client) is None
    assert _signed_in_as(thief) is None
    assert thief.get("/account").status_code == 302


@pytest.mark.postgres
def test_signing_out_ends_the_other_sessions_of_the_account(app, client, make_account):
    editor = make_account("school_editor")
    other_browser = app.test_client()
    login_as(client, editor)
    login_as(other_browser, editor)

    logout(client)

    assert _signed_in_as(other_browser) is None


def test_signing_out_needs_a_post(client, make_account):
    login_as(client, make_account("curator"))

    assert client.get("/auth/logout").status_code == 405
    assert _signed_in_as(client) is not None


def test_pages_for_signed_in_people_send_visitors_to_sign_in_and_back(client, make_account):
    response = client.get("/account/tokens")

    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Faccount%2Ftokens"
    form = parse(client.get(response.headers["Location"]).data).one("form", method="post")
    assert form.one("input", name="next")["value"] == "/account/tokens"
    signed_in = login_as(client, make_account("curator"), next="/account/tokens")
    assert signed_in.headers["Location"] == "/account/tokens"


def test_the_account_menu_shows_the_name_the_role_and_a_sign_out_button(client, make_account):
    assert parse(client.get("/").data).one("nav", class_="account-menu").text == "Sign in"
    coordinator = make_account("national_coordinator", country="KE")

    login_as(client, coordinator)

    menu = parse(client.get("/").data).one("nav", class_="account-menu")
    assert coordinator.name in menu.text and "(National Coordinator)" in menu.text
    assert menu.one("form", action="/auth/logout").one("button").text == "Sign out"
    assert "Users" not in menu.text  # only administrators manage accounts


def test_the_session_cookie_is_http_only_and_same_site(client, make_account):
    response = login_as(client, make_account("curator"))

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # local http by default; SESSION_COOKIE_SECURE in production


def test_a_secure_session_cookie_can_be_configured(make_app, make_account):
    client = make_app(SESSION_COOKIE_SECURE=True).test_client()

    response = login_as(client, make_account("curator"))

    assert "Secure" in response.headers["Set-Cookie"]
