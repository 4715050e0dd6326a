"""The chunk vectors stored with each practice (PracticeVector rows): reading them, telling
which practices' vectors are stale, and writing new ones.

A practice's vectors are fresh when they were computed by the configured model from its
current searchable text (same content hash) and their chunk numbers run 0..n-1. Everything
else is stale and is encoded again (by app.search.writer).
"""
from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from practices import SearchText, search_text
from practices.models import Practice, PracticeVector

# Ids per IN (...): far below the bind-parameter limits of SQLite and PostgreSQL.
CHUNK = 500


def content_hash(text: SearchText) -> str:
    """Return the sha256 (hex) of a practice's searchable text: equal hash, equal vectors."""
    blob = f"{text.header}\x1f{text.body}".encode()
    return hashlib.sha256(blob).hexdigest()


def batches(ids: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """Yield `ids` in slices of at most `size` (for IN (...) queries)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass
class StoredVectors:
    """The chunk vectors a practice has in the database for one model."""

    ids: list[int]
    chunk_nos: list[int]
    hashes: set[str]
    vectors: list[bytes]

    def matrix(self, dim: int) -> np.ndarray:
        """Return the vectors as a (n_chunks, dim) float32 array in chunk order."""
        return np.frombuffer(b"".join(self.vectors), "<f4").reshape(-1, dim).astype(np.float32)


def stored_vectors(session: Session, model: str,
                   ids: Collection[int] | None = None) -> dict[int, StoredVectors]:
    """Return {practice id: its stored vectors of `model`} (all practices, or those of `ids`)."""
    columns = (PracticeVector.practice_id, PracticeVector.id, PracticeVector.chunk_no,
               PracticeVector.content_hash, PracticeVector.vector)
    stmt = (select(*columns).where(PracticeVector.model == model)
            .order_by(PracticeVector.practice_id, PracticeVector.chunk_no))
    rows = (session.execute(stmt) if ids is None else
            (r for batch in batches(sorted(ids))
             for r in session.execute(stmt.where(PracticeVector.practice_id.in_(batch)))))
    found: dict[int, StoredVectors] = {}
    for practice_id, row_id, chunk_no, digest, blob in rows:
        entry = found.setdefault(practice_id, StoredVectors([], [], set(), []))
        entry.ids.append(row_id)
        entry.chunk_nos.append(chunk_no)
        entry.hashes.add(digest)
        entry.vectors.append(blob)
    return found


def vectors_of_texts(session: Session, model: str,
                     hashes: Collection[str]) -> dict[str, np.ndarray]:
    """Return {content hash: (n_chunks, dim) vectors} stored for these texts by any practice
    (a text already encoded, e.g. an unchanged import or a copy, is never encoded again)."""
    stmt = (select(PracticeVector.content_hash, PracticeVector.practice_id,
                   PracticeVector.chunk_no, PracticeVector.vector)
            .where(PracticeVector.model == model)
            .order_by(PracticeVector.practice_id, PracticeVector.chunk_no))
    rows: dict[tuple[str, int], list[tuple[int, bytes]]] = {}
    for batch in batches(sorted(hashes)):
        for digest, practice_id, chunk_no, blob in session.execute(
                stmt.where(PracticeVector.content_hash.in_(batch))):
            rows.setdefault((digest, practice_id), []).append((chunk_no, blob))
    found: dict[str, np.ndarray] = {}
    for (digest, _), chunks in rows.items():
        if digest not in found and [n for n, _ in chunks] == list(range(len(chunks))):
            dim = len(chunks[0][1]) // 4  # float32 per row
            blob = b"".join(vector for _, vector in chunks)
            found[digest] = np.frombuffer(blob, "<f4").reshape(-1, dim).astype(np.float32)
    return found


def stale_practices(session: Session, practices: Collection[Practice],
                    model: str) -> list[Practice]:
    """Return those of `practices` whose stored vectors are missing, stale or incomplete."""
    stored = _vector_states(session, model, [p.id for p in practices])
    stale = []
    for practice in practices:
        hashes, chunk_nos = stored.get(practice.id, (set(), []))
        fresh = (
            hashes == {content_hash(search_text(practice))}
            and chunk_nos == list(range(len(chunk_nos)))
        )
        if not fresh:
            stale.append(practice)
    return stale


def _vector_states(session: Session, model: str,
                   ids: Collection[int]) -> dict[int, tuple[set[str], list[int]]]:
    stmt = (select(PracticeVector.practice_id, PracticeVector.content_hash,
                   PracticeVector.chunk_no)
            .where(PracticeVector.model == model).order_by(PracticeVector.chunk_no))
    found: dict[int, tuple[set[str], list[int]]] = {}
    for batch in batches(sorted(ids)):
        for practice_id, digest, chunk_no in session.execute(
                stmt.where(PracticeVector.practice_id.in_(batch))):
            hashes, chunk_nos = found.setdefault(practice_id, (set(), []))
            hashes.add(digest)
            chunk_nos.append(chunk_no)
    return found


def write_vectors(session: Session, model: str,
                  vectors: Mapping[int, tuple[str, np.ndarray]]) -> int:
    """Replace every vector row of the given practices: {practice id: (content hash,
    (n_chunks, dim) vectors)}; return the rows written.

    Rows of other models go too: a practice carries the vectors of one model, the configured
    one. Executes at once (no flush needed); never commits.
    """
    ids = sorted(vectors)
    for batch in batches(ids):
        stmt = delete(PracticeVector).where(PracticeVector.practice_id.in_(batch))
        session.execute(stmt.execution_options(synchronize_session=False))
    rows = [
        {"practice_id": practice_id, "model": model, "chunk_no": n, "content_hash": digest,
         "vector": np.asarray(v, "<f4").tobytes()}
        for practice_id in ids
        for digest, matrix in [vectors[practice_id]]
        for n, v in enumerate(matrix)
    ]
    for start in range(0, len(rows), 1000):
        session.execute(insert(PracticeVector), rows[start : start + 1000])
    return len(rows)
