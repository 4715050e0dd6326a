"""Background threads of a web process (search warm-up, neutralizer fit, index rebuild) that
end before the interpreter does.

A process that exited while one of them ran inside ONNX Runtime, torch or faiss aborted with
"terminate called without an active exception" (SIGABRT, exit 134): the interpreter's
finalisation ran the libraries' C++ destructors under a thread still inside them. So at exit
(atexit, which runs before finalisation) `stopping()` turns true, work that can stop between
steps stops there (the neutralizer fit, between batches of texts: `check()` raises
`Stopped`), and every thread started here is joined. Nothing is written after the stop:
snapshots and the neutralizer are written whole (temporary file, then rename) by a thread
that is joined, never killed.

A process nobody else handles SIGTERM for (the dev server, a command, a script; gunicorn
installs its own handlers in the master and the workers after the app is made) gets one
that exits normally through the same path: with code 0 (a server or a script), or 143 for
a command interrupted before it finished (its transaction rolled back, nothing written).
"""
from __future__ import annotations

import atexit
import concurrent.futures.thread  # noqa: F401  (its exit hook must be registered before ours)
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable

from flask import Flask

log = logging.getLogger(__name__)

JOIN_SECONDS = 120
"""How long exit waits for each thread (loading the real model takes seconds; a thread stuck
longer than this is abandoned with os._exit, skipping the finalisation that would abort)."""

_stopping = threading.Event()
_threads: list[threading.Thread] = []
_guard = threading.Lock()


class Stopped(Exception):
    """Raised by check() in a background thread when the process is exiting."""


def init_app(_app: Flask) -> None:
    """Stop background work at exit, and exit normally (0) on SIGTERM where nobody else
    handles it (only the main thread may install a handler)."""
    with _guard:
        if getattr(init_app, "done", False):
            return
        init_app.done = True
        # Before the interpreter's own thread shutdown, where concurrent.futures stops its
        # pools (a model loading in a thread of ours uses one): threading's exit hooks run
        # first, newest first (the hook concurrent.futures uses; plain atexit where absent).
        getattr(threading, "_register_atexit", atexit.register)(_stop_all)
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _sigterm)


def start(target: Callable[[], None], name: str) -> threading.Thread:
    """Start `target` in a daemon thread that the process waits for at exit; return it.

    Raises:
        Stopped: the process is exiting (no new work starts then).
    """
    with _guard:
        check()
        _threads[:] = [t for t in _threads if t.is_alive()]
        thread = threading.Thread(target=target, name=name, daemon=True)
        _threads.append(thread)
        thread.start()
    return thread


def stopping() -> bool:
    """True once the process has begun to exit."""
    return _stopping.is_set()


def check() -> None:
    """Raise Stopped when the process is exiting (call between steps of long work).

    Raises:
        Stopped: the process is exiting.
    """
    if _stopping.is_set():
        raise Stopped("the process is exiting")


def _stop_all() -> None:
    with _guard:
        _stopping.set()  # from here on start() starts nothing
    for thread in list(_threads):
        if thread.is_alive():
            log.info("waiting for %s to stop before exiting", thread.name)
            thread.join(JOIN_SECONDS)
    stuck = [t.name for t in _threads if t.is_alive()]
    if stuck:
        # Finalising now would abort; leave as the exit was meant to (stdio flushed).
        log.warning("leaving without finalisation: %s still running", ", ".join(stuck))
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _sigterm(_signum, _frame) -> None:
    # Raised in the main thread: `finally` blocks run, then the threads above are joined.
    # A server (`flask run`) or a script stopped on purpose exits 0; a command stopped
    # half-way (an import: rolled back) says it did not finish, as a shell does (128 + 15).
    import click

    context = click.get_current_context(silent=True)
    command = context.command.name if context is not None else None
    raise SystemExit(0 if command in (None, "run") else 128 + signal.SIGTERM)
