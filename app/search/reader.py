"""The search read path: the live index of this process, kept caught up with every commit,
and the searches the pages and the API make (search, similar practices).

One SearchReader per app and process (app.search.get_search()). The encoder and the index
are loaded on first use, or ahead of time by warm_up_in_background(), never by the app
factory.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from app import background
from app.search import neutralizing
from app.search.changes import latest_seq
from app.search.live import LiveIndex
from app.search.neutralizing import cached_neutralizer, fit_neutralizer
from app.search.results import ResultItem, ResultPage
from app.search.settings import LazyEncoder, SearchSettings
from practices.filters import SearchFilters
from practices.search_text import search_text
from practices.services import get_practices, get_public_practice
from practices.validation import substance_problem
from search_index import pieces
from search_index.model_encoder import ModelEncoder

log = logging.getLogger(__name__)


class SearchReader:
    """Search over the public practices of one database, for one process.

    Args:
        settings: the search configuration (SearchSettings.from_config(app.config)).
        encoder: the process's encoder, loaded on first use (shared with the writer; its own
            lock, so a commit that needs it never waits for an index build).
        new_session: opens a Session on the app's database (for background work).
    """

    def __init__(self, settings: SearchSettings, encoder: LazyEncoder,
                 new_session: Callable[[], Session]) -> None:
        self.settings = settings
        self.encoder = encoder
        self.new_session = new_session
        self._lock = threading.RLock()
        self._live: LiveIndex | None = None
        self._warm_up: threading.Thread | None = None
        # Called with the seconds each search took (app/metrics.py: the latency histogram).
        self.search_observers: list[Callable[[float], None]] = []

    @property
    def loaded(self) -> bool:
        """True once the index of this process has been loaded or built."""
        return self._live is not None

    def live(self, session: Session) -> LiveIndex:
        """Return the live index, loading it (snapshot or database) on first use."""
        if self._live is not None:
            return self._live
        with self._lock:
            if self._live is None:
                encoder = self.encoder.get()
                if isinstance(encoder, ModelEncoder):  # loads each path on first use:
                    encoder.backend("query")  # no search waits for the query path
                neutralizer = cached_neutralizer(self.settings, encoder.model_id)
                live = LiveIndex(self.settings, encoder, neutralizer, self.new_session)
                live.start(session)
                if neutralizer is None and neutralizing.wanted(self.settings) and \
                        not background.stopping():
                    live.neutralize_in_background(
                        lambda: fit_neutralizer(self.settings, encoder))
                self._live = live
            return self._live

    @property
    def language_neutral(self) -> bool:
        """False while the language neutralizer is wanted but not in use by the live index
        (a process that found none prepared searches without it while it is fitted)."""
        if not neutralizing.wanted(self.settings):
            return True
        return self._live is not None and self._live.neutralizer is not None

    def catch_up(self, session: Session) -> LiveIndex:
        """Apply the changes other processes committed; return the live index."""
        live = self.live(session)
        live.catch_up(session)
        return live

    def index_lag(self, session: Session) -> int | None:
        """Catch the index up, then return how many committed changes it still has not
        applied (committed by another process meanwhile); None when it is not loaded.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the database cannot be read.
        """
        if self._live is None:
            return None
        live = self.catch_up(session)
        return max(0, latest_seq(session) - live.cursor.high)

    def catch_up_after_commit(self) -> None:
        """Apply a commit this process just made, if the index is loaded (the writer calls it
        after every commit that recorded changes). Never raises: the commit succeeded, and the
        next search catches up again."""
        if not self.loaded:
            return
        # The committing session cannot run SQL any more: catch up with a fresh one.
        try:
            with self.new_session() as fresh:
                self.catch_up(fresh)
        except Exception:
            log.exception("catching up the search index after a commit failed")

    def search(self, session: Session, *, query: str, filters: SearchFilters,
               page: int = 1, limit: int = 10, order: str = "relevance") -> ResultPage:
        """Return one page of the public practices matching `query` and `filters` (checked
        once, where the request was read: SearchFilters.parse).

        An empty query lists the matching practices newest first; `order` "newest" lists a
        query's results (those above the relevance floor) newest first too.

        Raises:
            ValueError: page < 1 or limit < 1, or an unknown order.
        """
        if page < 1 or limit < 1:
            raise ValueError("page and limit must be at least 1")
        started = time.perf_counter()
        index = self.catch_up(session).index
        result = index.search(query, filters=filters.as_lists(), limit=limit,
                              offset=(page - 1) * limit, order=order)
        found = get_practices(session, [h.id for h in result.hits])
        scored = bool(" ".join(query.split()))
        items = [ResultItem(found[h.id], h.score if scored else None,
                            self._passage(index, h, found[h.id]) if scored else None)
                 for h in result.hits if h.id in found and found[h.id].is_public
                 and not (scored and _nearly_empty(found[h.id]))]
        for observe in self.search_observers:
            observe(time.perf_counter() - started)
        return ResultPage(result.total, page, limit, items, result.facets,
                          language_neutral=self.language_neutral)

    def _passage(self, index, hit, practice) -> str | None:
        """The text of the passage `hit` matched best, when it is not the first one."""
        if hit.passage <= 0:
            return None
        return matched_passage(self.encoder.get(), practice, hit.passage,
                               index.passage_count(hit.id))

    def similar(self, session: Session, practice_id: int, *, limit: int = 5,
                other_languages: bool = False, other_countries: bool = False) -> list[ResultItem]:
        """Return public practices closest in content to a public practice (itself excluded).

        Ranked and scored by search_index SearchIndex.similar (language-balanced, shared
        tags; only those above the relevance floor).

        Args:
            other_languages: only practices in another language (by primary subtag).
            other_countries: only practices from another country.

        Raises:
            NotFound: the practice does not exist or is not public.
        """
        practice = get_public_practice(session, practice_id)
        index = self.catch_up(session).index
        excludes: dict[str, list[str]] = {}
        if other_languages:
            excludes["language"] = [practice.language.split("-")[0]]
        if other_countries and practice.country:
            excludes["country"] = [practice.country]
        if practice_id not in index:
            return []
        hits = index.similar(practice_id, limit=limit, excludes=excludes)
        found = get_practices(session, [h.id for h in hits])
        return [ResultItem(found[h.id], h.score)
                for h in hits if h.id in found and found[h.id].is_public]

    def warm_up_in_background(self) -> None:
        """Load the encoder and the index in a daemon thread (at most once per process)."""
        with self._lock:
            if self._warm_up is not None or self._live is not None or background.stopping():
                return
            self._warm_up = background.start(self._load, "search-warm-up")

    def wait_until_warm(self, timeout: float | None = None) -> None:
        """Block until a warm-up started by warm_up_in_background has ended."""
        if self._warm_up is not None:
            self._warm_up.join(timeout)

    def save_snapshot(self) -> None:
        """Write the live index to SEARCH_INDEX_DIR (nothing when it is not loaded)."""
        if self._live is not None:
            self._live.save()

    def _load(self) -> None:
        try:
            with self.new_session() as session:
                self.live(session)
        except Exception:  # the thread has nobody to raise to; the next search will retry
            if not background.stopping():
                log.exception("warming up the search index failed")


def matched_passage(encoder, practice, position: int, indexed: int) -> str | None:
    """Return the body text of passage `position` of a practice, as search_index.pieces cut
    it for encoding, or None when the practice does not cut into `indexed` passages any more
    (its vectors were made with another chunking: `search-index rebuild --reembed`)."""
    text = search_text(practice)
    found = pieces(encoder, text.header, text.body)
    if len(found) != indexed or not 0 <= position < len(found):
        return None
    return found[position]


def _nearly_empty(practice) -> bool:
    """True for a practice too empty to be submitted today (practices.validation), published
    before that rule: listed, but never a query's result."""
    return substance_problem(practice.summary or "", practice.body or "",
                             html=practice.body_html) is not None
