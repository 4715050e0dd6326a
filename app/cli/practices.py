"""`flask practices ...`: import, export, publish and seed practices (acting as the system)."""
from __future__ import annotations

import sys

import click

from app.cli.common import Commands, call, on_terminal, progress
from app.cli.users import announce_demo_accounts
from app.db import get_session
from app.search import embed_pending
from practices import Status, demo, services
from practices.records import ImportFailed, detect_format, read_records, write_records

practices_cli = Commands("practices", help="Import, export, publish and seed practices.")

FORMATS = click.Choice(["jsonl", "csv"])
STATUSES = click.Choice([s.value for s in Status])


@practices_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file name's extension.")
@click.option("--publish", is_flag=True, help="Publish the practices (default: submitted).")
def import_practices(file: str, fmt: str | None, publish: bool) -> None:
    """Import practices from a JSON Lines or CSV FILE: all of it, or nothing if a line is bad.

    A practice whose external_id is already stored is updated. New or changed practices are
    encoded for search in one batch before the single commit.
    """
    fmt = fmt or call(detect_format, file)
    session = get_session()
    with open(file, "rb") as stream, progress("importing") as step:
        items = read_records(stream, fmt)
        try:
            report = services.import_records(session, items, publish=publish, on_progress=step)
        except ImportFailed as exc:
            for problem in exc.record_errors:
                click.echo(str(problem), err=True)
            count = len(exc.record_errors)
            raise click.ClickException(f"nothing imported: {count} problem(s)") from None
    encoded = embed_pending(session, progress=on_terminal())
    session.commit()
    click.echo(f"{report}; {encoded} encoded for search")


@practices_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file name's extension.")
@click.option("--status", type=STATUSES, help="Only practices in this status.")
def export_practices(file: str, fmt: str | None, status: str | None) -> None:
    """Write practices to FILE ("-" for standard output) in the import format."""
    fmt = fmt or ("jsonl" if file == "-" else call(detect_format, file))
    rows = services.export_records(get_session(), status=status)
    if file == "-":
        count = write_records(rows, sys.stdout, fmt)
    else:
        with open(file, "w", encoding="utf-8", newline="") as stream:
            count = write_records(rows, stream, fmt)
    click.echo(f"{count} practices written to {file}", err=file == "-")


@practices_cli.command("publish")
@click.argument("practice_id", type=int)
def publish_practice(practice_id: int) -> None:
    """Publish the submitted practice PRACTICE_ID (it then appears in search)."""
    session = get_session()
    practice = call(services.publish, session, practice_id)
    session.commit()
    click.echo(f"published practice {practice.id}: {practice.title}")


@practices_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any practice exists.")
def seed_demo(if_empty: bool) -> None:
    """Import the bundled demo practices, published and searchable (idempotent); on a
    database without accounts, also demo accounts of every role, whose passwords are printed
    once and written to instance/demo_accounts.txt."""
    session = get_session()
    if if_empty and services.count_practices(session):
        click.echo("practices exist already; demo data not loaded")
        return
    report = call(demo.seed_demo, session)
    accounts = call(demo.seed_demo_accounts, session)
    encoded = embed_pending(session, progress=on_terminal())
    session.commit()
    click.echo(f"demo practices: {report}; {encoded} encoded for search")
    announce_demo_accounts(accounts)
