"""The write side of the vectors: which practices need encoding, and replacing their rows.

A practice's vectors are fresh when they were computed by the configured model from its
current searchable text (same content hash) and their chunk numbers run 0..n-1. Everything
else is stale and is re-encoded, all stale practices of a batch in one encoder call.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from app.search.documents import batches, content_hash, vector_bytes, vector_states
from practices import search_text
from practices.models import Practice, PracticeVector

# embed([(header, body), ...], progress) -> one (n_chunks, dim) array per item.
Embed = Callable[[Sequence[tuple[str, str]], bool], list[np.ndarray]]


def stale_practices(session: Session, practices: Collection[Practice],
                    model: str) -> list[Practice]:
    """Return those of `practices` whose stored vectors are missing, stale or incomplete."""
    stored = vector_states(session, model, [p.id for p in practices])
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


def replace_vectors(session: Session, practices: Sequence[Practice], *, embed: Embed,
                    model: str, progress: bool = False) -> int:
    """Encode `practices` (one batched call) and replace all their vector rows; return chunks.

    Rows of other models are removed too: a practice carries the vectors of one model, the
    configured one. Flushes; never commits.
    """
    if not practices:
        return 0
    texts = [search_text(p) for p in practices]
    vectors = embed([(t.header, t.body) for t in texts], progress)
    ids = [p.id for p in practices]
    for batch in batches(ids):
        stmt = delete(PracticeVector).where(PracticeVector.practice_id.in_(batch))
        session.execute(stmt.execution_options(synchronize_session=False))
    rows = [
        {"practice_id": p.id, "model": model, "chunk_no": n,
         "content_hash": content_hash(text), "vector": vector_bytes(v)}
        for p, text, matrix in zip(practices, texts, vectors, strict=True)
        for n, v in enumerate(matrix)
    ]
    for start in range(0, len(rows), 1000):
        session.execute(insert(PracticeVector), rows[start : start + 1000])
    return len(rows)
