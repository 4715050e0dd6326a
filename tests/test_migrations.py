"""The schema exists only through Alembic, and the migrations match the models exactly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.migrate import current, downgrade, upgrade
from practices.models import Base

pytestmark = pytest.mark.postgres


def test_upgrade_head_leaves_no_difference_from_the_models(app):
    engine = create_engine(app.config["DATABASE_URL"])
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_back_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    head = current(url)
    downgrade(url, "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)
    assert current(url) == head
