"""Alembic environment: target is practices.models.Base.metadata; one source for the URL."""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from practices.models import Base, UTCDateTime

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    # The caller (app.cli `db upgrade`, tests) sets the URL; plain `alembic` falls back to
    # the app's configuration, the one source of truth (as Flask-Migrate's env.py does).
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from app import create_app

    return create_app({"TESTING": True}).config["DATABASE_URL"]


def _render_item(type_, obj, autogen_context):
    # Our TypeDecorators render as their plain SQLAlchemy type, so revisions never import
    # the app's models (hand-written data migrations use sa.table() stubs).
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite ALTERs go through batch mode
        compare_type=True,
        render_item=_render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
