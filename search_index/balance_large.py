"""The balanced dense ranking (balance.py) for collections too large to score every chunk of.

Up to LanguageBalance's `approximate_above` chunks every query scores every chunk (exact; the
quality figures of calibration.py were measured that way). Beyond it, per query:
  1. each language's baseline (calibration.group_statistics) is estimated on a fixed random
     sample of its documents (all of a small language; SAMPLE_DOCS in all, at least
     MIN_PER_GROUP per language), scored exactly: the tail of a sample estimates the tail of
     the whole, and the shrinkage still weighs by the true counts;
  2. the candidates come from an IVF index (approximate.CandidateIndex), language by language
     (the calibration lifts the best of each language, so one search by raw cosine would
     miss those of languages whose scores run low): the documents of the `depth` best chunks
     of each language among those the filters allow; a language (or a filtered set) of at
     most EXACT_DOCS documents is scored whole instead. Filters are applied inside the search,
     never after it, and the cells searched grow until k documents are found, so a filtered
     search returns k documents whenever k pass the filters (at worst by scanning every cell);
  3. the candidates are re-scored exactly (best chunk, hubness penalty, calibration).
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
SEED = 99


@dataclass(frozen=True)
class Sample:
    """The sampled documents of a view: their chunk rows copied together, and their groups.

    rows: (r, dim) float32; starts: (s,) first row of each sampled document; positions: (s,)
    the documents' positions in the view; grouping: theirs (every group of the view appears);
    group_bits: per group of the view, a packed bitmap over document ids of its documents.
    """

    rows: np.ndarray
    starts: np.ndarray
    positions: np.ndarray
    grouping: Grouping
    group_bits: list[np.ndarray]

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
                   Grouping.of(view.grouping.codes[positions]), _group_bits(view))


def _group_bits(view: Any) -> list[np.ndarray]:
    bits = []
    for start, size in zip(view.grouping.starts, view.grouping.sizes, strict=True):
        wanted = np.zeros(int(view.doc_ids[-1]) + 1, bool)
        wanted[view.doc_ids[view.grouping.order[start : start + size]]] = True
        bits.append(np.packbits(wanted, bitorder="little"))
    return bits


def doc_rows(view: Any, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Storage rows of the documents at `positions`, one after the other, and where each
    document's rows start among them."""
    ends = np.append(view.row_starts[1:], len(view.row_order))
    counts = ends[positions] - view.row_starts[positions]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    inner = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return view.row_order[np.repeat(view.row_starts[positions], counts) + inner], starts


def search_large(view: Any, sample: Sample, candidates: CandidateIndex, query: np.ndarray,
                 k: int, allowed: np.ndarray | None, settings: Calibration,
                 depth: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Return (positions, z-scores) of the best k documents, best first (ties: smaller id).

    `allowed`: positions in the view the filters keep (None: all).
    """
    scores = np.maximum.reduceat(inner_products(sample.rows, query), sample.starts)
    penalised = scores - settings.hub_weight * view.penalties[sample.positions]
    mu, sigma = group_statistics(penalised, sample.grouping, settings, view.grouping.sizes)
    positions = _candidates(view, sample, candidates, query, k, allowed, depth)
    if not len(positions):
        return positions, np.zeros(0)
    rows, starts = doc_rows(view, positions)
    best = np.maximum.reduceat(inner_products(np.ascontiguousarray(view.rows[rows]), query),
                               starts)
    codes = view.grouping.codes[positions]
    z = (best - settings.hub_weight * view.penalties[positions] - mu[codes]) / sigma[codes]
    order = np.lexsort((view.doc_ids[positions], -z))[:k]
    return positions[order], z[order]


def _candidates(view: Any, sample: Sample, candidates: CandidateIndex, query: np.ndarray,
                k: int, allowed: np.ndarray | None, depth: int) -> np.ndarray:
    """Positions of the documents to score exactly (see the module doc, step 2)."""
    if allowed is not None and len(allowed) <= max(EXACT_DOCS, k):
        return allowed
    allowed_bits = None
    if allowed is not None:
        wanted = np.zeros(int(view.doc_ids[-1]) + 1, bool)
        wanted[view.doc_ids[allowed]] = True
        allowed_bits = np.packbits(wanted, bitorder="little")
        counts = np.bincount(view.grouping.codes[allowed], minlength=len(sample.group_bits))
    else:
        counts = view.grouping.sizes
    found = []
    for group, bits in enumerate(sample.group_bits):
        if counts[group] == 0:
            continue
        if counts[group] <= EXACT_DOCS:
            members = view.grouping.order[view.grouping.starts[group]:][: view.grouping.sizes[
                group]]
            found.append(members if allowed is None else np.intersect1d(members, allowed))
            continue
        wanted = bits if allowed_bits is None else bits & allowed_bits
        ids = _search_until(candidates, query, depth, wanted, min(k, int(counts[group])))
        found.append(np.searchsorted(view.doc_ids, ids))
    return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)


def _search_until(candidates: CandidateIndex, query: np.ndarray, depth: int,
                  bits: np.ndarray, k: int) -> np.ndarray:
    """Document ids of the best chunks among those `bits` allow, k of them at least: the
    cells searched grow fourfold until they are found (every cell at worst)."""
    nprobe = candidates.nprobe
    found = candidates.search(query, depth, bits, nprobe)
    while len(found) < k and nprobe < candidates.nlist:
        nprobe *= 4
        found = candidates.search(query, depth, bits, nprobe)
    return found
