"""From practices and their stored vectors (database rows) to search_index Documents.

The database is the source of truth: a Document is assembled from a practice row, its tags and
institution, and the chunk vectors stored in PracticeVector, never by encoding. Only practices
the public may see become Documents.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.search.vectors import StoredVectors, batches
from practices import search_text
from practices.filters import facet_values
from practices.models import Practice
from practices.visibility import visible_clause
from search_index import Document


def sort_key(practice: Practice) -> float:
    """Order of a listing without query: newest publication first (seconds since the epoch)."""
    return (practice.published_at or practice.created_at).timestamp()


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


def practices_by_institution(session: Session, institution_ids: Collection[int]) -> set[int]:
    """Return the ids of the practices of the given institutions."""
    found: set[int] = set()
    for batch in batches(sorted(institution_ids)):
        found.update(session.scalars(select(Practice.id).where(Practice.institution_id.in_(batch))))
    return found

