"""`flask db ...`: the database schema, migrated by Alembic (app/migrate.py)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app import migrate

db_cli = AppGroup("db", help="Manage the database schema.")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision.")
def db_upgrade(revision: str) -> None:
    """Migrate the database at DATABASE_URL to the newest schema."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database is at {migrate.current(current_app.config['DATABASE_URL'])}")
