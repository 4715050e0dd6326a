"""`flask search-index ...`: prepare, rebuild, verify and describe the search index."""
from __future__ import annotations

import json
from collections.abc import Iterator

import click

from app.cli.common import Commands, on_terminal
from app.db import get_session
from app.jobs import JobQueueUnavailable, enqueue, on_a_queue
from app.search import get_maintenance

index_cli = Commands("search-index", help="Rebuild, check and describe the search index.")


@index_cli.command("rebuild")
@click.option("--reembed", is_flag=True,
              help="First encode practices whose vectors are stale or of another model.")
@click.option("--background", is_flag=True,
              help="Queue it as a job (`flask jobs status ID` follows it).")
def rebuild_index(reembed: bool, background: bool) -> None:
    """Build the index anew from the stored vectors; running processes follow."""
    if background and _queue("search.rebuild", reembed=reembed):
        return
    session = get_session()
    search = _prepared_search()
    report = search.rebuild(session, reembed=reembed, progress=on_terminal())
    session.commit()
    search.save_snapshot()
    click.echo(f"indexed {report.indexed} practices ({report.chunks} chunks) in "
               f"{report.seconds:.1f} s; {report.reembedded} re-encoded")
    if report.missing:
        click.echo(f"{len(report.missing)} public practices have no vectors of this model: "
                   "run `flask search-index rebuild --reembed`", err=True)


@index_cli.command("prepare")
@click.option("--background", is_flag=True,
              help="Queue it as a job (`flask jobs status ID` follows it).")
def prepare_index(background: bool) -> None:
    """Fit the language neutralizer if this model has none yet (minutes, once per model).

    Quick when it is there: the model is not loaded. `make run` calls it before serving, so
    the first searches are already language-neutral.
    """
    if background and _queue("search.prepare"):
        return
    search = _prepared_search()
    click.echo("the language neutralizer is ready" if search.settings.neutralizer
               else "the language neutralizer is switched off (SEARCH_NEUTRALIZER)")


def _queue(name: str, **params) -> bool:
    """Queue the job `name` (app/jobs/tasks.py) and print its id; without REDIS_URL say that
    it runs here instead (a thread would die with the command) and return False."""
    if not on_a_queue():
        click.echo("REDIS_URL is not set: no job queue, so the job runs here", err=True)
        return False
    try:
        info = enqueue(name, **params)
    except JobQueueUnavailable as exc:
        raise click.ClickException(f"the job queue (REDIS_URL) does not answer, nothing was "
                                   f"queued: {exc}") from None
    click.echo(f"queued job {info.id} ({info.backend}); `flask jobs status {info.id}`")
    return True


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
    """Return the search maintenance with the language neutralizer fitted (once per model)."""
    search = get_maintenance()
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
