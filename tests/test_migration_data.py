"""Migration 0002 carries existing data over: institutions become members, practices get an
external id and a revision 1 holding their content, and the domain works on the result."""
from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.migrate import downgrade, upgrade
from practices.models import AuditEntry, Practice, PracticeRevision
from practices.permissions import SYSTEM
from practices.services import transition, update_practice
from practices.services.content import revision_data
from practices.services.mapping import to_data

pytestmark = pytest.mark.postgres

BEFORE = "a1f0c0de0001"


@pytest.fixture
def url(tmp_path):
    """An empty database: a SQLite file, or a scratch PostgreSQL database next to the test one."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    scratch = make_url(server).set(database=f"{make_url(server).database}_migration_data")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        conn.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    yield scratch.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    admin.dispose()


def fill_version_1(engine) -> None:
    now = datetime(2025, 3, 1, 12, tzinfo=UTC)
    practice = (
        "INSERT INTO practices (id, external_id, title, summary, body, body_html, language, "
        "country, institution_id, status, created_at, updated_at, published_at) VALUES "
        "(:id, :ext, :title, '', 'Body *md*', '<p>Body <em>md</em></p>', 'fr', 'FR', 1, "
        ":status, :now, :now, :published)"
    )
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO institutions (id, name, country, levels, created_at) "
                 "VALUES (1, 'Lycée A', 'FR', '[]', :now)"),  # fmt: skip
            {"now": now},
        )
        conn.execute(text(practice), [
            {"id": 1, "ext": "old-1", "title": "Published", "status": "published", "now": now,
             "published": now},
            {"id": 2, "ext": None, "title": "Waiting", "status": "submitted", "now": now,
             "published": None},
        ])  # fmt: skip
        conn.execute(
            text("INSERT INTO practice_tags (practice_id, kind, value) VALUES (:p, :k, :v)"),
            [{"p": 1, "k": "theme", "v": "esd"}, {"p": 1, "k": "pillar", "v": "2"},
             {"p": 1, "k": "sdg_target", "v": "4.7"}, {"p": 1, "k": "sdg_target", "v": "13.3"}],
        )  # fmt: skip


def test_existing_practices_and_institutions_are_carried_over(url):
    upgrade(url, BEFORE)
    engine = create_engine(url)
    fill_version_1(engine)
    upgrade(url)
    with Session(engine) as session:
        published, waiting = session.get(Practice, 1), session.get(Practice, 2)
        assert published.institution.membership == "member"
        assert waiting.external_id.startswith("px-")
        revision = published.current_revision
        assert (revision.number, revision.status, revision.title) == (1, "published", "Published")
        assert revision.decided_at == published.published_at
        assert revision_data(revision) == replace(
            to_data(published), institution=None, external_id=None
        )
        assert waiting.current_revision.status == "submitted"
        transition(session, waiting.id, "publish", actor=SYSTEM)
        assert waiting.status == "published"
        session.commit()
    engine.dispose()


def test_the_snapshot_matches_the_content_exactly_and_downgrade_keeps_the_practices(url):
    upgrade(url, BEFORE)
    engine = create_engine(url)
    fill_version_1(engine)
    upgrade(url)
    with Session(engine) as session:
        for practice_id in (1, 2):
            # Unchanged content must be recognised as unchanged: no edit, no new revision.
            update_practice(session, practice_id, to_data(session.get(Practice, practice_id)),
                            actor=SYSTEM)
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert session.scalar(select(func.count()).select_from(PracticeRevision)) == 2
        session.commit()
    downgrade(url, BEFORE)
    with engine.connect() as conn:
        titles = conn.execute(text("SELECT title FROM practices ORDER BY id")).scalars().all()
    assert titles == ["Published", "Waiting"]
    engine.dispose()
