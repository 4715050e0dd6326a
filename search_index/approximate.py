"""Approximate nearest neighbours with a FAISS inverted-file index (IVF), for large collections.

An IVF index clusters the vectors into `nlist` cells (k-means) and a search scans only the
`nprobe` cells nearest the query (Jegou, Douze & Schmid, TPAMI 2011, "Product Quantization
for Nearest Neighbor Search", the IVF part; FAISS's IndexIVFFlat keeps the vectors exact, so
only cells are skipped, scores are not approximated). With nlist = sqrt(n) cells and a
training sample of 40 points per cell (FAISS warns below 39), a search scans about
nprobe / sqrt(n) of the vectors: building and searching every row costs O(n^1.5), not n^2.
"""
from __future__ import annotations

import math

import numpy as np

from .vectors import require_faiss

TRAIN_PER_CELL = 40
ADD_BATCH = 100_000  # rows centred and added at once (40 MB at 384 dimensions)
SEED = 1234  # the same vectors always give the same cells (reproducible rankings)


def build_ivf(vectors: np.ndarray, ids: np.ndarray | None = None, nlist: int | None = None):
    """Return a trained IndexIVFFlat (inner product) holding `vectors` (n, dim) float32 under
    `ids` (n,) int64 (default: their positions). nlist defaults to max(1, sqrt(n))."""
    faiss = require_faiss()
    vectors = np.ascontiguousarray(vectors, np.float32)
    n, dim = vectors.shape
    nlist = nlist or max(1, int(math.sqrt(n)))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(SEED).choice(n, min(n, TRAIN_PER_CELL * nlist), replace=False)
    index.cp.seed = SEED
    index.train(vectors[np.sort(sample)])
    index.add_with_ids(vectors, np.arange(n, dtype=np.int64) if ids is None else ids)
    return index


def bitmap_selector(wanted: np.ndarray):
    """Return (FAISS IDSelectorBitmap over ids 0..len(wanted)-1, the bits it points to: keep
    them alive as long as the selector is used)."""
    faiss = require_faiss()
    bits = np.packbits(np.asarray(wanted, bool), bitorder="little")
    return faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(bits)), bits


