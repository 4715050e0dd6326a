"""Personal API tokens from the account page to the API: created by their owner, shown once,
stored as a hash, refused once revoked; the API then acts as the token's owner."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from app.db import get_session
from practices.models import ApiToken, Practice
from tests.factories import practice_record
from tests.web.helpers import csrf_token, login_as
from tests.web.html_page import parse


def _create_token(client, name="import script"):
    return client.post("/account/tokens",
                       data={"name": name, "csrf_token": csrf_token(client, "/account/tokens")})


def _secret(response) -> str:
    return parse(response.data).one("input", id="token-secret")["value"]


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _post_practice(client, secret, **fields):
    return client.post("/api/v1/practices", json=practice_record(**fields),
                       headers=_bearer(secret))


def _stored_tokens(app) -> list[ApiToken]:
    with app.app_context():
        return list(get_session().scalars(select(ApiToken)))


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(app, client, make_account):
    login_as(client, make_account("school_editor"))

    created = _create_token(client)

    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    secret = _secret(created)
    assert secret.startswith("pxt_") and len(secret) > 40
    assert "shown only this once" in parse(created.data).one("main").text
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in listing and "import script" in listing
    [stored] = _stored_tokens(app)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.token_hash, stored.prefix, stored.name}


@pytest.mark.postgres
def test_a_school_editors_token_submits_a_practice_of_their_institution(app, client,
                                                                        make_account):
    editor = make_account("school_editor")
    login_as(client, editor)
    secret = _secret(_create_token(client))

    response = _post_practice(app.test_client(), secret, title="Rain garden",
                              institution="Some other school", country="GB")

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "submitted"
    with app.app_context():
        practice = get_session().get(Practice, response.get_json()["id"])
        assert practice.institution_id == editor.institution_id
        assert practice.status == "submitted"


@pytest.mark.parametrize("role", ["curator", "national_coordinator", "administrator"])
def test_a_token_of_someone_who_may_not_create_practices_gets_403(app, client, make_account,
                                                                   role):
    account = make_account(role, country="FR") if role == "national_coordinator" \
        else make_account(role)
    login_as(client, account)
    secret = _secret(_create_token(client))

    response = _post_practice(app.test_client(), secret)

    assert response.status_code == 403
    assert response.is_json and "may not create practices" in response.get_json()["error"]
    with app.app_context():
        assert get_session().scalar(select(Practice.id)) is None


def test_a_revoked_token_is_refused_by_the_api(app, client, make_account):
    login_as(client, make_account("school_editor"))
    secret = _secret(_create_token(client))
    [token] = _stored_tokens(app)

    revoked = client.post(f"/account/tokens/{token.id}/revoke",
                          data={"csrf_token": csrf_token(client, "/account/tokens"),
                                "confirmed": "yes"})

    assert revoked.status_code == 302
    assert "revoked on" in parse(client.get("/account/tokens").data).one("table").text
    response = _post_practice(app.test_client(), secret)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_token_of_a_deactivated_account_is_refused(app, client, make_account, runner):
    editor = make_account("school_editor")
    login_as(client, editor)
    secret = _secret(_create_token(client))

    runner.invoke(args=["users", "deactivate", editor.email])

    assert _post_practice(app.test_client(), secret).status_code == 401


def test_nobody_revokes_someone_elses_token(app, client, make_account):
    login_as(client, make_account("school_editor"))
    secret = _secret(_create_token(client))
    [token] = _stored_tokens(app)
    other = app.test_client()
    login_as(other, make_account("school_editor"))

    response = other.post(f"/account/tokens/{token.id}/revoke")

    assert response.status_code == 404
    assert _stored_tokens(app)[0].revoked_at is None
    assert _post_practice(app.test_client(), secret).status_code == 201


def test_a_token_needs_a_name(app, client, make_account):
    login_as(client, make_account("school_editor"))

    response = _create_token(client, name="   ")

    assert response.status_code == 422
    assert parse(response.data).find("input", id="token-secret") is None
    assert _stored_tokens(app) == []


def test_the_token_pages_are_for_signed_in_people_only(client):
    assert client.get("/account/tokens").status_code == 302
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 302
