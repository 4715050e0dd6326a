"""Fixtures of the web tests: practices made through the domain services, CSRF switched on."""
from __future__ import annotations

import itertools
import re

import pytest

from app import create_app
from app.db import get_session
from app.search import get_search
from practices import Status, validate_practice
from practices.demo import seed_demo
from practices.filters import SearchFilters
from practices.permissions import SYSTEM
from practices.services import create_practice, create_token, publish
from search_index import HashingEncoder
from tests.factories import PASSWORD, make_user

_numbers = itertools.count(1)


def practice_record(**overrides) -> dict:
    """Return a valid practice record (import/API shape); `overrides` replace fields."""
    n = next(_numbers)
    record = {
        "title": f"School garden {n}",
        "summary": f"Pupils of class {n} grow vegetables and compost the canteen's waste.",
        "body": "We built raised beds.\n\n## What changed\n\n- less waste\n- more *salad*",
        "language": "en",
        "country": "GB",
        "themes": ["esd"],
    }
    record.update(overrides)
    return record


@pytest.fixture
def add_practice(app):
    """Return add(status="published", **record fields) -> practice id.

    The practice is created (and published) through the domain services in its own session,
    which is committed, exactly as the CLI or a reviewer would do it.
    """

    def add(status: str = "published", **fields) -> int:
        with app.app_context():
            session = get_session()
            data = validate_practice(practice_record(**fields))
            practice = create_practice(session, data, status=Status.SUBMITTED, actor=SYSTEM)
            if status == "published":
                publish(session, practice.id, actor=SYSTEM)
            session.commit()
            return practice.id

    return add


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


class CountingEncoder(HashingEncoder):
    """The test encoder, counting the texts it encodes (`passages`, `queries`) and its calls
    to encode passages (`batches`)."""

    def __init__(self) -> None:
        super().__init__()
        self.passages = 0
        self.queries = 0
        self.batches = 0

    def encode_passages(self, texts, **kwargs):
        self.passages += len(texts)
        self.batches += 1
        return super().encode_passages(texts, **kwargs)

    def encode_queries(self, texts):
        self.queries += len(texts)
        return super().encode_queries(texts)


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


def found_ids(app, query: str = "", limit: int = 50, **filters) -> list[int]:
    """Return the ids a search through `app`'s search reader finds, best first."""
    with app.app_context():
        page = get_search().search(get_session(), query=query,
                                   filters=SearchFilters.parse(filters), limit=limit)
        return [item.practice.id for item in page.items]


# --- Accounts (app/accounts/) ---------------------------------

_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')


@pytest.fixture
def make_account(app):
    """Return make(role, **tests.factories.make_user options) -> a committed User (detached;
    its scalar attributes stay readable). Its password is tests.factories.PASSWORD."""

    def make(role: str, **options):
        with app.app_context():
            session = get_session()
            user = make_user(session, role, **options)
            session.commit()
            return user

    return make


def csrf_token(client, path: str = "/auth/login") -> str:
    """Return the CSRF token in a form of the page at `path` ("" when CSRF checks are off)."""
    field = _CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    value = _VALUE.search(field.group(0)) if field else None
    return value.group(1) if value else ""


def login_as(client, user, password: str = PASSWORD, **form):
    """Sign `user` in on `client` through the real sign-in form; return the response.

    Sends the form's CSRF token, so it works whether CSRF checks are on or off.
    """
    data = {"email": user.email, "password": password, **form}
    data.setdefault("csrf_token", csrf_token(client))
    return client.post("/auth/login", data=data)


def logout(client):
    """Sign out through the sign-out button's form; return the response."""
    return client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
