"""Operator commands: `flask db ...`, `flask practices ...`, `flask search-index ...`.

Commands translate the command line and call the same services as the pages and the API; each
commits once. Problems are reported as "Error: ..." on stderr with exit code 1; progress bars
go to stderr and only appear on a terminal.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from tqdm import tqdm

import practices
from app import migrate
from app.cli_users import announce_demo_accounts, users_cli
from app.db import get_session
from app.search import embed_pending, get_search
from practices.errors import PracticeError
from search_index import SearchIndexError


class _Commands(AppGroup):
    """A command group whose search set-up problems (no model folder, a model of another id)
    end as one "Error: ..." line telling the operator what to do, not as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SearchIndexError as exc:
            raise click.ClickException(str(exc)) from exc


db_cli = AppGroup("db", help="Manage the database schema.")
practices_cli = _Commands("practices", help="Import, export, publish and seed practices.")
index_cli = _Commands("search-index", help="Rebuild, check and describe the search index.")

FORMATS = click.Choice(["jsonl", "csv"])
STATUSES = click.Choice([s.value for s in practices.Status])


def init_app(app: Flask) -> None:
    """Register the command groups with the app's `flask` command."""
    for group in (db_cli, practices_cli, index_cli, users_cli):
        app.cli.add_command(group)


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision.")
def db_upgrade(revision: str) -> None:
    """Migrate the database at DATABASE_URL to the newest schema."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database is at {migrate.current(current_app.config['DATABASE_URL'])}")


@practices_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file name's extension.")
@click.option("--publish", is_flag=True, help="Publish the practices (default: submitted).")
def import_practices(file: str, fmt: str | None, publish: bool) -> None:
    """Import practices from a JSON Lines or CSV FILE: all of it, or nothing if a line is bad.

    A practice whose external_id is already stored is updated. New or changed practices are
    encoded for search in one batch before the single commit.
    """
    fmt = fmt or _call(practices.detect_format, file)
    session = get_session()
    with open(file, "rb") as stream, _progress("importing") as step:
        items = practices.read_records(stream, fmt)
        try:
            report = practices.import_records(session, items, publish=publish, on_progress=step)
        except practices.ImportFailed as exc:
            for problem in exc.record_errors:
                click.echo(str(problem), err=True)
            count = len(exc.record_errors)
            raise click.ClickException(f"nothing imported: {count} problem(s)") from None
    encoded = embed_pending(session, progress=_on_terminal())
    session.commit()
    click.echo(f"{report}; {encoded} encoded for search")


@practices_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=FORMATS, help="Default: from the file name's extension.")
@click.option("--status", type=STATUSES, help="Only practices in this status.")
def export_practices(file: str, fmt: str | None, status: str | None) -> None:
    """Write practices to FILE ("-" for standard output) in the import format."""
    fmt = fmt or ("jsonl" if file == "-" else _call(practices.detect_format, file))
    records = practices.export_records(get_session(), status=status)
    if file == "-":
        count = practices.write_records(records, sys.stdout, fmt)
    else:
        with open(file, "w", encoding="utf-8", newline="") as stream:
            count = practices.write_records(records, stream, fmt)
    click.echo(f"{count} practices written to {file}", err=file == "-")


@practices_cli.command("publish")
@click.argument("practice_id", type=int)
def publish_practice(practice_id: int) -> None:
    """Publish the submitted practice PRACTICE_ID (it then appears in search)."""
    session = get_session()
    practice = _call(practices.publish, session, practice_id)
    session.commit()
    click.echo(f"published practice {practice.id}: {practice.title}")


@practices_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any practice exists.")
def seed_demo(if_empty: bool) -> None:
    """Import the bundled demo practices, published and searchable (idempotent); on a
    database without accounts, also demo accounts of every role, whose passwords are printed
    once and written to instance/demo_accounts.txt."""
    session = get_session()
    if if_empty and practices.count_practices(session):
        click.echo("practices exist already; demo data not loaded")
        return
    report = _call(practices.seed_demo, session)
    accounts = _call(practices.seed_demo_accounts, session)
    encoded = embed_pending(session, progress=_on_terminal())
    session.commit()
    click.echo(f"demo practices: {report}; {encoded} encoded for search")
    announce_demo_accounts(accounts)


@index_cli.command("rebuild")
@click.option("--reembed", is_flag=True,
              help="First encode practices whose vectors are stale or of another model.")
def rebuild_index(reembed: bool) -> None:
    """Build the index anew from the stored vectors; running processes follow."""
    session = get_session()
    search = _prepared_search()
    report = search.rebuild(session, reembed=reembed, progress=_on_terminal())
    session.commit()
    search.save_snapshot()
    click.echo(f"indexed {report.indexed} practices ({report.chunks} chunks) in "
               f"{report.seconds:.1f} s; {report.reembedded} re-encoded")
    if report.missing:
        click.echo(f"{len(report.missing)} public practices have no vectors of this model: "
                   "run `flask search-index rebuild --reembed`", err=True)


@index_cli.command("prepare")
def prepare_index() -> None:
    """Fit the language neutralizer if this model has none yet (minutes, once per model).

    Quick when it is there: the model is not loaded. `make run` calls it before serving, so
    the first searches are already language-neutral.
    """
    search = _prepared_search()
    click.echo("the language neutralizer is ready" if search.settings.neutralizer
               else "the language neutralizer is switched off (SEARCH_NEUTRALIZER)")


@index_cli.command("verify")
@click.option("--repair", is_flag=True, help="Re-encode stale vectors and rebuild.")
def verify_index(repair: bool) -> None:
    """Compare the index and the stored vectors with the database; exit 1 on differences."""
    session = get_session()
    search = _prepared_search()
    report = search.verify(session, repair=repair)
    session.commit()
    if report.repaired:
        search.save_snapshot()
    for line in _describe(report):
        click.echo(line)
    if not report.ok:
        raise click.ClickException("the search index differs from the database"
                                   + ("" if repair else "; run with --repair"))


@index_cli.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def index_info(as_json: bool) -> None:
    """Describe the index: model, dimension, documents, chunks, snapshot, change sequence."""
    info = _prepared_search().info()
    if as_json:
        click.echo(json.dumps(info))
        return
    for key, value in info.items():
        click.echo(f"{key}: {value}")


def _prepared_search():
    """Return the PracticeSearch with its language neutralizer fitted (once per model)."""
    search = get_search()
    if search.neutralizer_missing:
        click.echo("fitting the language neutralizer, once per model (minutes with the real "
                   "model)...", err=True)
        search.prepare_neutralizer()
    return search


def _describe(report) -> Iterator[str]:
    yield f"public practices: {report.public}; indexed: {report.indexed}"
    yield f"chunk vectors: {report.db_chunks} stored, {report.index_chunks} indexed"
    for label, ids in (("not in the index", report.missing_from_index),
                       ("in the index but not public", report.extra_in_index),
                       ("without vectors", report.missing_vectors),
                       ("with stale vectors", report.stale_vectors)):
        if ids:
            shown = ", ".join(map(str, ids[:20])) + (" ..." if len(ids) > 20 else "")
            yield f"{len(ids)} practices {label}: {shown}"
    if report.repaired:
        yield "repaired"
    yield "OK" if report.ok else "DIFFERENCES FOUND"


def _call(function: Callable, *args):
    """Run a domain function; its errors become a one-line command error."""
    try:
        return function(*args)
    except PracticeError as exc:
        raise click.ClickException(str(exc)) from exc


def _on_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def _progress(desc: str) -> Iterator[Callable[[int, int], None]]:
    """Yield an on_progress(done, total) callback drawing a tqdm bar on a terminal."""
    with tqdm(desc=desc, unit="practice", disable=not _on_terminal()) as bar:
        def step(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield step
