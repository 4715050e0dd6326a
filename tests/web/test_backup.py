"""`flask db backup` and `flask db restore` on both engines (PostgreSQL under
TEST_DATABASE_URL, with pg_dump/pg_restore): a backup restored into a fresh database holds
every practice, revision, dossier, policy note, comment, account and audit entry as they were;
a restore over a changed database brings it back; nothing is written when a backup fails."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.search.live import RESET_ALL
from practices.models import Base
from practices.workflow import Status
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_practice
from tests.web.helpers import committed

pytestmark = pytest.mark.postgres


def _content(app) -> None:
    def make(session):
        for status in (Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED, Status.PROMISING,
                       Status.FLAGGED_FOR_POLICY, Status.DECLINED):
            make_practice(session, status=status, title=f"École {status.value} 学校",
                          language="fr")
    committed(app, make)


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                        select(table).order_by(*table.primary_key.columns))]
                    for table in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database on the same engine as the test's (no schema at all)."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path}/restored.db"
        return
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_restore"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_backup_restored_into_a_fresh_database_holds_everything(app, app_config, tmp_path,
                                                                  fresh_url):
    _content(app)
    before = _rows(app_config["DATABASE_URL"])
    assert len(before["practices"]) == 6 and before["promotion_dossiers"]
    assert before["policy_notes"] and before["audit_log"] and before["practice_revisions"]
    saved = app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "b" / "x.bak")])
    assert saved.exit_code == 0, saved.output
    restored_app = create_app({**app_config, "DATABASE_URL": fresh_url})
    try:
        done = restored_app.test_cli_runner().invoke(
            args=["db", "restore", str(tmp_path / "b" / "x.bak"), "--yes"])
    finally:
        restored_app.extensions["db_engine"].dispose()
    assert done.exit_code == 0, done.output
    after = _rows(fresh_url)
    changes = after.pop("search_changes")
    assert changes[:-1] == before.pop("search_changes")
    assert changes[-1][1] == RESET_ALL  # running processes rebuild their index
    assert after == before
    assert list(tmp_path.joinpath("b").iterdir()) == [tmp_path / "b" / "x.bak"]


def test_a_restore_brings_a_changed_database_back(app, app_config, tmp_path):
    _content(app)
    before = _rows(app_config["DATABASE_URL"])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "backup", str(tmp_path / "x.bak")]).exit_code == 0
    committed(app, lambda s: make_practice(s, status=Status.PUBLISHED, title="Added later"))
    assert runner.invoke(args=["db", "restore", str(tmp_path / "x.bak")], input="n\n") \
        .exit_code == 1  # asked first; "no" changes nothing
    assert len(_rows(app_config["DATABASE_URL"])["practices"]) == 7
    app.extensions["db_engine"].dispose()  # no idle connection holding the tables
    done = runner.invoke(args=["db", "restore", str(tmp_path / "x.bak"), "--yes"])
    assert done.exit_code == 0, done.output
    after = _rows(app_config["DATABASE_URL"])
    after.pop("search_changes"), before.pop("search_changes")
    assert after == before


def test_a_restore_of_something_that_is_no_backup_changes_nothing(app, app_config, tmp_path):
    _content(app)
    before = _rows(app_config["DATABASE_URL"])
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"this is not a backup")
    app.extensions["db_engine"].dispose()
    done = app.test_cli_runner().invoke(args=["db", "restore", str(junk), "--yes"])
    assert done.exit_code == 1 and "Error:" in done.output
    assert _rows(app_config["DATABASE_URL"]) == before
