"""Values passed into and out of the search index, and the neutralizer it accepts."""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Neutralizer(Protocol):
    """Removes the language component from embeddings (see DESIGN.md, language neutrality).

    Attributes:
        fingerprint: identifies the fitted transform; recorded with index snapshots, since
            vectors transformed by another fit must not be mixed.

    A neutralizer may also name the languages it was fitted on (`languages`, BCP 47 tags, as
    neutral.LanguageNeutralizer does); the dense ranking then calibrates the others apart
    (calibration.py, unknown_shrinkage).
    """

    fingerprint: str

    def transform(self, vectors: np.ndarray) -> np.ndarray:
        """Map (n, dim) float32 vectors to (n, dim) float32 vectors, rows L2-normalised."""
        ...


@dataclass(frozen=True)
class Document:
    """One searchable document (a practice) as the index stores it.

    Attributes:
        id: the document's id (the practice's primary key).
        vectors: (n_chunks, dim) float32 raw encoder output, one row per chunk, as stored in
            the database; the index applies its neutralizer itself.
        chunk_ids: the id of each chunk's vector (the FAISS id), unique across documents.
        text: the full searchable text (title, summary, body), for keyword search.
        facets: filter values by field, e.g. {"theme": ["esd"], "language": ["fr"]}.
        sort_key: orders documents when there is no query (e.g. publication time, seconds).
    """

    id: int
    vectors: np.ndarray
    chunk_ids: Sequence[int]
    text: str
    facets: Mapping[str, Collection[str]] = field(default_factory=dict)
    sort_key: float = 0.0


@dataclass(frozen=True)
class Hit:
    """A found document: its id and score (higher is better; the scale depends on the call).

    `passage`: for a query's results, the position (chunk order, from 0) of the document's
    passage closest to the query, so the page can show why it matched; 0 otherwise.
    """

    id: int
    score: float
    passage: int = 0


@dataclass(frozen=True)
class SearchResult:
    """One page of results.

    Attributes:
        total: how many documents the whole result set holds (for pagination).
        hits: this page, best first.
        facets: {field: {value: number of documents of the result set with that value}}.
    """

    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
