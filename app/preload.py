"""Loading search in a server's master process, so that forked workers share it.

gunicorn.conf.py (preload_app) calls `warm_before_fork` once in the master, after the app is
made and before any worker is forked, and `after_fork` in each worker. Measured (make bench,
10,000 practices): a worker forked from a warm master keeps a few tens of MB of its own
instead of loading its own encoder and index, and answers its first search at once.

Forking is safe only while the master runs no other thread that takes locks the workers need
(a lock held by a thread that the child does not inherit stays locked forever there; the known
torch/OpenMP and faiss hangs): the encoder runs ONNX Runtime with one thread (no pool), faiss
one OpenMP thread, torch is never imported, and the warm-up runs in the calling thread, not in
the background thread a first request would start. (Importing onnxruntime starts one idle
native thread that sessions with one intra-op thread never use; forked workers encode
normally, tests/web/test_gunicorn_preload.py and benchmarks/bench_workers.py.)
"""
from __future__ import annotations

import gc
import logging
import threading

from flask import Flask

from app.db import get_session

log = logging.getLogger(__name__)


class NotPrepared(RuntimeError):
    """The language neutralizer is wanted but not fitted for this model: a server would
    search degraded (results leaning towards the query's language) for minutes."""


def require_prepared(app: Flask) -> None:
    """Refuse to serve without the prepared language neutralizer (when SEARCH_NEUTRALIZER is
    on). Cheap: the model is not loaded.

    Raises:
        NotPrepared: with the command that fixes it, for the operator.
    """
    from app.search import get_maintenance

    with app.app_context():
        if get_maintenance().neutralizer_missing:
            raise NotPrepared(
                "the language neutralizer is not prepared for this model: run `flask --app "
                "wsgi search-index prepare` once (minutes), then start the server again "
                "(or set FLASK_SEARCH_NEUTRALIZER=false to search without it)")


def warm_worker(app: Flask) -> None:
    """Load the encoder and the index in this thread (a worker that loads its own, before
    it accepts its first connection: gunicorn's post_worker_init)."""
    from app.search import get_search

    require_prepared(app)
    with app.app_context():
        get_search().live(get_session())


def warm_before_fork(app: Flask) -> None:
    """Load the encoder, read the neutralizer and load the index, in this thread; then
    close the database connections and freeze the objects made so far.

    Raises:
        NotPrepared: the neutralizer is wanted and not fitted (the master never fits it: a
            fit takes minutes and runs the model in threads).

    gc.freeze() moves every object to a generation the collector never visits, so collections
    in a worker do not write to (and so copy) the pages shared with the master.
    """
    from app.search import get_search

    require_prepared(app)
    with app.app_context():
        get_search().live(get_session())
    app.extensions["db_engine"].dispose()
    others = [t.name for t in threading.enumerate() if t is not threading.current_thread()]
    if others:
        log.warning("threads running before fork (%s): forked workers may hang", others)
    gc.freeze()


def after_fork(app: Flask) -> None:
    """In a new worker: drop the database connections inherited from the master (they must
    never be shared by two processes) without closing them under the master's feet."""
    app.extensions["db_engine"].dispose(close=False)
