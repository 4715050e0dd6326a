"""Operator work on the search index: prepare (fit the neutralizer), rebuild, verify (and
repair), info.

Used by `flask search-index ...`. Like the domain services, these methods flush and never
commit; the command commits once, then may save the snapshot.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.search import neutralizing
from app.search.documents import public_practices
from app.search.live import RESET_ALL
from app.search.reader import SearchReader
from app.search.settings import LazyEncoder, SearchSettings
from app.search.vectors import stale_practices
from app.search.writer import SearchWriter
from practices import search_text
from practices.models import Practice, PracticeVector, SearchChange
from search_index import SnapshotError, chunk, read_meta


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild did: practices re-encoded, documents and chunks indexed, public
    practices left out for lack of vectors, and the wall time in seconds."""

    reembedded: int
    indexed: int
    chunks: int
    missing: list[int]
    seconds: float


@dataclass
class VerifyReport:
    """Differences between the database and the index of this process.

    Attributes:
        public: public practices in the database; indexed: documents in the index.
        missing_from_index / extra_in_index: public practices not indexed / indexed ids
            that are not public practices.
        missing_vectors: practices without vectors of the configured model.
        stale_vectors: practices whose vectors come from other text (hash) or whose chunk
            rows are not the chunks of their current text.
        other_model_rows: stored vectors of other models (replaced on re-encoding).
        db_chunks / index_chunks: chunk vectors of public practices, stored / indexed.
        repaired: a repair ran; the other fields describe the state after it.
    """

    public: int = 0
    indexed: int = 0
    missing_from_index: list[int] = field(default_factory=list)
    extra_in_index: list[int] = field(default_factory=list)
    missing_vectors: list[int] = field(default_factory=list)
    stale_vectors: list[int] = field(default_factory=list)
    other_model_rows: int = 0
    db_chunks: int = 0
    index_chunks: int = 0
    repaired: bool = False

    @property
    def ok(self) -> bool:
        """True when the index and the stored vectors match the database exactly."""
        return not (self.missing_from_index or self.extra_in_index or self.missing_vectors
                    or self.stale_vectors or self.db_chunks != self.index_chunks)


