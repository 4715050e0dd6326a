"""`flask db ...`: the database schema, migrated by Alembic (app/migrate.py); backups
(app/backup.py)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from app import backup, migrate
from app.db import get_session
from app.search.live import RESET_ALL
from practices.models import SearchChange

db_cli = AppGroup("db", help="Manage the database schema; back it up and restore it.")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision.")
def db_upgrade(revision: str) -> None:
    """Migrate the database at DATABASE_URL to the newest schema."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database is at {migrate.current(current_app.config['DATABASE_URL'])}")


@db_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def db_backup(path: str) -> None:
    """Write a backup of the whole database to PATH (pg_dump, or SQLite's backup API),
    while the site keeps running."""
    try:
        written = backup.backup(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {written} ({written.stat().st_size:,} bytes)")


@db_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def db_restore(path: str, yes: bool) -> None:
    """Replace the whole database by the backup at PATH (all or nothing); running processes
    then rebuild their search index from the restored vectors."""
    url = current_app.config["DATABASE_URL"]
    if not yes:
        click.confirm(f"Replace everything in {make_url(url).render_as_string()} by {path}?",
                      abort=True)
    try:
        backup.restore(url, path)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    session = get_session()
    session.add(SearchChange(practice_id=RESET_ALL))  # every process rebuilds its index
    session.commit()
    click.echo(f"database restored from {path}; at {migrate.current(url)}")
