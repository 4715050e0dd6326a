"""SearchIndex: hybrid multilingual search with pre-ranking filters and facet counts.

Three in-memory parts share document ids: a dense VectorIndex (neutralised chunk vectors), a BM25
KeywordIndex and a FacetTable. Filters select documents first; the dense top candidates and the
keyword hits among them are fused by weighted RRF (fusion.py). The dense ranking balances
languages (balance.py: hubness penalty and per-language score calibration) unless switched off.
The database keeps the raw vectors, so this object is a cache that any process can rebuild
without re-encoding.

Thread safety: one lock guards every read and write. Query encoding, the only slow step
(~18 ms with e5-small), happens outside it.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from . import store
from .balance import LanguageBalance
from .calibration import Calibration
from .encoder import Encoder
from .errors import UnknownDocument
from .facets import FacetTable, Filters
from .fusion import FusionWeights, fuse
from .keywords import KeywordIndex
from .records import Document, Hit, Neutralizer, SearchResult
from .tokens import estimate_words
from .vectors import VectorIndex


class SearchIndex:
    """Multilingual hybrid index over integer document ids.

    Args:
        encoder: embeds queries (documents are embedded by `embed`, outside the index).
        facet_fields: the filterable fields, as the application names them. The field
            `language`, when given, holds BCP 47 tags: it matches by prefix and is the one
            the dense ranking balances.
        neutralizer: applied to every document vector entering the index and to every query
            vector; None searches raw vectors.
        candidates: how many best dense documents, and at most how many keyword hits, enter
            the fusion; the result set never holds more than twice this.
        fusion: weights of the rank fusion.
        query_cache_size: queries whose vectors are kept (pagination asks again).
        balance: how the dense ranking puts languages on an equal footing (documents' facet
            `language`); None ranks by plain cosine.
    """

    def __init__(
        self,
        encoder: Encoder,
        *,
        facet_fields: Sequence[str],
        neutralizer: Neutralizer | None = None,
        candidates: int = 100,
        fusion: FusionWeights = FusionWeights(),  # noqa: B008 - frozen, so sharing is safe
        query_cache_size: int = 256,
        balance: Calibration | None = Calibration(),  # noqa: B008 - frozen, so sharing is safe
    ) -> None:
        self.encoder = encoder
        self.neutralizer = neutralizer
        self.candidates = candidates
        self.fusion = fusion
        self._vectors = VectorIndex(encoder.dim)
        self._keywords = KeywordIndex()
        self._facets = FacetTable(facet_fields)
        self._balance = None if balance is None else LanguageBalance(encoder.dim, balance)
        self._lock = threading.RLock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size

    @property
    def facet_fields(self) -> tuple[str, ...]:
        """The filterable fields."""
        return self._facets.fields

    @property
    def chunk_count(self) -> int:
        """Number of chunk vectors in the dense index."""
        with self._lock:
            return self._vectors.chunk_count

    def __len__(self) -> int:
        with self._lock:
            return len(self._facets)

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            return doc_id in self._facets

    def ids(self) -> list[int]:
        """Return the ids of all indexed documents, ascending."""
        with self._lock:
            return sorted(self._facets.ids().tolist())

    def upsert(self, docs: Iterable[Document]) -> None:
        """Add or replace documents (all of them, or none if one is malformed).

        Raises:
            ValueError: vectors of the wrong shape, no chunk, an unknown facet field, or a
                chunk id that belongs to another document.
        """
        docs = list({doc.id: doc for doc in docs}.values())
        for doc in docs:
            self._check(doc)
        if not docs:
            return
        stored = self._neutralize(np.concatenate([doc.vectors for doc in docs]))
        parts = np.split(stored, np.cumsum([len(doc.chunk_ids) for doc in docs])[:-1])
        with self._lock:
            self._vectors.upsert(
                (doc.id, doc.chunk_ids, vectors) for doc, vectors in zip(docs, parts, strict=True)
            )
            self._keywords.upsert((doc.id, doc.text) for doc in docs)
            if self._balance is not None:
                self._balance.upsert((doc.id, doc.facets.get("language", ()), vectors)
                                     for doc, vectors in zip(docs, parts, strict=True))
            for doc in docs:
                self._facets.upsert(doc.id, doc.facets, doc.sort_key)

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        ids = list(ids)
        with self._lock:
            self._vectors.delete(ids)
            self._keywords.delete(ids)
            self._facets.delete(ids)
            if self._balance is not None:
                self._balance.delete(ids)

    def search(
        self, query: str, *, filters: Filters | None = None, excludes: Filters | None = None,
        limit: int = 10, offset: int = 0,
    ) -> SearchResult:
        """Find documents for `query` among those passing `filters` and `excludes`.

        An empty query lists the matching documents by descending sort key (hit scores 0.0).
        Otherwise the dense top `candidates` and the keyword hits are fused (hit scores are
        fused RRF scores). `total` and the facet counts describe the whole result set.

        Raises:
            ValueError: an unknown facet field, or a negative limit or offset.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must be >= 0")
        query = " ".join(query.split())
        if not query:
            return self._listing(filters, excludes, limit, offset)
        vector = self._query_vector(query)
        with self._lock:
            allowed = self._allowed(filters, excludes)
            dense = self._dense(vector, allowed)
            keyword = self._keywords.search_with_coverage(query, allowed_doc_ids=allowed,
                                                          limit=self.candidates)
            fused = fuse([d for d, _ in dense], [d for d, _, _ in keyword],
                         estimate_words(query), self.fusion, [c for _, _, c in keyword])
            counts = self._facets.counts(np.fromiter((d for d, _ in fused), np.int64, len(fused)))
        hits = [Hit(doc_id, score) for doc_id, score in fused[offset : offset + limit]]
        return SearchResult(len(fused), hits, counts)

    def similar(
        self, doc_id: int, *, limit: int = 10, filters: Filters | None = None,
        excludes: Filters | None = None,
    ) -> list[Hit]:
        """Return documents closest to `doc_id` (by its mean chunk vector), itself excluded.

        Scores are cosine similarities of the best chunk.

        Raises:
            UnknownDocument: `doc_id` is not in the index.
        """
        with self._lock:
            if doc_id not in self._vectors:
                raise UnknownDocument(f"document {doc_id} is not in the search index")
            mean = self._vectors.doc_vectors(doc_id).mean(axis=0)
            mean /= max(float(np.linalg.norm(mean)), 1e-12)
            allowed = self._allowed(filters, excludes)
            found = self._vectors.search(mean, limit, allowed_doc_ids=allowed,
                                         excluded_doc_ids=np.array([doc_id], np.int64))
        return [Hit(d, score) for d, score in found]

    def save(self, directory: str | Path, *, seq: object = None) -> store.SnapshotMeta:
        """Write a snapshot to `directory` (see store.py); `seq` is kept as given (JSON)."""
        with self._lock:
            return store.write_snapshot(
                Path(directory), vectors=self._vectors, keywords=self._keywords,
                facets=self._facets, model=self.encoder.model_id,
                neutralizer=_fingerprint(self.neutralizer), seq=seq,
                balance=None if self._balance is None else self._balance.state(),
            )

    @classmethod
    def load(
        cls, directory: str | Path, encoder: Encoder, *, facet_fields: Sequence[str],
        neutralizer: Neutralizer | None = None, candidates: int = 100,
        fusion: FusionWeights = FusionWeights(),  # noqa: B008 - frozen, so sharing is safe
        balance: Calibration | None = Calibration(),  # noqa: B008 - frozen, so sharing is safe
    ) -> tuple[SearchIndex, store.SnapshotMeta]:
        """Read a snapshot written by `save`; the other arguments are the constructor's.

        Raises:
            IndexMismatch: the snapshot's model, dimension or neutralizer differ.
            SnapshotError: no snapshot, a damaged or partial one, or other facet fields.
        """
        index = cls(encoder, neutralizer=neutralizer, facet_fields=facet_fields,
                    candidates=candidates, fusion=fusion, balance=balance)
        vectors, keywords, facets, meta = store.read_snapshot(
            Path(directory), model=encoder.model_id, dim=encoder.dim,
            neutralizer=_fingerprint(neutralizer), facet_fields=index.facet_fields,
        )
        index._vectors, index._keywords, index._facets = vectors, keywords, facets
        if index._balance is not None:
            fields = index.facet_fields
            index._balance.load(vectors, facets.values("language") if "language" in fields else {},
                                store.read_balance(Path(directory), meta))
        return index, meta

    def _dense(self, vector: np.ndarray, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        if self._balance is None:
            return self._vectors.search(vector, self.candidates, allowed_doc_ids=allowed)
        return self._balance.search(self._vectors, vector, self.candidates, allowed)

    def _listing(self, filters: Filters | None, excludes: Filters | None, limit: int,
                 offset: int) -> SearchResult:
        with self._lock:
            ids = self._facets.match(filters, excludes)
            page = self._facets.order_by_sort_key(ids, offset + limit)[offset:]
            counts = self._facets.counts(ids)
        return SearchResult(len(ids), [Hit(int(d), 0.0) for d in page], counts)

    def _allowed(self, filters: Filters | None, excludes: Filters | None) -> np.ndarray | None:
        """Return the ids passing the filters, or None when nothing is filtered."""
        if not any((filters or {}).values()) and not any((excludes or {}).values()):
            return None
        return self._facets.match(filters, excludes)

    def _query_vector(self, query: str) -> np.ndarray:
        with self._lock:
            if query in self._query_cache:
                self._query_cache.move_to_end(query)
                return self._query_cache[query]
        vector = self._neutralize(self.encoder.encode_queries([query]))[0]
        with self._lock:
            self._query_cache[query] = vector
            while len(self._query_cache) > self._query_cache_size:
                self._query_cache.popitem(last=False)
        return vector

    def _neutralize(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, np.float32)
        if self.neutralizer is None:
            return vectors
        return np.asarray(self.neutralizer.transform(vectors), np.float32)

    def _check(self, doc: Document) -> None:
        shape = np.shape(doc.vectors)
        if not len(doc.chunk_ids) or shape != (len(doc.chunk_ids), self.encoder.dim):
            raise ValueError(
                f"document {doc.id}: {len(doc.chunk_ids)} chunk ids need vectors of shape "
                f"({len(doc.chunk_ids)}, {self.encoder.dim}), got {shape}"
            )
        unknown = set(doc.facets) - set(self.facet_fields)
        if unknown:
            raise ValueError(f"document {doc.id}: unknown facet fields {sorted(unknown)}")


def _fingerprint(neutralizer: Neutralizer | None) -> str | None:
    return None if neutralizer is None else neutralizer.fingerprint

