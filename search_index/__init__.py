"""Multilingual hybrid search over integer document ids: a leaf library (no Flask, no SQL).

Typical use by the app:
    index = SearchIndex(encoder, neutralizer=neutralizer)
    vectors = index.embed([(title, text), ...])          # raw vectors, to store in the database
    index.upsert([Document(id, vectors, chunk_ids, text, facets, sort_key), ...])
    result = index.search("harcèlement", filters={"language": ["fr"]}, limit=10)
    index.save(directory, seq=last_change)
    index, meta = SearchIndex.load(directory, encoder, neutralizer=neutralizer)
"""
from .chunking import chunk
from .encoder import Encoder, HashingEncoder
from .engine import FACET_FIELDS, SearchIndex
from .errors import IndexMismatch, SearchIndexError, SnapshotError, UnknownDocument
from .fusion import FusionWeights
from .records import Document, Hit, Neutralizer, SearchResult
from .store import SnapshotMeta, read_meta
from .tokens import tokenize

__all__ = [
    "FACET_FIELDS",
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
    "read_meta",
    "tokenize",
]
