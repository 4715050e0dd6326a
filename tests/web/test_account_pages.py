"""A person's own account: their profile, and a password change that ends their other sessions
while this browser stays signed in."""
from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.web.helpers import login_as
from tests.web.html_page import parse, unlabelled_controls

NEW_PASSWORD = "a brand new passphrase of mine"


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/account/password", data={
        "current_password": current, "new_password": new,
        "confirm": new if confirm is None else confirm,
    })  # fmt: skip


def test_the_profile_shows_role_and_scope(client, make_account):
    login_as(client, make_account("national_coordinator", country="KE"))

    doc = parse(client.get("/account").data)

    facts = doc.one("dl", class_="facts").text
    assert "National Coordinator" in facts and "Kenya" in facts
    assert unlabelled_controls(doc) == []


def test_name_and_address_can_be_changed(client, make_account):
    editor = make_account("school_editor")
    login_as(client, editor)

    response = client.post("/account", data={"name": "Amina  Diallo",
                                              "email": "Amina@Test.example"})

    assert response.status_code == 302
    doc = parse(client.get("/account").data)
    assert doc.one("input", id="name")["value"] == "Amina Diallo"
    assert doc.one("input", id="email")["value"] == "amina@test.example"


def test_an_address_taken_by_someone_else_is_refused_and_nothing_changes(client, make_account):
    other = make_account("curator")
    login_as(client, make_account("school_editor", email="me@test.example"))

    response = client.post("/account", data={"name": "New name", "email": other.email})

    assert response.status_code == 422
    message = parse(response.data).one("span", id="email-error").text
    assert f"{other.email} already has an account" in message
    assert parse(client.get("/account").data).one("input", id="email")["value"] == \
        "me@test.example"


@pytest.mark.postgres
def test_a_password_change_ends_other_sessions_but_not_this_one(app, client, make_account):
    editor = make_account("school_editor")
    other_browser = app.test_client()
    login_as(client, editor)
    login_as(other_browser, editor)
    old_cookie = client.get_cookie("session").value

    response = _change_password(client)

    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_browser.get("/account").status_code == 302
    replayed = app.test_client()
    replayed.set_cookie("session", old_cookie)
    assert replayed.get("/account").status_code == 302
    assert login_as(app.test_client(), editor).status_code == 422
    assert login_as(app.test_client(), editor, password=NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"current": "not my password at all"}, "current_password", "is not your current password"),
    ({"confirm": "something else entirely"}, "confirm", "The two new passwords differ."),
    ({"new": "short"}, "new_password", "must be at least 15 characters"),
])  # fmt: skip
def test_a_refused_password_change_says_why_and_changes_nothing(app, client, make_account,
                                                               change, field, message):
    editor = make_account("school_editor")
    login_as(client, editor)

    response = _change_password(client, **change)

    assert response.status_code == 422
    assert message in parse(response.data).one("span", id=f"{field}-error").text
    assert client.get("/account").status_code == 200  # still signed in
    assert login_as(app.test_client(), editor).status_code == 302  # old password still works


def test_the_account_pages_speak_french_to_french_browsers(client, make_account):
    login_as(client, make_account("national_coordinator", country="SN"))

    doc = parse(client.get("/account", headers={"Accept-Language": "fr"}).data)

    assert doc.one("h1").text == "Votre compte"
    assert "(coordinateur·rice national·e)" in doc.one("nav", class_="account-menu").text
    assert "Sénégal" in doc.one("dl", class_="facts").text
