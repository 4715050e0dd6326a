"""From practices and their stored vectors (database rows) to search_index Documents.

The database is the source of truth: a Document is assembled from a practice row, its tags and
institution, and the chunk vectors stored in PracticeVector, never by encoding. Only practices
the public may see become Documents.
"""
from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from practices import SearchText, search_text
from practices.filters import facet_values
from practices.models import Practice, PracticeVector
from practices.visibility import visible_clause
from search_index import Document

# Ids per IN (...): far below the bind-parameter limits of SQLite and PostgreSQL.
CHUNK = 500


def content_hash(text: SearchText) -> str:
    """Return the sha256 (hex) of a practice's searchable text: equal hash, equal vectors."""
    blob = f"{text.header}\x1f{text.body}".encode()
    return hashlib.sha256(blob).hexdigest()


def vector_bytes(vector: np.ndarray) -> bytes:
    """Return one chunk vector as stored: float32, little-endian."""
    return np.asarray(vector, "<f4").tobytes()


def sort_key(practice: Practice) -> float:
    """Order of a listing without query: newest publication first (seconds since the epoch)."""
    return (practice.published_at or practice.created_at).timestamp()


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


def public_practices(session: Session, ids: Collection[int] | None = None) -> list[Practice]:
    """Return the practices the public may see (all, or those among `ids`), with tags and
    institution loaded (practices.visibility: public status, institution not suspended)."""
    stmt = (
        select(Practice)
        .where(visible_clause())
        .options(selectinload(Practice.tags), joinedload(Practice.institution))
        .execution_options(populate_existing=True)
        .order_by(Practice.id)
    )
    if ids is None:
        return list(session.scalars(stmt).unique())
    return [p for batch in batches(sorted(ids))
            for p in session.scalars(stmt.where(Practice.id.in_(batch))).unique()]


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


def vector_states(session: Session, model: str,
                  ids: Collection[int]) -> dict[int, tuple[set[str], list[int]]]:
    """Return {practice id: (content hashes, chunk numbers in order)} of `model`'s rows."""
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


def documents(practices: Iterable[Practice], vectors: dict[int, StoredVectors],
              dim: int) -> tuple[list[Document], list[int]]:
    """Return (Documents of the practices that have vectors, ids of those that have none)."""
    docs, missing = [], []
    for practice in practices:
        stored = vectors.get(practice.id)
        if stored is None:
            missing.append(practice.id)
            continue
        docs.append(Document(
            id=practice.id, vectors=stored.matrix(dim), chunk_ids=stored.ids,
            text=search_text(practice).full, facets=facet_values(practice),
            sort_key=sort_key(practice),
        ))
    return docs, missing


def batches(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    """Yield `ids` in slices of at most `size` (for IN (...) queries)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def practices_by_institution(session: Session, institution_ids: Collection[int]) -> set[int]:
    """Return the ids of the practices of the given institutions."""
    found: set[int] = set()
    for batch in batches(sorted(institution_ids)):
        found.update(session.scalars(select(Practice.id).where(Practice.institution_id.in_(batch))))
    return found

