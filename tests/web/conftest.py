"""Fixtures of the web tests (their helpers are in tests/web/helpers.py): practices made through
the domain services, apps with CSRF switched on or on the same database, accounts, tokens."""
from __future__ import annotations

import pytest

from app import create_app
from app.db import get_session
from practices.demo import seed_demo
from practices.permissions import SYSTEM
from practices.services import create_token
from tests.factories import make_user
from tests.web.helpers import new_user, practice_adder


@pytest.fixture
def add_practice(app):
    """Return add(status="published", **record fields) -> practice id: a practice made by
    tests.factories.make_practice (walked to `status` by real accounts) in its own committed
    session."""
    return practice_adder(app)


@pytest.fixture
def csrf_app(app_config):
    """The test app with CSRF tokens checked, as in production (the test config turns them off)."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def csrf_client(csrf_app):
    """A test client of csrf_app."""
    return csrf_app.test_client()


# --- Search, CLI and API (app/search, app/cli, app/api) ------------------------------------


@pytest.fixture
def app_config(app_config):
    """Web tests load search when they first need it (no warm-up thread outliving a test) and
    run without the language neutralizer, whose own tests live with search_index."""
    return {**app_config, "SEARCH_WARM_UP": False, "SEARCH_NEUTRALIZER": False}


@pytest.fixture
def make_app(app_config):
    """Return make(**config overrides) -> another app on the same database, as a second
    worker process would be (its own engine, encoder and in-memory index)."""
    made = []

    def make(**overrides):
        made.append(create_app({**app_config, **overrides}))
        return made[-1]

    yield make
    for other in made:
        other.extensions["db_engine"].dispose()


@pytest.fixture
def api_auth(app):
    """Headers carrying the personal API token of a school editor of a certified member."""
    with app.app_context():
        session = get_session()
        _, secret = create_token(session, "tests", actor=make_user(session, "school_editor"))
        session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def demo(app):
    """Load the bundled demo practices (published, encoded) the way seed-demo does."""
    with app.app_context():
        session = get_session()
        seed_demo(session, actor=SYSTEM)
        session.commit()  # which also encodes them


# --- Accounts (app/accounts/) -------------------------------------------------------------


@pytest.fixture
def make_account(app):
    """Return make(role, **tests.factories.make_user options) -> a committed User (detached;
    its scalar attributes stay readable). Its password is tests.factories.PASSWORD."""

    return lambda role, **options: new_user(app, role, **options)

