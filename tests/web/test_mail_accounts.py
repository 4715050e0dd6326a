"""Recovering an account by e-mail, as the person notices it: a reset link that arrives in
their language, works once and expires; a form that never tells whether an address has an
account; a new address confirmed by a link sent to it."""
from __future__ import annotations

import time

import pytest
from itsdangerous.timed import TimestampSigner

from app.db import get_session
from app.mail.delivery import deliver_pending
from tests.web.helpers import login_as, new_user
from tests.web.mail_server import body, links, mail_config, path_of, smtp  # noqa: F401

pytestmark = pytest.mark.postgres

NEW_PASSWORD = "a brand new password for spring"


@pytest.fixture
def app_config(app_config, smtp):  # noqa: F811
    """The test app, sending through the test SMTP server."""
    return {**app_config, **mail_config(smtp.port)}


def deliver(app):
    """Run one pass of the deliverer, as `flask mail deliver` does."""
    with app.app_context():
        return deliver_pending(get_session())


def ask_for_reset(client, address: str, language: str = "en"):
    """Send the forgot-password form as a visitor whose browser prefers `language`."""
    return client.post("/auth/forgot", data={"email": address},
                       headers={"Accept-Language": language})


def reset_link(app, client, smtp, user, language="en") -> str:  # noqa: F811
    ask_for_reset(client, user.email, language)
    deliver(app)
    [message] = smtp.inbox.to(user.email)
    return path_of(links(message)[0])


def choose(client, link: str, password: str = NEW_PASSWORD):
    return client.post(link, data={"new_password": password, "confirm": password})


def test_a_reset_link_arrives_in_the_visitors_language_and_sets_a_new_password(
        app, client, smtp):  # noqa: F811
    user = new_user(app, "school_editor")
    ask_for_reset(client, user.email.upper(), "fr")
    deliver(app)
    [message] = smtp.inbox.to(user.email)
    assert message["Subject"] == "Choisissez un nouveau mot de passe"
    assert "fonctionne une seule fois, pendant 2 heures" in body(message)
    assert "List-Unsubscribe" not in message  # not a message one can turn off
    link = path_of(links(message)[0])

    assert client.get(link).status_code == 200
    done = choose(client, link)
    assert done.status_code == 302 and done.location.endswith("/auth/login")
    assert login_as(app.test_client(), user).status_code == 422  # the old password is gone
    assert login_as(app.test_client(), user, password=NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_once(app, client, smtp):  # noqa: F811
    user = new_user(app, "national_coordinator", country="FR")
    link = reset_link(app, client, smtp, user)
    assert choose(client, link).status_code == 302
    again = choose(client, link, "yet another password for summer")
    assert again.status_code == 400
    assert "used already" in again.get_data(as_text=True)
    assert login_as(app.test_client(), user, password=NEW_PASSWORD).status_code == 302


def test_a_reset_link_expires(app, client, smtp, monkeypatch):  # noqa: F811
    user = new_user(app, "curator")
    link = reset_link(app, client, smtp, user)
    hours = app.config["MAIL_RESET_HOURS"]
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) + hours * 3600 + 60)
    assert client.get(link).status_code == 400
    assert choose(client, link).status_code == 400
    assert login_as(app.test_client(), user, password=NEW_PASSWORD).status_code == 422


def test_the_form_answers_the_same_whether_the_address_has_an_account(app, client, smtp):  # noqa: F811
    user = new_user(app, "school_editor")
    known = ask_for_reset(client, user.email)
    unknown = ask_for_reset(client, "nobody@test.example")
    assert known.status_code == unknown.status_code == 200
    assert (known.get_data(as_text=True).replace(user.email, "ADDRESS")
            == unknown.get_data(as_text=True).replace("nobody@test.example", "ADDRESS"))
    deliver(app)
    assert [m["X-Envelope-To"] for m in smtp.inbox.messages] == [user.email]


def test_asking_again_and_again_sends_one_message(app, client, smtp):  # noqa: F811
    user = new_user(app, "school_editor")
    for _ in range(5):
        ask_for_reset(client, user.email)
    deliver(app)
    assert len(smtp.inbox.to(user.email)) == 1


def test_a_new_address_is_confirmed_by_the_link_sent_to_it(app, client, smtp):  # noqa: F811
    user = new_user(app, "school_editor")
    login_as(client, user)
    saved = client.post("/account", data={"name": "Ada", "email": "ada@new.example"})
    assert saved.status_code == 302
    page = client.get("/account/email").get_data(as_text=True)
    assert "not confirmed yet" in page
    deliver(app)
    [message] = smtp.inbox.to("ada@new.example")
    assert message["Subject"] == "Confirm your e-mail address"
    link = path_of(links(message)[0])
    assert client.get(link).status_code == 200  # a page with a button; opening confirms nothing
    assert "not confirmed yet" in client.get("/account/email").get_data(as_text=True)
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "ada@new.example is confirmed" in confirmed.get_data(as_text=True)
    assert "This address is confirmed." in client.get("/account/email").get_data(as_text=True)


def test_a_confirmation_link_for_a_former_address_does_not_confirm_the_new_one(
        app, client, smtp):  # noqa: F811
    user = new_user(app, "school_editor")
    login_as(client, user)
    client.post("/account", data={"name": "Ada", "email": "first@new.example"})
    deliver(app)
    client.post("/account", data={"name": "Ada", "email": "second@new.example"})
    [old] = smtp.inbox.to("first@new.example")
    assert client.post(path_of(links(old)[0])).status_code == 400
    assert "not confirmed yet" in client.get("/account/email").get_data(as_text=True)
