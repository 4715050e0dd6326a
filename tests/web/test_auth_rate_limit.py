"""Failed sign-in attempts are limited per account and per client address: one too many gets a
429 page saying when to try again, and the limit lifts when its time is up."""
from __future__ import annotations

import time
import uuid

import pytest

from tests.web.helpers import login_as
from tests.web.html_page import parse

WRONG = "this is not the right password"


@pytest.fixture
def limited(make_app):
    """Return make(**config) -> a test client of an app with sign-in limits switched on."""

    def make(**config):
        app = make_app(RATELIMIT_ENABLED=True, **config)
        return app.test_client()

    return make


def _fail(client, email):
    return client.post("/auth/login", data={"email": email, "password": WRONG})


def test_too_many_failures_for_one_account_are_refused_until_the_time_is_up(
    limited, make_account
):
    client = limited(LOGIN_RATE_LIMIT_PER_ACCOUNT="2 per 1 second")
    editor = make_account("school_editor")
    assert [_fail(client, editor.email).status_code for _ in range(2)] == [422, 422]

    refused = login_as(client, editor)  # even the right password, while the limit holds

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= 1
    doc = parse(refused.data)
    assert doc.one("h1").text == "Too many sign-in attempts"
    assert "try again in 1 minute" in doc.one("main").text
    time.sleep(1.2)
    assert login_as(client, editor).status_code == 302


def test_the_account_limit_counts_an_address_whatever_its_case(limited, make_account):
    client = limited(LOGIN_RATE_LIMIT_PER_ACCOUNT="2 per minute")
    editor = make_account("school_editor")
    _fail(client, editor.email)
    _fail(client, editor.email.upper())

    assert _fail(client, f"  {editor.email.title()} ").status_code == 429


def test_the_account_limit_leaves_other_accounts_alone(limited, make_account):
    client = limited(LOGIN_RATE_LIMIT_PER_ACCOUNT="2 per minute")
    editor, curator = make_account("school_editor"), make_account("curator")
    for _ in range(3):
        _fail(client, editor.email)

    assert login_as(client, curator).status_code == 302


def test_too_many_failures_from_one_address_are_refused_whatever_the_account(
    limited, make_account
):
    client = limited(LOGIN_RATE_LIMIT_PER_IP="3 per minute")
    for n in range(3):
        assert _fail(client, f"guess-{n}@test.example").status_code == 422

    assert login_as(client, make_account("curator")).status_code == 429
    other_address = client.post(
        "/auth/login", data={"email": "guess@test.example", "password": WRONG},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )  # fmt: skip
    assert other_address.status_code == 422


def test_successful_sign_ins_do_not_count(limited, make_account):
    client = limited(LOGIN_RATE_LIMIT_PER_ACCOUNT="2 per minute",
                     LOGIN_RATE_LIMIT_PER_IP="2 per minute")
    curator = make_account("curator")

    assert [login_as(client, curator).status_code for _ in range(5)] == [302] * 5


def test_only_sign_in_attempts_are_limited(limited):
    client = limited(LOGIN_RATE_LIMIT_PER_IP="1 per minute")
    _fail(client, "someone@test.example")

    assert [client.get("/auth/login").status_code for _ in range(3)] == [200] * 3
    assert client.get("/").status_code == 200


@pytest.mark.redis
def test_several_processes_share_the_counts_in_redis(make_app, make_account):
    """Production: RATELIMIT_STORAGE_URI = redis://127.0.0.1:6379 (here with a key prefix
    of its own, so parallel runs do not meet)."""
    import redis

    server = redis.Redis(host="127.0.0.1", port=6379)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running at 127.0.0.1:6379 (start redis-server, or "
                    "deselect with -m 'not redis')", pytrace=False)
    prefix = f"test-{uuid.uuid4().hex}"
    config = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
              "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_RATE_LIMIT_PER_ACCOUNT": "2 per minute"}
    first, second = make_app(**config).test_client(), make_app(**config).test_client()
    editor = make_account("school_editor")
    try:
        _fail(first, editor.email)
        _fail(second, editor.email)

        assert login_as(first, editor).status_code == 429
        assert login_as(second, editor).status_code == 429
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)
