"""PracticeSearch: searching practices, "similar practices", and encoding new content.

One instance per app and process (get_search()). The encoder and the index are loaded on first
use, or ahead of time by warm_up_in_background(), never by the app factory.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Sequence

import numpy as np
from sqlalchemy.orm import Session

from app.search import maintenance, neutralizing
from app.search.components import SearchSettings, make_encoder
from app.search.embedding import replace_vectors, stale_practices
from app.search.live import LiveIndex
from app.search.neutralizing import cached_neutralizer, fit_neutralizer
from app.search.results import ResultItem, ResultPage
from practices.filters import SearchFilters
from practices.models import Practice
from practices.services import get_practices, get_public_practice
from search_index import Encoder, embed

log = logging.getLogger(__name__)


class PracticeSearch:
    """Search over the public practices of one database, for one process.

    Args:
        settings: the search configuration (SearchSettings.from_config(app.config)).
        new_session: opens a Session on the app's database (for background work).
    """

    def __init__(self, settings: SearchSettings, new_session: Callable[[], Session]) -> None:
        self.settings = settings
        self.new_session = new_session
        # Separate locks: a commit that needs the encoder must not wait for an index build.
        self._lock = threading.RLock()
        self._encoder_lock = threading.Lock()
        self._encoder: Encoder | None = None
        self._live: LiveIndex | None = None
        self._warm_up: threading.Thread | None = None

    @property
    def encoder(self) -> Encoder:
        """The encoder, loaded on first use (seconds for the real model)."""
        with self._encoder_lock:
            if self._encoder is None:
                self._encoder = make_encoder(self.settings)
            return self._encoder

    @property
    def model_id(self) -> str:
        """Id of the configured model, as stored with the vectors; known without loading it."""
        if self.settings.encoder == "sentence-transformers" and self._encoder is None:
            return self.settings.model_id
        return self.encoder.model_id

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
                encoder = self.encoder
                neutralizer = cached_neutralizer(self.settings, encoder.model_id)
                live = LiveIndex(self.settings, encoder, neutralizer, self.new_session)
                live.start(session)
                if neutralizer is None and neutralizing.wanted(self.settings):
                    live.neutralize_in_background(
                        lambda: fit_neutralizer(self.settings, encoder))
                self._live = live
            return self._live

    @property
    def neutralizer_missing(self) -> bool:
        """True when the neutralizer is wanted but not fitted for this model yet (known
        without loading the model)."""
        return neutralizing.wanted(self.settings) and \
            cached_neutralizer(self.settings, self.model_id) is None

    def prepare_neutralizer(self) -> None:
        """Fit and cache the language neutralizer now if it is wanted and not fitted yet
        (minutes with the real model); for the CLI, before it loads the index."""
        fit_neutralizer(self.settings, self.encoder)

    def catch_up(self, session: Session) -> LiveIndex:
        """Apply the changes other processes committed; return the live index."""
        live = self.live(session)
        live.catch_up(session)
        return live

    def search(self, session: Session, *, query: str, filters: SearchFilters,
               page: int = 1, limit: int = 10) -> ResultPage:
        """Return one page of the public practices matching `query` and `filters` (checked
        once, where the request was read: SearchFilters.parse).

        An empty query lists the matching practices newest first.

        Raises:
            ValueError: page < 1 or limit < 1.
        """
        if page < 1 or limit < 1:
            raise ValueError("page and limit must be at least 1")
        index = self.catch_up(session).index
        result = index.search(query, filters=filters.as_lists(), limit=limit,
                              offset=(page - 1) * limit)
        found = get_practices(session, [h.id for h in result.hits])
        scored = bool(" ".join(query.split()))
        items = [ResultItem(found[h.id], h.score if scored else None)
                 for h in result.hits if h.id in found and found[h.id].is_public]
        return ResultPage(result.total, page, limit, items, result.facets)

    def similar(self, session: Session, practice_id: int, *, limit: int = 5,
                other_languages: bool = False, other_countries: bool = False) -> list[ResultItem]:
        """Return public practices closest in content to a public practice (itself excluded).

        Scores are cosine similarities (of the neutralised vectors) of the best chunk.

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

    def refresh_vectors(self, session: Session, practices: Collection[Practice], *,
                        progress: bool = False) -> int:
        """Encode the practices whose stored vectors are stale (one batch); return how many."""
        stale = stale_practices(session, practices, self.model_id)
        self.encode(session, stale, progress=progress)
        return len(stale)

    def encode(self, session: Session, practices: Sequence[Practice], *,
               progress: bool = False) -> int:
        """Encode `practices` in one batch and replace their vector rows; return the chunks."""
        if not practices:
            return 0
        return replace_vectors(session, practices, embed=self._embed,
                               model=self.encoder.model_id, progress=progress)

    def warm_up_in_background(self) -> None:
        """Load the encoder and the index in a daemon thread (at most once per process)."""
        with self._lock:
            if self._warm_up is not None or self._live is not None:
                return
            self._warm_up = threading.Thread(target=self._load, name="search-warm-up",
                                             daemon=True)
            self._warm_up.start()

    def wait_until_warm(self, timeout: float | None = None) -> None:
        """Block until a warm-up started by warm_up_in_background has ended."""
        if self._warm_up is not None:
            self._warm_up.join(timeout)

    def rebuild(self, session: Session, *, reembed: bool = False,
                progress: bool = False) -> maintenance.RebuildReport:
        """Re-encode stale practices if asked, build a new index from the database and swap it
        in; see maintenance.rebuild."""
        return maintenance.rebuild(self, session, reembed=reembed, progress=progress)

    def verify(self, session: Session, *, repair: bool = False) -> maintenance.VerifyReport:
        """Compare the database with the index; see maintenance.verify."""
        return maintenance.verify(self, session, repair=repair)

    def save_snapshot(self) -> None:
        """Write the live index to SEARCH_INDEX_DIR (nothing when it is not loaded)."""
        if self._live is not None:
            self._live.save()

    def info(self) -> dict[str, object]:
        """Describe the index of this process; see maintenance.info."""
        return maintenance.info(self)

    def _embed(self, items: Sequence[tuple[str, str]], progress: bool) -> list[np.ndarray]:
        return embed(self.encoder, items, progress=progress)

    def _load(self) -> None:
        try:
            with self.new_session() as session:
                self.live(session)
        except Exception:  # the thread has nobody to raise to; the next search will retry
            log.exception("warming up the search index failed")
