"""What every command group shares: domain and search set-up errors as one "Error: ..." line,
and progress bars that only appear on a terminal."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask.cli import AppGroup
from tqdm import tqdm

from practices.errors import PracticeError
from search_index import SearchIndexError


class Commands(AppGroup):
    """A command group whose search set-up problems (no model folder, a model of another id)
    end as one "Error: ..." line telling the operator what to do, not as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SearchIndexError as exc:
            raise click.ClickException(str(exc)) from exc



def call(function: Callable, *args, **kwargs):
    """Run a domain function; its errors become a one-line command error."""
    try:
        return function(*args, **kwargs)
    except PracticeError as exc:
        raise click.ClickException(str(exc)) from exc



def on_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress(desc: str) -> Iterator[Callable[[int, int], None]]:
    """Yield an on_progress(done, total) callback drawing a tqdm bar on a terminal."""
    with tqdm(desc=desc, unit="practice", disable=not on_terminal()) as bar:
        def step(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield step


@contextmanager
def job_progress(unit: str = "practice") -> Iterator[Callable[[dict], None]]:
    """Yield an on_progress(update) callback for app.jobs.run_here: one tqdm bar per stage of
    the job ("encoding", "writing"), drawn on a terminal only."""
    bars: dict[str, tqdm] = {}
    try:
        def step(update: dict) -> None:
            stage, total = update.get("stage") or "working", update.get("total")
            if stage == "done" or total is None:
                return
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(desc=stage, unit=unit, total=total,
                                         disable=not on_terminal())
            bar.total = total
            bar.update(update.get("done", 0) - bar.n)

        yield step
    finally:
        for bar in bars.values():
            bar.close()
