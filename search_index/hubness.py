"""Cross-language hubness of documents, kept up to date as documents come and go.

In high-dimensional nearest-neighbour search some points, "hubs", are close to very many
others and turn up in result lists they have no business in (Radovanovic, Nanopoulos &
Ivanovic, JMLR 2010, "Hubs in Space"). Cross-lingual retrieval corrects for it by subtracting
each side's mean similarity to its k nearest neighbours in the other language: CSLS (Conneau,
Lample, Ranzato, Denoyer & Jegou, ICLR 2018, "Word Translation Without Parallel Data") and the
margin score of Artetxe & Schwenk (ACL 2019, "Margin-based Parallel Corpus Mining with
Multilingual Sentence Embeddings"). The query's side is a constant within one ranking; this
table holds the document's side:

    r(d) = mean cosine of d to its k nearest documents written in another language

over document vectors (the normalised mean of a document's chunk vectors). `penalties`
centres r on each language's mean, so it reorders documents within a language and leaves
the balance between languages to the query-time calibration (calibration.py). Measured
effect: see calibration.py.

Kept incrementally: each document's k best similarities and who they are. Adding b documents
costs O(b * n) dot products; removing one recomputes only the rows that had it among their
neighbours. A full build of n documents is n^2 dot products in blocks (about 1 s for 10,000,
so about 100 s for 100,000): above EXACT_LIMIT documents, many rows at once are recomputed
with an inverted-file index instead (approximate.py: each row scans about 1.5 % of the
documents, 0.5 s at 100,000), and a snapshot holds the table (`state`, `restore`), so that a
restart rebuilds nothing.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .approximate import other_group_neighbours
from .vectors import require_faiss

_BLOCK = 1024  # rows per similarity block: 1024 x 10,000 float32 is 40 MB
# Up to this many rows, products are taken one row at a time with FAISS's single-threaded
# kernel: numpy's BLAS threads made adding one document at 10,000 take 36 ms of wall time
# on two busy cores instead of 12.
_FEW = 16
# Above this many documents, a recomputation of more than _FEW rows searches approximately.
# Up to it the build is exact, as measured for the quality figures (calibration.py).
EXACT_LIMIT = 20_000


class HubnessTable:
    """Each document's k nearest neighbours among documents of other language groups.

    Args:
        dim: vector length.
        k: neighbours averaged (CSLS and Artetxe & Schwenk use 10).
    """

    def __init__(self, dim: int, k: int = 10) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.dim, self.k = dim, k
        self._vectors = np.zeros((0, dim), np.float32)
        self._groups = np.zeros(0, np.int64)  # -1: free slot
        self._ids = np.zeros(0, np.int64)
        self._nn_sim = np.zeros((0, k), np.float32)
        self._nn_slot = np.zeros((0, k), np.int64)
        self._slot_of: dict[int, int] = {}
        self._free: list[int] = []
        self._lookup: tuple[np.ndarray, np.ndarray] | None = None  # sorted ids, their slots

    def __len__(self) -> int:
        return len(self._slot_of)

    def upsert(self, ids: Sequence[int], groups: Sequence[int], vectors: np.ndarray) -> None:
        """Add or replace documents: ids (b,), group codes (b,) >= 0, unit vectors (b, dim)."""
        ids = np.asarray(ids, np.int64)
        if len(ids) != len(np.unique(ids)):
            raise ValueError("a document id is given twice")
        vectors, groups = np.asarray(vectors, np.float32), np.asarray(groups, np.int64)
        # A document saved again with the same text and language (a status or tag change)
        # keeps its neighbours: nothing to recompute.
        changed = np.array([not self._holds(i, g, v) for i, g, v in
                            zip(ids.tolist(), groups.tolist(), vectors, strict=True)], bool)
        ids, groups, vectors = ids[changed], groups[changed], vectors[changed]
        self.delete([i for i in ids.tolist() if i in self._slot_of])
        if not len(ids):
            return
        slots = np.array([self._allocate(i) for i in ids.tolist()], np.int64)
        self._vectors[slots] = vectors
        self._groups[slots] = groups
        self._lookup = None
        if len(self) > EXACT_LIMIT and len(slots) > max(_FEW, 4 * math.sqrt(len(self))):
            # Offering many new rows to every list would be b x n products: search every
            # row approximately instead (the new rows may enter any list).
            self._recompute(self._live())
            return
        old = np.setdiff1d(self._live(), slots)
        self._recompute(slots)
        for start in range(0, len(slots), _BLOCK):
            self._offer(old, slots[start : start + _BLOCK])

    def delete(self, ids: Sequence[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        slots = np.array([self._slot_of.pop(i) for i in ids if i in self._slot_of], np.int64)
        if not len(slots):
            return
        self._groups[slots] = -1
        self._ids[slots] = -1
        self._lookup = None
        self._free.extend(slots.tolist())
        live = self._live()
        touched = live[np.isin(self._nn_slot[live], slots).any(axis=1)]
        self._recompute(touched)

    def state(self) -> dict[str, np.ndarray]:
        """Return the table for a snapshot: ids (n,), groups (n,), nn_sim (n, k) float32 and
        nn_ids (n, k) (-1 where fewer than k neighbours exist); vectors are not included."""
        live = self._live()
        nn = self._nn_slot[live]
        return {"ids": self._ids[live], "groups": self._groups[live],
                "nn_sim": self._nn_sim[live],
                "nn_ids": np.where(nn >= 0, self._ids[np.maximum(nn, 0)], -1)}

    def restore(self, state: dict[str, np.ndarray], vectors: np.ndarray) -> None:
        """Fill an empty table from `state` and the documents' unit vectors (n, dim), in the
        order of state["ids"], without computing any neighbour.

        Raises:
            ValueError: the table is not empty, or the arrays disagree in shape or name an
                unknown neighbour.
        """
        ids, groups = np.asarray(state["ids"], np.int64), np.asarray(state["groups"], np.int64)
        nn_sim, nn_ids = np.asarray(state["nn_sim"], np.float32), np.asarray(state["nn_ids"])
        if len(self) or nn_sim.shape != (len(ids), self.k) or nn_ids.shape != nn_sim.shape \
                or np.shape(vectors) != (len(ids), self.dim) or len(groups) != len(ids):
            raise ValueError("the hubness state does not fit this table")
        self._grow(len(ids) + len(ids) // 4 + 16)  # room to add without copying it all
        slots = np.array([self._allocate(i) for i in ids.tolist()], np.int64)
        self._vectors[slots], self._groups[slots] = vectors, groups
        self._lookup = None
        found = self._slots(nn_ids.reshape(-1)).reshape(nn_ids.shape)
        if ((found < 0) & (nn_ids >= 0)).any():
            raise ValueError("the hubness state names a neighbour it does not hold")
        self._nn_sim[slots], self._nn_slot[slots] = nn_sim, found

    def groups(self, ids: np.ndarray) -> np.ndarray:
        """Return the group code of each id (-1 for an unknown id)."""
        slots = self._slots(ids)
        return np.where(slots >= 0, self._groups[np.maximum(slots, 0)], -1)

    def values(self, ids: np.ndarray) -> np.ndarray:
        """Return r(d) of each id (float32; 0.0 for an unknown id or one without neighbours)."""
        slots = self._slots(ids)
        found = self._nn_sim[np.maximum(slots, 0)]
        finite = np.isfinite(found)
        count = finite.sum(axis=1)
        total = np.where(finite, found, 0.0).sum(axis=1)
        mean = np.divide(total, count, out=np.zeros(len(ids)), where=count > 0)
        return np.where(slots >= 0, mean, 0.0).astype(np.float32)

    def penalties(self, ids: np.ndarray) -> np.ndarray:
        """Return r(d) minus the mean r of the given documents of d's group (known ids)."""
        r, groups = self.values(ids), self.groups(ids)
        sums = np.bincount(groups, weights=r)
        counts = np.maximum(np.bincount(groups), 1)
        return (r - (sums / counts)[groups]).astype(np.float32)

    def _holds(self, doc_id: int, group: int, vector: np.ndarray) -> bool:
        slot = self._slot_of.get(doc_id)
        return slot is not None and self._groups[slot] == group and \
            np.array_equal(self._vectors[slot], vector)

    def _live(self) -> np.ndarray:
        return np.flatnonzero(self._groups >= 0)

    def _slots(self, ids: np.ndarray) -> np.ndarray:
        """Slot of each id, -1 where unknown (vectorised: views are rebuilt per change)."""
        if self._lookup is None:
            live = self._live()
            order = np.argsort(self._ids[live])
            self._lookup = self._ids[live][order], live[order]
        known, slots = self._lookup
        ids = np.asarray(ids, np.int64)
        where = np.minimum(np.searchsorted(known, ids), max(len(known) - 1, 0))
        hit = known[where] == ids if len(known) else np.zeros(len(ids), bool)
        return np.where(hit, slots[where] if len(known) else -1, -1)

    def _recompute(self, rows: np.ndarray) -> None:
        """Find the k nearest other-group neighbours of `rows` among all live documents."""
        # Approximately when building the IVF index (about sqrt(n) x n products) costs less
        # than scanning every document for each row (len(rows) x n).
        if len(self) > EXACT_LIMIT and len(rows) > max(_FEW, 4 * math.sqrt(len(self))):
            live = self._live()
            sims, found = other_group_neighbours(self._vectors[live], self._groups[live],
                                                 rows_of=np.searchsorted(live, rows), k=self.k)
            self._nn_sim[rows] = sims
            self._nn_slot[rows] = np.where(found >= 0, live[np.maximum(found, 0)], -1)
            return
        # A few rows go against the whole slot array (free slots masked like the own group):
        # gathering the live rows would copy 15 MB at 10,000 documents. Many rows go against
        # the gathered live rows: the products, not the copy, are then the cost.
        columns = np.arange(len(self._groups)) if len(rows) <= _FEW else self._live()
        vectors = self._vectors if len(rows) <= _FEW else self._vectors[columns]
        groups = self._groups[columns]
        for start in range(0, len(rows), _BLOCK):
            block = rows[start : start + _BLOCK]
            sims = _products(self._vectors[block], vectors)
            np.putmask(sims, (self._groups[block][:, None] == groups[None, :])
                       | (groups < 0)[None, :], -np.inf)
            self._nn_sim[block], self._nn_slot[block] = -np.inf, -1
            self._merge(block, sims, columns)

    def _offer(self, rows: np.ndarray, candidates: np.ndarray) -> None:
        """Merge `candidates` (few) into the lists of those `rows` (many) they would enter."""
        if not len(rows) or not len(candidates):
            return
        sims = _products(self._vectors[candidates], self._vectors).T[rows]
        np.putmask(sims, self._groups[rows][:, None] == self._groups[candidates][None, :],
                   -np.inf)
        enters = (sims > self._nn_sim[rows].min(axis=1)[:, None]).any(axis=1)
        self._merge(rows[enters], sims[enters], candidates)

    def _merge(self, rows: np.ndarray, sims: np.ndarray, candidates: np.ndarray) -> None:
        """Let `candidates` (similarities `sims`, rows x candidates) enter the lists of `rows`."""
        if not len(rows) or not len(candidates):
            return
        if sims.shape[1] > self.k:  # the k best candidates first: small arrays to merge
            best = np.argpartition(-sims, self.k - 1, axis=1)[:, : self.k]
            sims, found = np.take_along_axis(sims, best, axis=1), candidates[best]
        else:
            found = np.broadcast_to(candidates, sims.shape)
        all_sims = np.concatenate([self._nn_sim[rows], sims], axis=1)
        all_slots = np.concatenate([self._nn_slot[rows], found], axis=1)
        best = np.argpartition(-all_sims, self.k - 1, axis=1)[:, : self.k]
        kept = np.take_along_axis(all_sims, best, axis=1)
        self._nn_sim[rows] = kept
        self._nn_slot[rows] = np.where(np.isfinite(kept),
                                       np.take_along_axis(all_slots, best, axis=1), -1)

    def _allocate(self, doc_id: int) -> int:
        if not self._free:
            self._grow(max(16, 2 * len(self._groups)))
        slot = self._free.pop()
        self._slot_of[doc_id] = slot
        self._ids[slot] = doc_id
        return slot

    def _grow(self, capacity: int) -> None:
        extra = capacity - len(self._groups)
        self._vectors = np.concatenate([self._vectors, np.zeros((extra, self.dim), np.float32)])
        self._groups = np.concatenate([self._groups, np.full(extra, -1, np.int64)])
        self._ids = np.concatenate([self._ids, np.full(extra, -1, np.int64)])
        self._nn_sim = np.concatenate([self._nn_sim, np.full((extra, self.k), -np.inf,
                                                             np.float32)])
        self._nn_slot = np.concatenate([self._nn_slot, np.full((extra, self.k), -1, np.int64)])
        self._free.extend(range(capacity - 1, capacity - extra - 1, -1))


def _products(few: np.ndarray, many: np.ndarray) -> np.ndarray:
    """Return few @ many.T, (len(few), len(many)) float32, rows of both L2-normalised."""
    if len(few) > _FEW:
        return few @ many.T
    faiss = require_faiss()
    many = np.ascontiguousarray(many, np.float32)
    out = np.empty((len(few), len(many)), np.float32)
    for i, row in enumerate(np.ascontiguousarray(few, np.float32)):
        faiss.fvec_inner_products_ny(faiss.swig_ptr(out[i]), faiss.swig_ptr(row),
                                     faiss.swig_ptr(many), many.shape[1], len(many))
    return out
