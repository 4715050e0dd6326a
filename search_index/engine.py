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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import store
from .balance import LanguageBalance
from .calibration import Calibration
from .duplicates import whole_vector
from .encoder import Encoder
from .errors import UnknownDocument
from .facets import FacetTable, Filters
from .floor import RelevanceFloor, floor_for
from .fusion import FusionWeights, fuse
from .keywords import KeywordIndex
from .records import Document, Hit, Neutralizer, SearchResult
from .short_queries import ShortQueries, feedback_vector, in_language_rounds
from .tokens import estimate_words
from .vectors import VectorIndex

ORDERS = ("relevance", "newest")  # orders of a query's results (SearchIndex.search)


@dataclass(frozen=True)
class SimilarWeights:
    """How similar practices are ranked (SearchIndex.similar).

    Attributes:
        tags: weight, in z-score units, of the Jaccard overlap of the two practices' tags.
            On the development set (benchmarks/similar_study.py, 151 practices + 400
            unrelated texts, topic P@5): balanced ranking alone .732, + tags x .5 .760, x 1
            .799, x 2 .850; with tags on only half of the practices (x 1) .759. The set's tags
            were assigned by the people who labelled its topics, so they agree with the
            topics more than schools' own tags would: 1 is kept, not the best-scoring 2.
        fields: the facet fields compared (those the index does not have are skipped).
    """

    tags: float = 1.0
    fields: tuple[str, ...] = ("sdg_target", "theme", "emerging_issue")


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
        floor: the evidence a result needs to count (floor.py); "model": the floor calibrated
            for the encoder's model, with or without neutralizer (floor.FLOORS), if any;
            None: none.
        similar: how similar practices are ranked (SimilarWeights).
        short_queries: feedback for short queries and results in rounds by language
            (short_queries.py).
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
        floor: RelevanceFloor | None | str = "model",
        similar: SimilarWeights = SimilarWeights(),  # noqa: B008 - frozen, so sharing is safe
        short_queries: ShortQueries = ShortQueries(),  # noqa: B008 - frozen, so sharing is safe
    ) -> None:
        self.encoder = encoder
        self.short_queries = short_queries
        self.floor = (floor_for(encoder.model_id, neutralizer is not None)
                      if floor == "model" else floor)
        self.similar_weights = similar
        self.neutralizer = neutralizer
        self.candidates = candidates
        self.fusion = fusion
        self._vectors = VectorIndex(encoder.dim)
        self._keywords = KeywordIndex()
        self._facets = FacetTable(facet_fields)
        self._balance = None if balance is None else LanguageBalance(
            encoder.dim, balance, known_languages=getattr(neutralizer, "languages", None))
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
        limit: int = 10, offset: int = 0, order: str = "relevance",
    ) -> SearchResult:
        """Find documents for `query` among those passing `filters` and `excludes`.

        An empty query lists the matching documents by descending sort key (hit scores 0.0).
        Otherwise the dense top `candidates` and the keyword hits are fused (hit scores are
        fused RRF scores). Under a relevance floor (floor.py) only the documents passing it
        are found. A short query is ranked again with pseudo-relevance feedback, and the
        results of every query are listed in rounds by language, so scores need not descend
        (short_queries.py). `total` and the facet counts describe the whole result set.
        `order` "newest" lists the same result set by descending sort key instead.

        Raises:
            ValueError: an unknown facet field, a negative limit or offset, or an unknown
                order.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must be >= 0")
        if order not in ORDERS:
            raise ValueError(f"order is {order!r}; use one of {ORDERS}")
        query = " ".join(query.split())
        if not query:
            return self._listing(filters, excludes, limit, offset)
        vector = self._query_vector(query)
        with self._lock:
            allowed = self._allowed(filters, excludes)
            dense = self._dense(vector, allowed)
            keyword = self._keywords.search_with_coverage(query, allowed_doc_ids=allowed,
                                                          limit=self.candidates)
            words = estimate_words(query)
            feedback_wanted = self.short_queries.wants_feedback(words)
            # The results fed back come in rounds by language, every one of them.
            fused = self._fused(vector, dense, keyword, words, named=not feedback_wanted)
            if fused and feedback_wanted:
                feedback = feedback_vector(vector, [
                    self._vectors.doc_vectors(d)[self._best_passage(d, vector)]
                    for d, _ in fused[:self.short_queries.documents]],
                    self.short_queries.weight)
                fused = self._fused(vector, self._dense(feedback, allowed), keyword, words,
                                    feedback)
            found = np.fromiter((d for d, _ in fused), np.int64, len(fused))
            counts = self._facets.counts(found)
            page = fused[offset : offset + limit]
            if order == "newest":
                score = dict(fused)
                page = [(int(d), score[int(d)]) for d in
                        self._facets.order_by_sort_key(found, offset + limit)[offset:]]
            hits = [Hit(doc_id, score, self._best_passage(doc_id, vector))
                    for doc_id, score in page]
        return SearchResult(len(fused), hits, counts)

    def similar(
        self, doc_id: int, *, limit: int = 10, filters: Filters | None = None,
        excludes: Filters | None = None,
    ) -> list[Hit]:
        """Return documents closest to `doc_id` in content, itself excluded, best first.

        The document's whole text (its mean chunk vector) is the query of the balanced dense
        ranking (hubness penalty and per-language z-scores, as a search), and each of the
        best `candidates` gains `similar_weights.tags` x the Jaccard overlap of their tags
        (SimilarWeights.fields: SDG targets, themes, emerging issues). Scores are those sums;
        under a relevance floor only documents whose best passage's cosine with that mean
        vector reaches floor.cosine count. Without a balance: plain cosine of the best chunk.

        Raises:
            UnknownDocument: `doc_id` is not in the index.
        """
        with self._lock:
            if doc_id not in self._vectors:
                raise UnknownDocument(f"document {doc_id} is not in the search index")
            mean = self._vectors.doc_vectors(doc_id).mean(axis=0)
            mean /= max(float(np.linalg.norm(mean)), 1e-12)
            allowed = self._allowed(filters, excludes)
            if self._balance is None:
                found = self._vectors.search(mean, limit, allowed_doc_ids=allowed,
                                             excluded_doc_ids=np.array([doc_id], np.int64))
                return [Hit(d, score) for d, score in found]
            ranked = [(d, z) for d, z in self._dense(mean, allowed) if d != doc_id]
            ids = np.fromiter((d for d, _ in ranked), np.int64, len(ranked))
            fields = [f for f in self.similar_weights.fields if f in self.facet_fields]
            bonus = self.similar_weights.tags * self._facets.overlap(doc_id, ids, fields)
            scored = sorted(((z + b, d) for (d, z), b in zip(ranked, bonus.tolist(),
                                                              strict=True)),
                            key=lambda p: (-p[0], p[1]))
            if self.floor is not None:
                scored = [(s, d) for s, d in scored
                          if self._best_cosine(d, mean) >= self.floor.cosine]
        return [Hit(d, score) for score, d in scored[:limit]]

    def nearest(self, vectors: np.ndarray, limit: int, *,
                excluded: Iterable[int] = ()) -> list[int]:
        """Return the ids of the `limit` documents closest to a whole text, best first: the
        candidates of a near-copy check (duplicates.py), whatever their language.

        `vectors` are the text's raw chunk vectors (n, dim), as `embed` makes them; their
        normalised mean, neutralised, is the query of the dense ranking (language-balanced
        as a search, unless the index has no balance). `excluded` ids are never returned.
        """
        query = whole_vector(self._neutralize(np.asarray(vectors, np.float32)))
        skip = set(excluded)
        with self._lock:
            ranked = self._dense(query, None)
        return [d for d, _ in ranked if d not in skip][:limit]

    def passage_count(self, doc_id: int) -> int:
        """Number of passages (chunk vectors) the document is indexed with; 0 if unknown."""
        with self._lock:
            return len(self._vectors.doc_vectors(doc_id)) if doc_id in self._vectors else 0

    def _best_cosine(self, doc_id: int, vector: np.ndarray) -> float:
        """Cosine of `vector` with the document's best passage (neutralised vectors)."""
        return float((self._vectors.doc_vectors(doc_id) @ vector).max())

    def _best_passage(self, doc_id: int, vector: np.ndarray) -> int:
        """Position (chunk order) of the document's passage closest to `vector`."""
        rows = self._vectors.doc_vectors(doc_id)
        return int(np.argmax(rows @ vector)) if len(rows) > 1 else 0

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
        floor: RelevanceFloor | None | str = "model",
        similar: SimilarWeights = SimilarWeights(),  # noqa: B008 - frozen, so sharing is safe
        short_queries: ShortQueries = ShortQueries(),  # noqa: B008 - frozen, so sharing is safe
    ) -> tuple[SearchIndex, store.SnapshotMeta]:
        """Read a snapshot written by `save`; the other arguments are the constructor's.

        Raises:
            IndexMismatch: the snapshot's model, dimension or neutralizer differ.
            SnapshotError: no snapshot, a damaged or partial one, or other facet fields.
        """
        index = cls(encoder, neutralizer=neutralizer, facet_fields=facet_fields,
                    candidates=candidates, fusion=fusion, balance=balance, floor=floor,
                    similar=similar, short_queries=short_queries)
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

    def _fused(self, vector: np.ndarray, dense: list[tuple[int, float]],
               keyword: list[tuple[int, float, float]], words: float,
               feedback: np.ndarray | None = None, named: bool = True,
               ) -> list[tuple[int, float]]:
        """The fused ranking of a query's dense and keyword hits, [(id, fused score)]: those
        passing the floor (with the feedback vector's evidence, when given), in rounds by
        language (short_queries.py); with `named`, when few texts hold every word of the
        query, they keep their ranks (ShortQueries.named_at_most)."""
        fused = fuse([d for d, _ in dense], [d for d, _, _ in keyword], words, self.fusion,
                     [c for _, _, c in keyword])
        coverage = {d: c for d, _, c in keyword}
        if self.floor is not None:
            fused = [(d, score) for d, score in fused if self.floor.passes(
                self._best_cosine(d, vector), coverage.get(d),
                None if feedback is None else self._best_cosine(d, feedback))]
        if self._balance is None or self.short_queries.language_rounds <= 0:
            return fused
        groups = self._balance.groups(self._vectors, [d for d, _ in fused])
        whole = [coverage.get(d, 0.0) >= 1.0 for d, _ in fused]
        if not named or not self.short_queries.names(sum(whole), len(self)):
            whole = []
        return [fused[i] for i in in_language_rounds(groups.tolist(),
                                                     self.short_queries.language_rounds, whole)]

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

