"""Search over practices: the composition of practices and search_index for the app.

The pages and the API use:
    get_search().search(session, query=..., filters=SearchFilters, page=1, limit=10)
        -> ResultPage     (filters: practices.filters, parsed once where the request is read)
    get_search().similar(session, practice_id, limit=5, other_languages=True) -> [ResultItem]
The CLI uses embed_pending() before its commit, and get_search().rebuild/verify/info.

Design (write path, change sequence, snapshots): see sync.py, changes.py and live.py.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.search import sync
from app.search.components import SearchSettings
from app.search.documents import batches
from app.search.maintenance import RebuildReport, VerifyReport
from app.search.results import ResultItem, ResultPage
from app.search.service import PracticeSearch
from practices.models import Practice

__all__ = [
    "PracticeSearch",
    "RebuildReport",
    "ResultItem",
    "ResultPage",
    "VerifyReport",
    "embed_pending",
    "get_search",
    "init_app",
    "warm_up_in_background",
]

_KEY = "practice_search"


def init_app(app: Flask) -> None:
    """Install the commit hooks on the app's sessions and warm search up on the first request.

    Nothing heavy happens here: the PracticeSearch (encoder, index) is made on first use.
    """
    sync.install(app.extensions["db_sessionmaker"], lambda: _search_of(app))
    if app.config["SEARCH_WARM_UP"]:
        app.before_request(warm_up_in_background)


def get_search() -> PracticeSearch:
    """Return the current app's PracticeSearch (one per app and process, made on first use)."""
    return _search_of(current_app._get_current_object())


def warm_up_in_background() -> None:
    """Start loading the encoder and the index in a daemon thread, once per process.

    Called before every request (it returns at once after the first), so the model is ready
    by the time a visitor types a query.
    """
    get_search().warm_up_in_background()


def embed_pending(session: Session, practices: Iterable[Practice] | None = None,
                  progress: bool = True) -> int:
    """Encode, in one batch, the practices whose vectors are stale; return how many.

    `practices` defaults to every practice the session has added or changed since its last
    commit. Call it before a bulk commit (CLI import) to get one progress bar and one encoder
    batch; the commit hook then finds nothing left to encode. Flushes; never commits.
    """
    session.flush()
    record = sync.touched(session)
    if practices is None:
        ids = sorted(record.practices)
        chosen = [p for batch in batches(ids)
                  for p in session.scalars(select(Practice).where(Practice.id.in_(batch)))]
    else:
        chosen = list(practices)
        record.practices.update(p.id for p in chosen)
    return get_search().refresh_vectors(session, chosen, progress=progress)


def _search_of(app: Flask) -> PracticeSearch:
    search = app.extensions.get(_KEY)
    if search is None:
        search = app.extensions.setdefault(_KEY, PracticeSearch(
            SearchSettings.from_config(app.config), app.extensions["db_sessionmaker"]))
    return search
