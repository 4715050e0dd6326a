"""Personal API tokens: shown once, stored hashed, revocable, tied to an active account."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from factories import make_user
from sqlalchemy import select, text

from practices.errors import NotFound, PermissionDenied, ValidationError
from practices.models import ApiToken
from practices.roles import Role
from practices.services import authenticate_token, create_token, list_tokens, revoke_token

pytestmark = pytest.mark.postgres


def test_the_secret_is_given_once_and_only_its_hash_is_stored(session):
    user = make_user(session, Role.SCHOOL_EDITOR)
    token, secret = create_token(session, "nightly import", actor=user)
    session.commit()
    stored = session.execute(text("SELECT * FROM api_tokens")).mappings().one()
    assert secret not in [str(v) for v in stored.values()]
    assert stored["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith("pxt_") and len(secret) > 40
    assert token.prefix == secret[:10] and token.name == "nightly import"


def test_a_token_authenticates_its_owner_until_revoked(session):
    user = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    token, secret = create_token(session, "script", actor=user)
    assert authenticate_token(session, secret) is user
    assert token.last_used_at is not None
    assert authenticate_token(session, secret[:-1] + "x") is None
    assert authenticate_token(session, "") is None
    revoke_token(session, token.id, actor=user)
    assert authenticate_token(session, secret) is None


def test_a_deactivated_owners_tokens_stop_working(session):
    user = make_user(session, Role.CURATOR)
    _, secret = create_token(session, "script", actor=user)
    user.active = False
    assert authenticate_token(session, secret) is None


def test_last_use_is_written_at_most_every_few_minutes(session):
    user = make_user(session, Role.CURATOR)
    token, secret = create_token(session, "script", actor=user)
    authenticate_token(session, secret)
    first = token.last_used_at
    authenticate_token(session, secret)
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(minutes=10)
    authenticate_token(session, secret)
    assert token.last_used_at > first


def test_users_see_and_revoke_only_their_own_tokens(session):
    owner = make_user(session, Role.CURATOR)
    other = make_user(session, Role.CURATOR)
    token, _ = create_token(session, "mine", actor=owner)
    create_token(session, "theirs", actor=other)
    assert [t.name for t in list_tokens(session, actor=owner)] == ["mine"]
    with pytest.raises(NotFound):
        revoke_token(session, token.id, actor=other)
    assert token.revoked_at is None
    admin = make_user(session, Role.ADMINISTRATOR)
    assert revoke_token(session, token.id, actor=admin).revoked_at is not None


def test_a_token_needs_a_name_and_a_signed_in_user(session):
    user = make_user(session, Role.CURATOR)
    with pytest.raises(ValidationError):
        create_token(session, "  ", actor=user)
    with pytest.raises(PermissionDenied):
        create_token(session, "anonymous", actor=None)
    assert session.scalars(select(ApiToken)).all() == []
