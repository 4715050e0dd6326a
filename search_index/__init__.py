"""Multilingual hybrid search over integer document ids: a leaf library (no Flask, no SQL).

Typical use by the app:
    vectors = embed(encoder, [(title, text), ...])       # raw vectors, to store in the database
    index = SearchIndex(encoder, facet_fields=("theme", "language"), neutralizer=neutralizer)
    index.upsert([Document(id, vectors, chunk_ids, text, facets, sort_key), ...])
    result = index.search("harcèlement", filters={"language": ["fr"]}, limit=10)
    index.save(directory, seq=last_change)
    index, meta = SearchIndex.load(directory, encoder, facet_fields=..., neutralizer=...)

The library knows no practice field: the application names the facet fields. `language`, when
it is one, holds BCP 47 tags (prefix matching, and the dense ranking balances languages).
"""
from .chunking import chunk, pieces
from .embedding import embed
from .encoder import Encoder, HashingEncoder
from .engine import ORDERS, SearchIndex, SimilarWeights
from .errors import IndexMismatch, SearchIndexError, SnapshotError, UnknownDocument
from .fusion import FusionWeights
from .records import Document, Hit, Neutralizer, SearchResult
from .store import SnapshotMeta, read_meta
from .tokens import tokenize

__all__ = [
    "ORDERS",
    "SimilarWeights",
    "pieces",
    "Document",
    "Encoder",
    "FusionWeights",
    "HashingEncoder",
    "Hit",
    "IndexMismatch",
    "Neutralizer",
    "SearchIndex",
    "SearchIndexError",
    "SearchResult",
    "SnapshotError",
    "SnapshotMeta",
    "UnknownDocument",
    "chunk",
    "embed",
    "read_meta",
    "tokenize",
]
