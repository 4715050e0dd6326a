"""The balanced dense ranking (balance.py) for collections too large to score every chunk of.

Up to LanguageBalance's `approximate_above` chunks every query scores every chunk (exact; the
quality figures of calibration.py were measured that way). Beyond it, per query:
  1. each language's baseline (calibration.group_statistics) is estimated on a fixed random
     sample of its documents (all of a small language; SAMPLE_DOCS in all, at least
     MIN_PER_GROUP per language), scored exactly: the tail of a sample estimates the tail of
     the whole, and the shrinkage still weighs by the true counts;
  2. the candidates come from an IVF index (approximate.CandidateIndex): every chunk of the
     `nprobe` cells nearest the query (about nprobe / sqrt(chunks) of them) among those the
     filters allow, scored on 8-bit codes and calibrated; the SHORTLIST x k best documents by
     that approximate z go on. A top k by raw cosine would miss the best documents of the
     languages whose scores run low, which the calibration lifts; all documents of the
     nearest cells keep them. A filter keeping at most EXACT_DOCS documents is scored whole
     instead. Filters are applied inside the search, never after it, and the cells scanned
     grow fourfold until k documents are found, so a filtered search returns k documents
     whenever k pass the filters (at worst by scanning every cell);
  3. the shortlist is re-scored exactly (best chunk, hubness penalty, calibration).
Recall@10 against the exact ranking: benchmarks/bench_scale.py (README, Performance).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .approximate import CandidateIndex
from .calibration import Calibration, Grouping, group_statistics
from .vectors import inner_products

SAMPLE_DOCS = 20_000
MIN_PER_GROUP = 500
EXACT_DOCS = 5_000
SHORTLIST = 4  # candidates re-scored exactly per document asked for
SEED = 99


@dataclass(frozen=True)
class Sample:
    """The sampled documents of a view: their chunk rows copied together, and their groups.

    rows: (r, dim) float32; starts: (s,) first row of each sampled document; positions: (s,)
    the documents' positions in the view; grouping: theirs (every group of the view appears).
    """

    rows: np.ndarray
    starts: np.ndarray
    positions: np.ndarray
    grouping: Grouping

    @classmethod
    def of(cls, view: Any) -> Sample:
        """Draw the sample of `view` (balance._View), the same for the same documents."""
        gen, total = np.random.default_rng(SEED), len(view.doc_ids)
        chosen = []
        for start, size in zip(view.grouping.starts, view.grouping.sizes, strict=True):
            members = view.grouping.order[start : start + size]
            take = min(size, max(MIN_PER_GROUP, round(SAMPLE_DOCS * size / total)))
            chosen.append(np.sort(gen.choice(members, take, replace=False)))
        positions = np.concatenate(chosen)
        rows, starts = doc_rows(view, positions)
        return cls(np.ascontiguousarray(view.rows[rows]), starts, positions,
                   Grouping.of(view.grouping.codes[positions], view.grouping.shrinkage))


def doc_rows(view: Any, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Storage rows of the documents at `positions`, one after the other, and where each
    document's rows start among them."""
    ends = np.append(view.row_starts[1:], len(view.row_order))
    counts = ends[positions] - view.row_starts[positions]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    inner = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return view.row_order[np.repeat(view.row_starts[positions], counts) + inner], starts


def search_large(view: Any, sample: Sample, candidates: CandidateIndex, query: np.ndarray,
                 k: int, allowed: np.ndarray | None, settings: Calibration
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Return (positions, z-scores) of the best k documents, best first (ties: smaller id).

    `allowed`: positions in the view the filters keep (None: all).
    """
    scores = np.maximum.reduceat(inner_products(sample.rows, query), sample.starts)
    penalised = scores - settings.hub_weight * view.penalties[sample.positions]
    mu, sigma = group_statistics(penalised, sample.grouping, settings, view.grouping.sizes)

    def calibrated(positions: np.ndarray, best: np.ndarray) -> np.ndarray:
        codes = view.grouping.codes[positions]
        return (best - settings.hub_weight * view.penalties[positions] - mu[codes]) / sigma[codes]

    positions = _candidates(view, candidates, query, k, allowed, calibrated)
    if not len(positions):
        return positions, np.zeros(0)
    rows, starts = doc_rows(view, positions)
    best = np.maximum.reduceat(inner_products(np.ascontiguousarray(view.rows[rows]), query),
                               starts)
    z = calibrated(positions, best)
    order = np.lexsort((view.doc_ids[positions], -z))[:k]
    return positions[order], z[order]


def _candidates(view: Any, candidates: CandidateIndex, query: np.ndarray, k: int,
                allowed: np.ndarray | None, calibrated) -> np.ndarray:
    """Positions of the documents to score exactly (see the module doc, step 2)."""
    if allowed is not None and len(allowed) <= max(EXACT_DOCS, k):
        return allowed
    bits = None
    if allowed is not None:
        wanted = np.zeros(int(view.doc_ids[-1]) + 1, bool)
        wanted[view.doc_ids[allowed]] = True
        bits = np.packbits(wanted, bitorder="little")
    nprobe = candidates.nprobe
    while True:
        ids, scores = candidates.scan(query, bits, nprobe)
        order = np.argsort(ids, kind="stable")
        docs, starts = np.unique(ids[order], return_index=True)
        if len(docs) >= k or nprobe >= candidates.nlist:
            break
        nprobe *= 4
    if allowed is not None and len(docs) < k:
        return allowed  # every cell scanned: score the allowed documents themselves
    positions = np.searchsorted(view.doc_ids, docs)
    best = np.maximum.reduceat(scores[order], starts) if len(docs) else np.zeros(0)
    shifts = candidates.shifts(query)  # centred scores back to inner products
    z = calibrated(positions, best + shifts[view.group_codes[positions]]) if len(docs) else []
    keep = SHORTLIST * max(k, 1)
    return positions if len(positions) <= keep else positions[np.argpartition(-z, keep)[:keep]]
