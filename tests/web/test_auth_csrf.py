"""With CSRF checks on (as in production), a form sent without this session's token, such as one
forged on another site, gets a clear message and changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from practices.models import ApiToken, User
from tests.factories import PASSWORD
from tests.web.helpers import csrf_token, login_as
from tests.web.html_page import parse


def _explains_the_refusal(response) -> bool:
    text = parse(response.data).one("main").text
    return response.status_code == 400 and "security check failed" in text


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


@pytest.mark.parametrize("token", [None, "forged-token", "from-another-session"])
def test_a_forged_sign_in_is_refused(csrf_app, csrf_client, make_account, token):
    user = make_account("curator")
    data = {"email": user.email, "password": PASSWORD}
    if token == "from-another-session":
        data["csrf_token"] = csrf_token(csrf_app.test_client())
    elif token:
        data["csrf_token"] = token

    response = csrf_client.post("/auth/login", data=data)

    assert _explains_the_refusal(response)
    assert not _signed_in(csrf_client)


def test_a_sign_in_with_the_forms_token_is_accepted(csrf_client, make_account):
    assert login_as(csrf_client, make_account("curator")).status_code == 302
    assert _signed_in(csrf_client)


def test_a_forged_sign_out_is_refused(csrf_client, make_account):
    login_as(csrf_client, make_account("curator"))

    response = csrf_client.post("/auth/logout")

    assert _explains_the_refusal(response)
    assert _signed_in(csrf_client)


def test_a_forged_token_creation_is_refused(csrf_app, csrf_client, make_account):
    login_as(csrf_client, make_account("school_editor"))

    response = csrf_client.post("/account/tokens", data={"name": "attacker's token"})

    assert _explains_the_refusal(response)
    with csrf_app.app_context():
        assert get_session().scalar(select(ApiToken.id)) is None


def test_a_forged_token_revocation_is_refused(csrf_app, csrf_client, make_account):
    login_as(csrf_client, make_account("school_editor"))
    csrf_client.post("/account/tokens", data={
        "name": "script", "csrf_token": csrf_token(csrf_client, "/account/tokens")})
    with csrf_app.app_context():
        token_id = get_session().scalar(select(ApiToken.id))

    response = csrf_client.post(f"/account/tokens/{token_id}/revoke")

    assert _explains_the_refusal(response)
    with csrf_app.app_context():
        assert get_session().get(ApiToken, token_id).revoked_at is None


def test_a_forged_role_change_is_refused(csrf_app, csrf_client, make_account):
    editor = make_account("school_editor")
    login_as(csrf_client, make_account("administrator"))

    response = csrf_client.post(f"/admin/users/{editor.id}/role",
                                data={"role": "administrator"})

    assert _explains_the_refusal(response)
    with csrf_app.app_context():
        assert get_session().get(User, editor.id).role == "school_editor"


def test_a_forged_password_change_is_refused(csrf_client, make_account):
    user = make_account("curator")
    login_as(csrf_client, user)

    response = csrf_client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "chosen by the attacker!!",
        "confirm": "chosen by the attacker!!"})

    assert _explains_the_refusal(response)
    assert login_as(csrf_client.application.test_client(), user).status_code == 302
