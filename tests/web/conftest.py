"""Fixtures of the web tests: practices made through the domain services, CSRF switched on."""
from __future__ import annotations

import itertools

import pytest

from app import create_app
from app.db import get_session
from practices import Status, create_practice, publish, validate_practice

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
            practice = create_practice(session, data, status=Status.SUBMITTED)
            if status == "published":
                publish(session, practice.id)
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