class SearchMaintenance:
    """Rebuild, verify and describe the search index of this process and the stored vectors.

    Args:
        settings, encoder: as the reader's and the writer's.
        reader: whose live index is rebuilt, verified and described.
        writer: which encodes stale vectors.
    """

    def __init__(self, settings: SearchSettings, encoder: LazyEncoder, reader: SearchReader,
                 writer: SearchWriter) -> None:
        self.settings = settings
        self.encoder = encoder
        self.reader = reader
        self.writer = writer

    @property
    def neutralizer_missing(self) -> bool:
        """True when the neutralizer is wanted but not fitted for this model yet (known
        without loading the model)."""
        return neutralizing.wanted(self.settings) and \
            neutralizing.cached_neutralizer(self.settings, self.encoder.model_id) is None

    def prepare_neutralizer(self) -> None:
        """Fit and cache the language neutralizer now if it is wanted and not fitted yet
        (minutes with the real model); for the CLI, before it loads the index."""
        neutralizing.fit_neutralizer(self.settings, self.encoder.get())

    def rebuild(self, session: Session, *, reembed: bool = False,
                progress: bool = False) -> RebuildReport:
        """Build a new index from the database and swap it in; tell other processes to do so.

        With `reembed`, practices whose vectors are stale or of another model are encoded
        first. A SearchChange with practice id RESET_ALL makes every other process rebuild
        from the stored vectors on its next request. That is also what makes it safe to
        delete change rows older than SEARCH_CHANGES_KEEP_DAYS here: a process whose cursor
        is older than the deleted rows meets the RESET_ALL row and rebuilds from the
        database. Flushes; the caller commits, then may save_snapshot().
        """
        started = time.perf_counter()
        self.prepare_neutralizer()
        live = self.reader.live(session)
        reembedded = 0
        if reembed:
            everything = list(session.scalars(select(Practice).order_by(Practice.id)))
            reembedded = self.writer.refresh(session, everything, progress=progress)
        _forget_old_changes(session, self.settings.keep_changes_days)
        session.add(SearchChange(practice_id=RESET_ALL))
        session.flush()
        index, cursor, missing = live.build(session)
        live.swap(index, cursor, missing)
        return RebuildReport(reembedded, len(index), index.chunk_count, missing,
                             time.perf_counter() - started)

    def verify(self, session: Session, *, repair: bool = False) -> VerifyReport:
        """Compare public practices, stored vectors and the index of this process.

        With `repair`, re-encodes the practices with missing or stale vectors and rebuilds
        (see `rebuild`), then reports the state after the repair. Flushes; the caller commits.
        """
        self.prepare_neutralizer()
        self.reader.catch_up(session)
        report = self._compare(session)
        if repair and not report.ok:
            broken = set(report.missing_vectors) | set(report.stale_vectors)
            practices = [p for p in session.scalars(select(Practice)) if p.id in broken]
            self.writer.reencode(session, practices)
            self.rebuild(session)
            report = self._compare(session)
            report.repaired = True
        return report

    def save_snapshot(self) -> None:
        """Write this process's live index to SEARCH_INDEX_DIR (nothing when not loaded)."""
        self.reader.save_snapshot()

    def info(self) -> dict[str, object]:
        """Describe the index of this process: model, dim, documents, chunks, snapshot age in
        seconds (None without snapshot), whether this process started from the snapshot, last
        change applied, gaps waited for, neutralizer fingerprint, public practices without
        vectors."""
        with self.reader.new_session() as session:
            live = self.reader.catch_up(session)
            changes = session.scalar(select(func.count()).select_from(SearchChange))
        try:
            meta = read_meta(self.settings.index_dir)
        except SnapshotError:
            meta = None
        age = None
        if meta is not None:
            age = (datetime.now(UTC) - datetime.fromisoformat(meta.built_at)).total_seconds()
        neutralizer = live.neutralizer.fingerprint if live.neutralizer is not None else None
        return {
            "model": live.encoder.model_id, "dim": live.encoder.dim,
            "documents": len(live.index), "chunks": live.index.chunk_count,
            "snapshot_age_seconds": age, "started_from_snapshot": live.snapshot_loaded,
            "last_seq": live.cursor.high, "waiting_for_seqs": len(live.cursor.gaps),
            "changes_recorded": changes, "neutralizer": neutralizer,
            "neutralizer_pending": live.neutralizer_pending,
            "without_vectors": len(live.missing),
        }

    def _compare(self, session: Session) -> VerifyReport:
        live = self.reader.live(session)
        model = self.encoder.model_id
        rows = session.execute(select(PracticeVector.practice_id, PracticeVector.model,
                                      PracticeVector.content_hash, PracticeVector.chunk_no))
        mine: dict[int, list[tuple[str, int]]] = {}
        other_rows = 0
        for practice_id, row_model, digest, chunk_no in rows:
            if row_model == model:
                mine.setdefault(practice_id, []).append((digest, chunk_no))
            else:
                other_rows += 1
        practices = list(session.scalars(select(Practice).order_by(Practice.id)))
        public = {p.id for p in public_practices(session)}
        indexed = set(live.index.ids())
        without = {p.id for p in practices if p.id not in mine}
        stale = {p.id for p in stale_practices(session, practices, model)}
        stale |= {p.id for p in practices if p.id in mine and len(mine[p.id]) != self._chunks(p)}
        return VerifyReport(
            public=len(public), indexed=len(indexed),
            missing_from_index=sorted(public - indexed), extra_in_index=sorted(indexed - public),
            missing_vectors=sorted(without), stale_vectors=sorted(stale - without),
            other_model_rows=other_rows,
            db_chunks=sum(len(mine.get(i, ())) for i in public),
            index_chunks=live.index.chunk_count,
        )

    def _chunks(self, practice: Practice) -> int:
        text = search_text(practice)
        return len(chunk(self.encoder.get(), text.header, text.body))


def _forget_old_changes(session: Session, days: float) -> None:
    horizon = datetime.now(UTC) - timedelta(days=days)
    # The newest row stays: SQLite would otherwise hand out its number again.
    newest = select(func.max(SearchChange.seq)).scalar_subquery()
    session.execute(delete(SearchChange).where(SearchChange.changed_at < horizon,
                                               SearchChange.seq < newest))
