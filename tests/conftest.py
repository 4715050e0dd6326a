"""Root fixtures: an app with its own migrated database per test (flaskr-style).

The schema is made by Alembic once per session (a template), then copied (SQLite) or
truncated (PostgreSQL) for each test, so every test starts from an empty, migrated database.
Set TEST_DATABASE_URL to run the tests marked `postgres` against PostgreSQL.
"""
from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.db import get_session
from app.migrate import upgrade
from practices.models import Base
from tests.catalogues import compile_stale_catalogues

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Compile the interface catalogues whose .mo is missing or stale (build artefacts)."""
    compile_stale_catalogues()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Return a function giving each test a fresh, migrated database URL."""
    if TEST_DATABASE_URL:
        engine = create_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade(TEST_DATABASE_URL)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)

        def fresh(_tmp_path):
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            return TEST_DATABASE_URL

        yield fresh
        engine.dispose()
        return

    template = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{template}")

    def fresh(tmp_path):
        target = tmp_path / "test.db"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"

    yield fresh


@pytest.fixture
def app_config(tmp_path, migrated_database):
    """The configuration mapping of the test app; tests may update it before using `app`."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": migrated_database(tmp_path),
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "ATTACHMENTS_DIR": str(tmp_path / "attachments"),
        "DEMO_ACCOUNTS_FILE": str(tmp_path / "demo_accounts.txt"),
        "ENCODER": "hashing",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Mail is delivered by the tests that look at it (tests/web/mail), not by a thread,
        # and written (if ever) to the test's own folder.
        "MAIL_DELIVERY": "command",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
    }


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """Hash passwords with argon2's cheapest parameters: tests make accounts by the dozen, and
    the production parameters cost ~0.1 s per hash (practices.passwords)."""
    from argon2 import profiles

    from practices import passwords

    passwords.use_parameters(profiles.CHEAPEST)
    yield
    passwords.use_parameters(profiles.RFC_9106_LOW_MEMORY)


@pytest.fixture
def app(app_config):
    """A Flask app on its own empty, migrated database."""
    app = create_app(app_config)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A session inside an app context (the same one the app's code would use)."""
    with app.app_context():
        yield get_session()


# --- The real embedding model, for tests marked `model` ------------------------------------


def _model_folder():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "instance" / "models" / "multilingual-e5-small"
    if not (folder / "onnx" / "model.onnx").is_file():
        pytest.fail(f"the embedding model or its ONNX export is missing at {folder}: run "
                    "`make model`", pytrace=False)
    return folder


@pytest.fixture(scope="session")
def real_encoder():
    """The product's encoder (search_index.model_encoder, the paths chosen for this CPU) over
    the folder `make model` builds, loaded once.

    A missing folder fails the tests that use it: CI must never pass by skipping them.
    """
    from search_index.model_encoder import ModelEncoder

    return ModelEncoder(_model_folder())


@pytest.fixture(scope="session")
def reference_encoder():
    """The reference: plain sentence-transformers over the same folder, loaded once."""
    from search_index.st_encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(_model_folder(), threads=1)


@pytest.fixture(scope="session")
def real_neutralizer_cache(real_encoder, tmp_path_factory):
    """A folder holding the language neutralizer fitted for the real model, fitted once per
    test run (minutes): copy it to <SEARCH_INDEX_DIR>/neutralizer and an app finds it there."""
    from app.search.neutralizing import fit_neutralizer
    from app.search.settings import SearchSettings

    folder = tmp_path_factory.mktemp("real_neutralizer")
    settings = SearchSettings(
        encoder=real_encoder, model_id=real_encoder.model_id, model_path="", threads=0,
        index_dir=folder, neutralizer=True, candidates=100, gap_seconds=300,
        keep_changes_days=30, database_key="")
    assert fit_neutralizer(settings, real_encoder) is not None
    return folder / "neutralizer"
