"""`flask practices ...`: import, export, publish and seed practices (acting as the system)."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from app.cli.common import Commands, call, job_progress, on_terminal
from app.cli.users import announce_demo_accounts
from app.db import get_session
from app.jobs import JobQueueUnavailable, JobRefused, enqueue, on_a_queue, run_here
from app.search import get_writer
from app.storage import blob_store
from practices import Status, demo, services
from practices.errors import PracticeError
from practices.permissions import SYSTEM
from practices.records import detect_format, write_records
from practices.services import ImportReport

practices_cli = Commands("practices", help="Import, export, publish and seed practices.")

FORMATS = click.Choice(["jsonl", "csv"])
STATUSES = click.Choice([s.value for s in Status])


@practices_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file name's extension.")
@click.option("--publish", is_flag=True, help="Publish the practices (default: submitted).")
@click.option("--background", is_flag=True,
              help="Queue the import as a job (REDIS_URL: `flask jobs worker` runs it) and "
                   "print its id; `flask jobs status ID` follows it.")
def import_practices(file: str, fmt: str | None, publish: bool, background: bool) -> None:
    """Import practices from a JSON Lines or CSV FILE: all of it, or nothing if a line is bad.

    A practice whose external_id is already stored is updated. Every record is checked first,
    then new text is encoded for search in batches, before anything is written (so the
    database stays free for others meanwhile), then everything is written and committed once
    (the job "practices.import" of app/jobs/tasks.py, run here unless --background).
    """
    fmt = fmt or call(detect_format, file)
    if background and not _no_queue():
        with open(file, "rb") as stream:
            content = stream.read()
        info = _queued(lambda: enqueue("practices.import", fmt=fmt, publish=publish,
                                       content=content, source=file, keyed_lines=True))
        click.echo(f"queued job {info.id} ({info.backend}); `flask jobs status {info.id}`")
        return
    with job_progress() as step, _all_or_nothing():
        result = run_here("practices.import", on_progress=step, path=file, fmt=fmt,
                          publish=publish)
    report = ImportReport(result["created"], result["updated"], result["unchanged"])
    click.echo(f"{report}; {result['encoded']} encoded for search")


def _no_queue() -> bool:
    """Without REDIS_URL, --background runs the job here (a thread would die with the
    command); say so."""
    if on_a_queue():
        return False
    click.echo("REDIS_URL is not set: no job queue, so the job runs here", err=True)
    return True


def _queued(enqueue_job):
    try:
        return enqueue_job()
    except JobQueueUnavailable as exc:
        raise click.ClickException(f"the job queue (REDIS_URL) does not answer, nothing was "
                                   f"queued: {exc}") from None


@contextmanager
def _all_or_nothing() -> Iterator[None]:
    """Report every problem of a refused import, one line each, and end the command."""
    try:
        yield
    except JobRefused as exc:
        for problem in exc.errors:
            click.echo(problem, err=True)
        raise click.ClickException(exc.message) from None


@practices_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file name's extension.")
@click.option("--status", type=STATUSES, help="Only practices in this status.")
def export_practices(file: str, fmt: str | None, status: str | None) -> None:
    """Write practices to FILE ("-" for standard output) in the import format. JSON Lines
    records carry their files ("attachments", Base64); CSV cannot, and carries none."""
    fmt = fmt or ("jsonl" if file == "-" else call(detect_format, file))
    files = blob_store() if fmt == "jsonl" else None
    rows = services.export_records(get_session(), actor=SYSTEM, status=status, files=files)
    try:
        if file == "-":
            count = write_records(rows, sys.stdout, fmt)
        else:
            with open(file, "w", encoding="utf-8", newline="") as stream:
                count = write_records(rows, stream, fmt)
    except PracticeError as exc:  # a file's bytes are missing: say which, not a traceback
        raise click.ClickException(f"export stopped: {exc}") from exc
    click.echo(f"{count} practices written to {file}", err=file == "-")
    if files is None:
        click.echo("CSV carries no attached files; export to .jsonl to include them", err=True)


@practices_cli.command("publish")
@click.argument("practice_id", type=int)
def publish_practice(practice_id: int) -> None:
    """Publish the submitted practice PRACTICE_ID (it then appears in search)."""
    session = get_session()
    get_writer().prepare_action(session, practice_id, "publish")
    practice = call(services.publish, session, practice_id, actor=SYSTEM)
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
    records = call(demo.demo_records)
    encoded = get_writer().prepare(session, records.texts(), progress=on_terminal())
    report = call(demo.seed_demo, session, records, actor=SYSTEM)
    accounts = call(demo.seed_demo_accounts, session, actor=SYSTEM)
    session.commit()
    click.echo(f"demo practices: {report}; {encoded} encoded for search")
    announce_demo_accounts(accounts)
