"""Actions that cannot be undone, or that take effect at once for many people, ask first,
without JavaScript: the page's form leads to a confirmation page that says what will happen,
nothing changes until its button is pressed, and "Cancel" leads back. Played with CSRF checks
on, by submitting the forms the pages actually show (app/confirm.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from practices.models import ApiToken, Institution, Practice, User
from practices.services import create_token
from tests.factories import make_practice, make_user
from tests.web.helpers import committed, login_as
from tests.web.html_page import accessibility_problems, parse


def fields_of(form) -> dict[str, str]:
    """Return what a browser sends for a form as shown: its inputs, textareas and selects."""
    data = {}
    for node in form.iter():
        name = node.get("name")
        if not name or node.get("disabled") is not None:
            continue
        if node.tag == "input" and node.get("type") not in ("submit", "checkbox", "radio"):
            data[name] = node.get("value", "")
        elif node.tag == "textarea":
            data[name] = node.text
        elif node.tag == "select":
            chosen = [o for o in node.find_all("option") if o.get("selected") is not None]
            data[name] = (chosen or node.find_all("option"))[0].get("value", "")
    return data


def send_form(client, page_url: str, action_url: str, **changes):
    """Fill in the form posting to `action_url` on the page at `page_url` and send it."""
    page = parse(client.get(page_url).data)
    [form] = [f for f in page.find_all("form") if f.get("action") == action_url]
    return client.post(action_url, data={**fields_of(form), **changes})


def value(app, model, ident, attribute):
    with app.app_context():
        return getattr(get_session().get(model, ident), attribute)


def withdraw(app):
    def make(session):
        practice = make_practice(session, status="submitted")
        return practice.id, practice.revisions[0].author
    practice_id, editor = committed(app, make)
    page = f"/my/practices/{practice_id}"
    return (editor, page, f"{page}/withdraw", {}, lambda: value(app, Practice, practice_id,
                                                               "status"), "withdrawn")


def decline(app):
    def make(session):
        return (make_practice(session, status="submitted").id,
                make_user(session, "national_coordinator", country="FR"))
    practice_id, coordinator = committed(app, make)
    page = f"/review/practices/{practice_id}"
    return (coordinator, page, f"{page}/decline", {"note": "Not an ASPnet practice."},
            lambda: value(app, Practice, practice_id, "status"), "declined")


def archive(app):
    def make(session):
        return make_practice(session, status="published").id, make_user(session, "curator")
    practice_id, curator = committed(app, make)
    return (curator, f"/review/practices/{practice_id}",
            f"/curation/practices/{practice_id}/archive", {},
            lambda: value(app, Practice, practice_id, "status"), "archived")


def suspend(app):
    def make(session):
        practice = make_practice(session, status="published")
        return practice.institution_id, make_user(session, "curator")
    institution_id, curator = committed(app, make)
    return (curator, "/admin/institutions",
            f"/admin/institutions/{institution_id}/membership", {"membership": "suspended"},
            lambda: value(app, Institution, institution_id, "membership"), "suspended")


def deactivate(app):
    def make(session):
        return make_user(session, "school_editor").id, make_user(session, "administrator")
    user_id, admin = committed(app, make)
    return (admin, f"/admin/users/{user_id}", f"/admin/users/{user_id}/active", {},
            lambda: value(app, User, user_id, "active"), False)


def new_password(app):
    def make(session):
        return make_user(session, "school_editor").id, make_user(session, "administrator")
    user_id, admin = committed(app, make)
    return (admin, f"/admin/users/{user_id}", f"/admin/users/{user_id}/password", {},
            lambda: value(app, User, user_id, "session_version"), 2)


def revoke(app):
    def make(session):
        editor = make_user(session, "school_editor")
        return create_token(session, "script", actor=editor)[0].id, editor
    token_id, editor = committed(app, make)

    def revoked():
        with app.app_context():
            return get_session().scalar(select(ApiToken.revoked_at)) is not None

    return (editor, "/account/tokens", f"/account/tokens/{token_id}/revoke", {}, revoked, True)


CASES = {
    "withdraw": (withdraw, "Withdraw “School garden", "cannot be undone"),
    "decline": (decline, "Decline “School garden", "cannot be undone"),
    "archive": (archive, "Archive “School garden", "cannot be undone"),
    "suspend an institution": (suspend, "Suspend “School", "leave search"),
    "deactivate an account": (deactivate, "Deactivate the account of", "signed out"),
    "set a new password": (new_password, "Set a new password for", "stops working"),
    "revoke an API token": (revoke, "Revoke the token “script”?", "cannot be undone"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_action_asks_first_and_changes_nothing_until_confirmed(csrf_app, csrf_client, case):
    setup, question, consequence = CASES[case]
    person, page_url, action_url, filled, state, after = setup(csrf_app)
    login_as(csrf_client, person)
    before = state()

    asked = send_form(csrf_client, page_url, action_url, **filled)

    assert asked.status_code == 200
    assert state() == before  # nothing happened yet
    page = parse(asked.data)
    assert question in page.one("h1").text
    assert consequence in page.one("p", id="consequence").text
    cancel = page.one("form", class_="confirm-form").one("a")
    assert cancel["href"] == page_url
    assert accessibility_problems(page) == []
    confirmed = csrf_client.post(action_url, data=fields_of(page.one("form",
                                                                     class_="confirm-form")))
    assert confirmed.status_code in (200, 302, 303)
    assert state() == after


def test_a_confirmation_page_left_open_while_someone_else_decided_changes_nothing(
        csrf_app, csrf_client):
    person, page_url, action_url, filled, state, _ = decline(csrf_app)
    login_as(csrf_client, person)
    asked = parse(send_form(csrf_client, page_url, action_url, **filled).data)
    other = csrf_app.test_client()
    login_as(other, committed(csrf_app, lambda s: make_user(s, "curator")))
    send_form(other, page_url, page_url + "/publish", confirmed="yes")
    assert state() == "published"

    late = csrf_client.post(action_url, data=fields_of(asked.one("form", class_="confirm-form")))

    assert late.status_code == 303
    assert state() == "published"
    assert "now “Published”" in " ".join(
        f.text for f in parse(csrf_client.get(late.headers["Location"]).data)
        .find_all("div", class_="flash"))


def test_a_decline_without_its_note_is_refused_before_anything_is_asked(csrf_app, csrf_client):
    person, page_url, action_url, _, state, _ = decline(csrf_app)
    login_as(csrf_client, person)

    response = send_form(csrf_client, page_url, action_url, note="")

    assert response.status_code == 422
    assert state() == "submitted"