def other_group_neighbours(vectors: np.ndarray, groups: np.ndarray, *, rows_of: np.ndarray,
                           k: int, nprobe: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """For each of the rows `rows_of` (m,) of `vectors` (n, dim), its k nearest rows of
    another group (`groups` (n,)), approximately.

    Returns (similarities (m, k) float32, -inf where fewer than k exist; their row
    positions (m, k) int64, -1 there). Rows whose probed cells hold fewer than k rows of
    other groups are searched again with four times the cells, until k are found.
    """
    index = build_ivf(vectors)
    sims = np.full((len(rows_of), k), -np.inf, np.float32)
    found = np.full((len(rows_of), k), -1, np.int64)
    mine = groups[rows_of]
    for group in np.unique(mine):
        at, probe = np.flatnonzero(mine == group), nprobe
        selector, _bits = bitmap_selector(groups != group)
        while len(at):
            _search(index, vectors[rows_of[at]], k, selector, probe, sims, found, at)
            at = at[(found[at] < 0).any(axis=1)]
            if probe >= index.nlist:
                break
            probe *= 4
    return sims, found


def _search(index, queries: np.ndarray, k: int, selector, nprobe: int, sims: np.ndarray,
            found: np.ndarray, at: np.ndarray) -> None:
    faiss = require_faiss()
    params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
    scores, labels = index.search(np.ascontiguousarray(queries), k, params=params)
    sims[at] = np.where(labels >= 0, scores, -np.inf)
    found[at] = labels


class CandidateIndex:
    """Chunk vectors in an IVF index with 8-bit scalar quantisation, keyed by document id, to
    find the candidates of a ranking in a collection too large to scan for every query.

    Each vector is stored minus the mean vector of its language group (its centre). Cells
    of raw vectors hold one topic in one language, so the cells nearest a query miss the
    best documents of the other languages, which the per-language calibration ranks beside
    those of the query's language (bench_scale.py: 77% of the exact top 10 in the 32 nearest
    cells of 244, raw; see the README for centred). Centred, cells hold topics across
    languages. q . (v - centre) differs from q . v by q . centre, the same for every chunk of
    a group: `shifts(query)` gives it back, so scores are comparable across groups again.
    Scores are approximate (8 bits per dimension); callers re-score the candidates exactly.
    Each chunk is stored under its document's id, so a document is removed in one call.
    One byte per dimension: a quarter of the memory of the float vectors it indexes.

    Args:
        vectors: chunk vectors (rows, dim) float32 to train the cells on and hold.
        doc_ids: document id of each row (rows,) int64, >= 0.
        groups: language group code of each row (rows,) int64, >= 0 (the caller's codes,
            stable across changes).
        nprobe: cells scanned per search (of sqrt(rows) cells).
    """

    def __init__(self, vectors: np.ndarray, doc_ids: np.ndarray, groups: np.ndarray, *,
                 nprobe: int = 32) -> None:
        faiss = require_faiss()
        vectors = np.ascontiguousarray(vectors, np.float32)
        n, dim = vectors.shape
        groups = np.asarray(groups, np.int64)
        sums = np.zeros((int(groups.max(initial=-1)) + 1, dim), np.float64)
        np.add.at(sums, groups, vectors)
        self.centres = (sums / np.maximum(np.bincount(groups, minlength=len(sums)), 1)[:, None]
                        ).astype(np.float32)
        nlist = max(1, int(math.sqrt(n)))
        self.nprobe = nprobe
        self._index = faiss.IndexIVFScalarQuantizer(
            faiss.IndexFlatIP(dim), dim, nlist, faiss.ScalarQuantizer.QT_8bit,
            faiss.METRIC_INNER_PRODUCT)
        self._index.cp.seed = SEED
        sample = np.sort(np.random.default_rng(SEED).choice(n, min(n, TRAIN_PER_CELL * nlist),
                                                            replace=False))
        self._index.train(vectors[sample] - self.centres[groups[sample]])
        self.add(vectors, doc_ids, groups)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def to_bytes(self) -> np.ndarray:
        """The index serialised by FAISS (uint8), for a snapshot (with `centres`)."""
        return require_faiss().serialize_index(self._index)

    @classmethod
    def from_bytes(cls, data: np.ndarray, centres: np.ndarray, *,
                   nprobe: int = 32) -> CandidateIndex:
        """Read an index written by `to_bytes`, with the `centres` (groups, dim) it had.

        Raises:
            RuntimeError: the bytes are not a FAISS index.
        """
        candidates = cls.__new__(cls)  # nothing to train: the cells come with the bytes
        candidates.nprobe = nprobe
        candidates.centres = np.asarray(centres, np.float32)
        candidates._index = require_faiss().deserialize_index(np.asarray(data, np.uint8))
        return candidates

    @property
    def nlist(self) -> int:
        """Number of cells."""
        return int(self._index.nlist)

    def add(self, vectors: np.ndarray, doc_ids: np.ndarray, groups: np.ndarray) -> None:
        """Add chunk vectors (rows, dim) under their document ids (rows,), each centred on
        its group's centre (rows,); a group new since the cells were trained has none (0)."""
        if not len(doc_ids):
            return
        groups = np.asarray(groups, np.int64)
        if groups.max() >= len(self.centres):
            grown = np.zeros((int(groups.max()) + 1, self.centres.shape[1]), np.float32)
            grown[: len(self.centres)] = self.centres
            self.centres = grown
        doc_ids = np.asarray(doc_ids, np.int64)
        for start in range(0, len(doc_ids), ADD_BATCH):  # one centred copy of a batch at a time
            end = start + ADD_BATCH
            self._index.add_with_ids(
                np.ascontiguousarray(np.asarray(vectors[start:end], np.float32)
                                     - self.centres[groups[start:end]]), doc_ids[start:end])

    def shifts(self, query: np.ndarray) -> np.ndarray:
        """Return query . centre of each group (groups,) float32: add it to a score of
        `scan` or `search` to get the chunk's own inner product back."""
        return self.centres @ np.asarray(query, np.float32)

    def remove(self, doc_ids: np.ndarray) -> None:
        """Remove every chunk of the given documents."""
        if len(doc_ids):
            self._index.remove_ids(require_faiss().IDSelectorBatch(
                np.asarray(doc_ids, np.int64)))

    def scan(self, query: np.ndarray, allowed: np.ndarray | None = None,
             nprobe: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return (document id, approximate centred score) of every chunk in the `nprobe`
        cells nearest the query, among the documents `allowed` (a packed bitmap, see
        `search`); add `shifts(query)` of the chunk's group for its inner product."""
        faiss = require_faiss()
        selector = None
        if allowed is not None:
            allowed = np.ascontiguousarray(allowed, np.uint8)
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(allowed))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe or self.nprobe)
        _, scores, labels = self._index.range_search(
            np.ascontiguousarray(query.reshape(1, -1), np.float32), -np.inf, params=params)
        return labels, scores

    def search(self, query: np.ndarray, depth: int, allowed: np.ndarray | None = None,
               nprobe: int | None = None) -> np.ndarray:
        """Return the ids of the documents of the `depth` best chunks by centred score
        (distinct, best first).

        `allowed` (a bitmap over document ids, packed little-endian as np.packbits(...,
        bitorder="little") makes it) restricts the search to those documents.
        """
        faiss = require_faiss()
        selector = None
        if allowed is not None:
            allowed = np.ascontiguousarray(allowed, np.uint8)
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(allowed))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe or self.nprobe)
        _, labels = self._index.search(np.ascontiguousarray(query.reshape(1, -1), np.float32),
                                       depth, params=params)
        found = labels[0][labels[0] >= 0]
        _, first = np.unique(found, return_index=True)
        return found[np.sort(first)]
