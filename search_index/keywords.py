"""In-memory BM25 keyword index over integer document ids, updatable one document at a time.

Okapi BM25 as in Robertson & Zaragoza (2009) "The Probabilistic Relevance Framework: BM25 and
Beyond", with k1=1.2, b=0.75 (their usual defaults) and Lucene's always-positive idf
ln(1 + (N - df + 0.5) / (df + 0.5)), so a word found in most documents still counts a little.

Layout, after Lucene's segments: a compact base (CSR postings by term: slot and term frequency
arrays) plus a small delta of postings added since, plus tombstones for replaced or deleted
documents. Scoring reads numpy slices, so a query costs O(postings of its terms). The delta is
merged into the base when it grows, and the base is what a snapshot saves.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

import numpy as np

from .tokens import tokenize

# Merging costs O(all postings), a delta scan costs O(delta) per query term: beyond this many
# delta postings (a few hundred documents) merging is the cheaper of the two.
_DELTA_LIMIT = 65_536


class KeywordIndex:
    """BM25 over documents keyed by int id; `search` returns ids by descending score."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._terms: dict[str, int] = {}
        self._slot_of: dict[int, int] = {}
        self._doc_ids = np.empty(0, np.int64)  # per slot; slots of deleted docs stay until merge
        self._lengths = np.empty(0, np.float32)
        self._alive = np.empty(0, bool)
        self._indptr = np.zeros(1, np.int64)  # base postings, CSR by term id
        self._post_slots = np.empty(0, np.int32)
        self._post_tfs = np.empty(0, np.float32)
        self._delta: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (tids, slots, tfs)
        self._total_length = 0.0

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot_of

    def upsert(self, docs: Iterable[tuple[int, str]]) -> None:
        """Index (or re-index) each (doc_id, text)."""
        batch = dict(docs)  # a document given twice keeps its last text
        for doc_id in batch:
            self._forget(doc_id)
        new_ids, new_lengths = [], []
        for doc_id, text in batch.items():
            counts = Counter(tokenize(text))
            slot = len(self._doc_ids) + len(new_ids)
            tids = np.array(self._term_ids(counts), np.int64)
            tfs = np.fromiter(counts.values(), np.float32, len(counts))
            self._delta.append((tids, np.full(len(tids), slot, np.int32), tfs))
            self._slot_of[doc_id] = slot
            new_ids.append(doc_id)
            new_lengths.append(float(tfs.sum()))
        self._doc_ids = np.concatenate([self._doc_ids, np.asarray(new_ids, np.int64)])
        self._lengths = np.concatenate([self._lengths, np.asarray(new_lengths, np.float32)])
        self._alive = np.concatenate([self._alive, np.ones(len(new_ids), bool)])
        self._total_length += sum(new_lengths)
        self._merge_if_needed()

    def delete(self, doc_ids: Iterable[int]) -> None:
        """Remove the given documents; unknown ids are ignored."""
        for doc_id in doc_ids:
            self._forget(doc_id)
        self._merge_if_needed()

    def search(
        self, query: str, *, allowed_doc_ids: np.ndarray | None = None, limit: int = 100
    ) -> list[tuple[int, float]]:
        """Return up to `limit` (doc_id, BM25 score) with score > 0, best first.

        Args:
            allowed_doc_ids: if given, only these documents may be returned.
        """
        return [(doc_id, score) for doc_id, score, _ in
                self.search_with_coverage(query, allowed_doc_ids=allowed_doc_ids, limit=limit)]

    def search_with_coverage(
        self, query: str, *, allowed_doc_ids: np.ndarray | None = None, limit: int = 100
    ) -> list[tuple[int, float, float]]:
        """As `search`, each hit with its coverage: (doc_id, BM25 score, coverage), best first.

        Coverage (0, 1] is the share of the query's idf that the document matches: the sum of
        the idf of the distinct query terms it contains over that of all distinct query
        terms, a term no text has counting with the idf of a term in no document. Asking for
        "huerto escolar" where no text says "huerto", or for "校园欺凌" (school bullying)
        where no Chinese text is about bullying, a text that only has "escolar" or "校园"
        matches a small part of the question. (A Chinese, Japanese, Korean or Thai query's
        bigram across a word boundary that no text has lowers every text's coverage alike.)
        This plays the part of the coordination factor of Lucene's classic similarity
        (overlap / query terms, org.apache.lucene.search.similarities.ClassicSimilarity.coord),
        weighted by idf so that frequent words count for little.
        """
        if limit <= 0:
            return []
        scores, matched, total = self._scores(set(tokenize(query)))
        slots = np.flatnonzero(scores)
        if allowed_doc_ids is not None:
            slots = slots[np.isin(self._doc_ids[slots], allowed_doc_ids)]
        if len(slots) > limit:
            slots = slots[np.argpartition(-scores[slots], limit - 1)[:limit]]
        ids, best = self._doc_ids[slots], scores[slots]
        coverage = np.minimum(matched[slots] / total, 1.0) if total > 0 else np.ones(len(slots))
        order = np.lexsort((ids, -best))
        return [(int(ids[i]), float(best[i]), float(coverage[i])) for i in order]

    def _scores(self, terms: Collection[str]) -> tuple[np.ndarray, np.ndarray, float]:
        """Return (BM25 score per slot, idf matched per slot, idf of the terms in the index)."""
        scores = np.zeros(len(self._doc_ids), np.float32)
        matched = np.zeros(len(self._doc_ids), np.float32)
        total = 0.0
        n_docs = len(self._slot_of)
        if not n_docs:
            return scores, matched, total
        avg_length = self._total_length / n_docs
        for term in terms:
            slots, tfs = self._postings(term)
            idf = math.log(1.0 + (n_docs - len(slots) + 0.5) / (len(slots) + 0.5))
            if not len(slots):
                total += idf
                continue
            norm = self.k1 * (1.0 - self.b + self.b * self._lengths[slots] / avg_length)
            scores[slots] += idf * tfs * (self.k1 + 1.0) / (tfs + norm)
            matched[slots] += idf
            total += idf
        return scores, matched, total

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the live (slots, tfs) of `term` from base and delta."""
        tid = self._terms.get(term)
        if tid is None:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        parts_s, parts_t = [], []
        if tid + 1 < len(self._indptr):
            start, end = self._indptr[tid], self._indptr[tid + 1]
            parts_s.append(self._post_slots[start:end])
            parts_t.append(self._post_tfs[start:end])
        if self._delta:
            tids, slots, tfs = self._delta_arrays()
            hit = tids == tid
            parts_s.append(slots[hit])
            parts_t.append(tfs[hit])
        slots, tfs = np.concatenate(parts_s), np.concatenate(parts_t)
        live = self._alive[slots]
        return slots[live], tfs[live]

    def _delta_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if len(self._delta) > 1:
            self._delta = [tuple(np.concatenate(a) for a in zip(*self._delta, strict=True))]
        return self._delta[0]

    def _term_ids(self, terms: Iterable[str]) -> list[int]:
        """Return the id of each term, numbering new terms from the vocabulary's end."""
        ids = [self._terms.get(term, -1) for term in terms]
        if -1 in ids:
            for term in terms:
                if term not in self._terms:
                    self._terms[term] = len(self._terms)
            ids = [self._terms[term] for term in terms]
        return ids

    def _forget(self, doc_id: int) -> None:
        slot = self._slot_of.pop(doc_id, None)
        if slot is not None:
            self._alive[slot] = False
            self._total_length -= float(self._lengths[slot])

    def _merge_if_needed(self) -> None:
        delta = sum(len(part[0]) for part in self._delta)
        dead = len(self._doc_ids) - len(self._slot_of)
        if delta > _DELTA_LIMIT or dead > max(256, len(self._slot_of) // 4):
            self._merge()

    def _merge(self) -> None:
        """Fold the delta into the base, drop dead slots and renumber the live ones densely."""
        base_tids = np.repeat(np.arange(len(self._indptr) - 1), np.diff(self._indptr))
        tids, slots, tfs = (
            np.concatenate([base, *(part[i] for part in self._delta)])
            for i, base in enumerate((base_tids, self._post_slots, self._post_tfs))
        )
        live = self._alive[slots]
        renumber = np.cumsum(self._alive, dtype=np.int64) - 1
        tids, slots, tfs = tids[live], renumber[slots[live]].astype(np.int32), tfs[live]
        order = np.lexsort((slots, tids))
        counts = np.bincount(tids, minlength=len(self._terms))
        self._indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._post_slots, self._post_tfs = slots[order], tfs[order]
        self._delta = []
        self._doc_ids = self._doc_ids[self._alive]
        self._lengths = self._lengths[self._alive]
        self._alive = np.ones(len(self._doc_ids), bool)
        self._slot_of = {int(d): s for s, d in enumerate(self._doc_ids.tolist())}

    def state(self) -> dict[str, np.ndarray]:
        """Return the index as plain arrays (for a snapshot; no pickling needed)."""
        self._merge()
        terms = "\n".join(self._terms).encode()  # tokens never contain whitespace
        return {
            "terms": np.frombuffer(terms, np.uint8),
            "indptr": self._indptr,
            "post_slots": self._post_slots,
            "post_tfs": self._post_tfs,
            "doc_ids": self._doc_ids,
            "lengths": self._lengths,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, np.ndarray], k1: float = 1.2,
                   b: float = 0.75) -> KeywordIndex:
        """Rebuild an index from `state()` arrays."""
        index = cls(k1, b)
        text = state["terms"].tobytes().decode()
        index._terms = {t: i for i, t in enumerate(text.split("\n"))} if text else {}
        index._indptr = np.asarray(state["indptr"], np.int64)
        index._post_slots = np.asarray(state["post_slots"], np.int32)
        index._post_tfs = np.asarray(state["post_tfs"], np.float32)
        index._doc_ids = np.asarray(state["doc_ids"], np.int64)
        index._lengths = np.asarray(state["lengths"], np.float32)
        index._alive = np.ones(len(index._doc_ids), bool)
        index._slot_of = {int(d): s for s, d in enumerate(index._doc_ids.tolist())}
        index._total_length = float(index._lengths.sum())
        return index
