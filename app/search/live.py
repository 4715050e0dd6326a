"""The in-memory index of one process, kept in step with the database through the change sequence.

Startup: read the on-disk snapshot when it was built with the configured model and neutralizer,
else build from the vectors stored in the database (no encoding), then catch up. Every search
first catches up (one cheap SELECT max(seq) when nothing changed). A full rebuild makes a new
SearchIndex beside the live one and swaps it in; searches keep using the old one meanwhile.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection

from sqlalchemy.orm import Session

from app import background
from app.search.changes import ChangeCursor, latest_seq, read_changes, start_cursor
from app.search.documents import documents, public_practices
from app.search.settings import SearchSettings, file_lock
from app.search.vectors import stored_vectors
from practices.filters import FILTERS
from search_index import Encoder, Neutralizer, SearchIndex, SearchIndexError

log = logging.getLogger(__name__)

RESET_ALL = 0
"""A SearchChange with this practice id (no practice has it) tells every process to rebuild
its index from the stored vectors (written by `flask search-index rebuild`)."""

# A snapshot is rewritten after a start that had to apply more changes than this.
RESAVE_AFTER = 200


class LiveIndex:
    """The current SearchIndex of the process and its place in the change sequence.

    Args:
        settings: the search configuration.
        encoder: the loaded encoder; neutralizer: its neutralizer or None.
        new_session: opens a Session on the app's database (for background work).
    """

    def __init__(self, settings: SearchSettings, encoder: Encoder,
                 neutralizer: Neutralizer | None, new_session: Callable[[], Session]) -> None:
        self.settings = settings
        self.encoder = encoder
        self.neutralizer = neutralizer
        self._new_session = new_session
        self._lock = threading.RLock()  # one catch-up, swap or snapshot at a time
        self.index: SearchIndex
        self.cursor: ChangeCursor
        self.missing: list[int] = []  # public practices without vectors of this model
        self.snapshot_loaded = False
        self._rebuilding: threading.Thread | None = None
        self._neutralizing: threading.Thread | None = None

    def start(self, session: Session) -> None:
        """Load the snapshot (or build from the database), then catch up."""
        with self._lock:
            if not self._load_snapshot():
                self.swap(*self.build(session))
                self.save()
            applied = self.catch_up(session)
            if applied > RESAVE_AFTER:
                self.save()

    def build(self, session: Session, neutralizer: Neutralizer | None = None
              ) -> tuple[SearchIndex, ChangeCursor, list[int]]:
        """Build a new index from the database's public practices and stored vectors.

        Args:
            neutralizer: the one to build with; default: the live one.

        Returns (index, cursor, ids of public practices lacking vectors of this model).
        """
        cursor = start_cursor(session, self.settings.gap_seconds)
        index = self._empty(neutralizer or self.neutralizer)
        practices = public_practices(session)
        vectors = stored_vectors(session, self.encoder.model_id)
        docs, missing = documents(practices, vectors, self.encoder.dim)
        index.upsert(docs)
        if missing:
            log.warning("%d public practices have no vectors of %s: run `flask search-index "
                        "rebuild --reembed`", len(missing), self.encoder.model_id)
        return index, cursor, missing

    def swap(self, index: SearchIndex, cursor: ChangeCursor, missing: list[int]) -> None:
        """Make `index` (built up to `cursor`) the live one, unless it was built with another
        neutralizer than the live one (a rebuild that started before the neutralizer
        changed): its vectors and the queries would then be transformed differently."""
        with self._lock:
            if index.neutralizer is not self.neutralizer:
                log.info("dropping an index built with a neutralizer no longer in use")
                return
            self.index, self.cursor, self.missing = index, cursor, missing

    def neutralize_in_background(self, fit: Callable[[], Neutralizer | None]) -> None:
        """Fit the neutralizer in a thread (`fit()`), then swap in an index built with it."""
        self._neutralizing = background.start(lambda: self._adopt(fit), "search-neutralizer")

    @property
    def neutralizer_pending(self) -> bool:
        """True while a background fit of the neutralizer runs."""
        return self._neutralizing is not None and self._neutralizing.is_alive()

    def catch_up(self, session: Session) -> int:
        """Apply the changes committed since the cursor; return how many practices changed.

        When nothing changed this costs one SELECT max(seq), taken without waiting for
        another thread's catch-up.
        """
        cursor = self.cursor
        if not cursor.gaps and latest_seq(session) == cursor.high:
            return 0
        with self._lock:
            found = read_changes(session, self.cursor)
            if found is None:  # the database was restored or reset
                log.warning("the change sequence went backwards: rebuilding the search index")
                self.swap(*self.build(session))
                return len(self.index)
            ids, cursor = found
            if RESET_ALL in ids:
                ids.discard(RESET_ALL)
                self.rebuild_in_background()
            try:
                self.apply(session, ids)
            except ValueError:  # vectors that do not fit the index: start from the database
                log.exception("applying changes failed: rebuilding the search index")
                self.swap(*self.build(session))
                return len(self.index)
            self.cursor = cursor
            return len(ids)

    def apply(self, session: Session, ids: Collection[int]) -> None:
        """Re-read the given practices and upsert the public ones, delete the others."""
        if not ids:
            return
        practices = public_practices(session, ids)
        vectors = stored_vectors(session, self.encoder.model_id, [p.id for p in practices])
        docs, missing = documents(practices, vectors, self.encoder.dim)
        kept = {d.id for d in docs}
        with self._lock:
            self.index.delete([i for i in ids if i not in kept])
            self.index.upsert(docs)
            self.missing = sorted((set(self.missing) - set(ids)) | set(missing))

    def rebuild_in_background(self) -> None:
        """Build a new index from the database in a thread and swap it in when ready."""
        with self._lock:
            if self._rebuilding is not None and self._rebuilding.is_alive() or \
                    background.stopping():
                return
            self._rebuilding = background.start(self._rebuild, "search-index-rebuild")

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Block until the background rebuild and neutralizer fit (if running) have ended."""
        for thread in (self._neutralizing, self._rebuilding):
            if thread is not None:
                thread.join(timeout)

    def save(self) -> None:
        """Write the snapshot of the live index (one writer across processes at a time)."""
        directory = self.settings.index_dir
        with self._lock, file_lock(directory):
            self.index.save(directory, seq={"database": self.settings.database_key,
                                            **self.cursor.to_json()})

    def _rebuild(self) -> None:
        try:
            with self._new_session() as session:
                self.swap(*self.build(session))
        except Exception:  # a thread has nobody to raise to: log, keep the old index
            log.exception("background rebuild of the search index failed")

    def _adopt(self, fit: Callable[[], Neutralizer | None]) -> None:
        try:
            neutralizer = fit()
            if neutralizer is None:
                return
            with self._new_session() as session:
                built = self.build(session, neutralizer)
            background.check()  # exiting: do not start writing a snapshot
            with self._lock:
                self.neutralizer = neutralizer
                self.swap(*built)
                self.save()
        except background.Stopped:
            log.info("the process is exiting: the language neutralizer was not fitted")
        except Exception:  # a thread has nobody to raise to: log, keep searching without it
            log.exception("fitting the language neutralizer failed")

    def _load_snapshot(self) -> bool:
        try:
            index, meta = SearchIndex.load(
                self.settings.index_dir, self.encoder, neutralizer=self.neutralizer,
                facet_fields=tuple(FILTERS), candidates=self.settings.candidates)
            if not isinstance(meta.seq, dict) or \
                    meta.seq.get("database") != self.settings.database_key:
                raise ValueError("it was made from another database")
            cursor = ChangeCursor.from_json(meta.seq, self.settings.gap_seconds)
        except (SearchIndexError, ValueError) as exc:
            log.info("not using the search index snapshot: %s", exc)
            return False
        self.swap(index, cursor, [])
        self.snapshot_loaded = True
        return True

    def _empty(self, neutralizer: Neutralizer | None) -> SearchIndex:
        # The search filters (the curation status among them) are the index's facets; a
        # snapshot made with other facet fields is refused on load and rebuilt.
        return SearchIndex(self.encoder, neutralizer=neutralizer, facet_fields=tuple(FILTERS),
                           candidates=self.settings.candidates)
