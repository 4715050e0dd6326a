"""The dense ranking of SearchIndex with languages balanced: hubness penalty, then calibration.

For each query: the cosine of every chunk (one pass over the FAISS storage, no BLAS threads),
each document's best chunk, minus `hub_weight` x its centred cross-language hubness
(hubness.py), then per-language z-scores (calibration.py); the best `k` among the allowed
documents go to the rank fusion. Quality: see calibration.py.

Cost, benchmarks/bench_index_latency.py at 10,000 documents / 20,009 chunks, CPU time p50 on
two busy cores, plain cosine (--plain) -> balanced: search without filter 2.0 -> 1.9 ms (the
full scan replaces FAISS's top-k search, ~1 ms either way); with language=fr (10 %) 0.85 ->
2.1 ms, theme+level (33 %) 1.6 -> 2.5 ms (plain FAISS scans only the selected chunks). Query
encoding takes 15-20 ms, so a search stays within ~1.1x of it. Changes: a document saved
with the same text ~1.2 ms either way; with a new text 0.7 -> 13 ms (its neighbours and those
of the documents that had it as one), and the next search 5 ms more (the per-query arrays are
rebuilt). Adding all 10,000 documents 2.5 -> 3.8 s, loading a snapshot 0.16 -> 2.2 s when the
hubness table was recomputed; it is now saved with the snapshot (`state`, read back by
`load`): 0.28 s at 10,000, 3.5 s at 100,000 (benchmarks/bench_scale.py). Memory: RSS +169 MB
instead of +116 MB. Collections of more than `approximate_above` chunks: balance_large.py.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .approximate import CandidateIndex
from .balance_large import Sample, search_large
from .calibration import Calibration, Grouping, calibrate, language_group
from .hubness import HubnessTable
from .vectors import VectorIndex, inner_products

# Chunks up to which every query scores every chunk (exact, as the quality figures were
# measured); beyond this, balance_large.py ranks approximately. A full scan of 200,000
# chunks (100,000 practices, what the whole network reaches at ~10 practices a school) took
# 24 ms p50 and 36-42 ms p95 (benchmarks/bench_scale.py), over the 30 ms target by a few ms
# a teacher does not notice, while the approximate path at that size kept only 0.63-0.85 of
# the exact top 10 (its per-language baselines come from a sample): a quality loss a
# teacher would notice. So the network's own size stays exact, up to 250,000 chunks.
APPROXIMATE_ABOVE = 250_000


@dataclass(frozen=True)
class _View:
    """What every query needs, rebuilt after each change of the index.

    rows: the FAISS storage (chunks, dim), a view valid until the next change; doc_ids: the
    documents, ascending; row_order/row_starts: the storage rows grouped by document.
    """

    rows: np.ndarray
    doc_ids: np.ndarray
    row_order: np.ndarray
    row_starts: np.ndarray
    grouping: Grouping
    group_codes: np.ndarray  # the balance's own (stable) group code of each document
    penalties: np.ndarray
    sample: Sample | None = None  # set above approximate_above chunks (balance_large.py)


class LanguageBalance:
    """Per-document language groups and hubness, and the balanced dense ranking.

    Args:
        dim: vector length; settings: see calibration.Calibration.
        approximate_above: chunks beyond which queries are ranked approximately
            (balance_large.py); None never does.
        known_languages: BCP 47 tags of the languages the neutralizer was fitted on; the
            others are calibrated with `settings.unknown_shrinkage` (calibration.py). None:
            every language with `settings.shrinkage`.
    """

    def __init__(self, dim: int, settings: Calibration = Calibration(),  # noqa: B008
                 approximate_above: int | None = APPROXIMATE_ABOVE,
                 known_languages: Collection[str] | None = None) -> None:
        self.settings = settings
        self.approximate_above = approximate_above
        self._known = (None if known_languages is None else
                       frozenset(language_group(tag) for tag in known_languages))
        self._hubness = HubnessTable(dim, settings.hub_neighbours)
        self._group_codes: dict[str, int] = {}
        self._view: _View | None = None
        self._candidates: CandidateIndex | None = None

    def upsert(self, items: Iterable[tuple[int, Collection[str], np.ndarray]]) -> None:
        """Add or replace documents given as (id, language tags, chunk vectors (n, dim)).

        The vectors are the neutralised ones the index stores. A document with several
        languages is grouped by the first; one with none is "und".
        """
        ids, groups, means, chunks = [], [], [], []
        for doc_id, languages, vectors in items:
            tag = next(iter(languages), "")
            group = self._group_codes.setdefault(language_group(tag), len(self._group_codes))
            ids.append(doc_id)
            groups.append(group)
            means.append(_unit_mean(vectors))
            chunks.append(np.asarray(vectors, np.float32))
        if ids:
            self._hubness.upsert(ids, groups, np.stack(means))
            if self._candidates is not None:
                self._candidates.remove(np.asarray(ids, np.int64))
                sizes = [len(c) for c in chunks]
                self._candidates.add(np.concatenate(chunks),
                                     np.repeat(np.asarray(ids, np.int64), sizes),
                                     np.repeat(np.asarray(groups, np.int64), sizes))
        self._view = None

    def load(self, vectors: VectorIndex, languages: Mapping[int, Collection[str]],
             state: Mapping[str, np.ndarray] | None = None) -> None:
        """Take every document of `vectors` (just read from a snapshot) with its languages.

        `state` (from `state()`, saved with the snapshot) restores the hubness table without
        computing a neighbour; when it is missing or does not describe exactly these documents
        and languages, the table is computed as for new documents.
        """
        rows, docs = vectors.storage()
        order = np.argsort(docs, kind="stable")
        ids, starts = np.unique(docs[order], return_index=True)
        if state is not None and len(ids):
            means = np.add.reduceat(rows[order], starts, axis=0)
            means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
            if self._restore(state, ids, means, languages):
                if "candidates" in state and "candidate_centres" in state:
                    candidates = CandidateIndex.from_bytes(state["candidates"],
                                                           state["candidate_centres"])
                    self._candidates = candidates if len(candidates) == len(rows) else None
                return
        parts = np.split(rows[order], starts[1:]) if len(ids) else []
        self.upsert((doc_id, languages.get(doc_id, ()), part) for doc_id, part in
                    zip(ids.tolist(), parts, strict=True))

    def state(self) -> dict[str, np.ndarray]:
        """Return what `load` needs to skip the hubness computation: the hubness table
        (HubnessTable.state) and the group names, in code order."""
        names = sorted(self._group_codes, key=self._group_codes.__getitem__)
        state = {**self._hubness.state(), "group_names": np.array(names, dtype=str)}
        if self._candidates is not None:  # minutes to build at 1M documents
            state["candidates"] = self._candidates.to_bytes()
            state["candidate_centres"] = self._candidates.centres
        return state

    def _restore(self, state: Mapping[str, np.ndarray], ids: np.ndarray, means: np.ndarray,
                 languages: Mapping[int, Collection[str]]) -> bool:
        names = [str(name) for name in state["group_names"]]
        saved = np.asarray(state["ids"], np.int64)
        if len(saved) != len(ids) or not np.array_equal(np.sort(saved), ids):
            return False
        groups = [language_group(next(iter(languages.get(i, ())), "")) for i in saved.tolist()]
        codes = np.asarray(state["groups"], np.int64)
        if len(codes) and (codes.max() >= len(names) or
                           [names[c] for c in codes.tolist()] != groups):
            return False
        try:
            self._hubness.restore(dict(state), means[np.searchsorted(ids, saved)])
        except ValueError:
            return False
        self._group_codes = {name: code for code, name in enumerate(names)}
        self._view = None
        return True

    def delete(self, ids: Iterable[int]) -> None:
        """Forget documents; unknown ids are ignored."""
        ids = list(ids)
        self._hubness.delete(ids)
        if self._candidates is not None:
            self._candidates.remove(np.asarray(ids, np.int64))
        self._view = None

    def search(self, vectors: VectorIndex, query: np.ndarray, k: int,
               allowed_doc_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Return the `k` best allowed documents as (doc_id, calibrated score), best first.

        Ties go to the smaller id. `vectors` must hold exactly the documents given here.
        """
        view = self._current(vectors)
        if k <= 0 or not len(view.doc_ids):
            return []
        if view.sample is not None and self._candidates is not None:
            allowed = None if allowed_doc_ids is None else _matching(view.doc_ids,
                                                                    allowed_doc_ids)
            chosen, z = search_large(view, view.sample, self._candidates,
                                     np.asarray(query, np.float32), k, allowed, self.settings)
            return list(zip(view.doc_ids[chosen].tolist(), z.tolist(), strict=True))
        scores = inner_products(view.rows, np.asarray(query, np.float32))
        best = np.maximum.reduceat(scores[view.row_order], view.row_starts)
        z = calibrate(best - self.settings.hub_weight * view.penalties, view.grouping,
                      self.settings)
        candidates = (np.arange(len(view.doc_ids)) if allowed_doc_ids is None
                      else _matching(view.doc_ids, allowed_doc_ids))
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-z[candidates], k - 1)[:k]]
        order = np.lexsort((view.doc_ids[candidates], -z[candidates]))
        chosen = candidates[order][:k]
        return list(zip(view.doc_ids[chosen].tolist(), z[chosen].tolist(), strict=True))

    def groups(self, vectors: VectorIndex, doc_ids: Sequence[int]) -> np.ndarray:
        """Return the language group code (int64) of each of `doc_ids`, all of which must be
        in `vectors` (which must hold exactly the documents given here)."""
        view = self._current(vectors)
        ids = np.asarray(doc_ids, np.int64)
        if not len(ids):
            return np.zeros(0, np.int64)
        return view.grouping.codes[np.searchsorted(view.doc_ids, ids)]

    def _current(self, vectors: VectorIndex) -> _View:
        if self._view is None:
            self._view = self._build_view(vectors)
        return self._view

    def _build_view(self, vectors: VectorIndex) -> _View:
        rows, row_docs = vectors.storage()
        row_order = np.argsort(row_docs, kind="stable")
        doc_ids, row_starts = np.unique(row_docs[row_order], return_index=True)
        codes = self._hubness.groups(doc_ids)
        if (codes < 0).any():
            raise ValueError("the vector index holds documents the balance was not given")
        view = _View(rows, doc_ids, row_order, row_starts.astype(np.int64),
                     Grouping.of(codes, self._shrinkage()), codes, _passage_penalties(
                         self._hubness.penalties(doc_ids), row_starts, len(rows)))
        if self.approximate_above is None or len(rows) <= self.approximate_above:
            self._candidates = None
            return view
        if self._candidates is None:
            self._candidates = CandidateIndex(rows, row_docs, self._hubness.groups(row_docs))
        return dataclasses.replace(view, sample=Sample.of(view))


    def _shrinkage(self) -> np.ndarray | None:
        """The calibration pseudo-count of each group code (None: the same for all)."""
        if self._known is None:
            return None
        shrinkage = np.full(len(self._group_codes), self.settings.shrinkage)
        for name, code in self._group_codes.items():
            if name != "und" and name not in self._known:
                shrinkage[code] = self.settings.unknown_shrinkage
        return shrinkage


def _unit_mean(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of a document's chunk vectors (n, dim) -> (dim,) float32."""
    mean = np.asarray(vectors, np.float32).mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def _matching(doc_ids: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Positions in the ascending `doc_ids` of the ids that are in `allowed`."""
    allowed = np.asarray(allowed, np.int64)
    if len(allowed) > 1 and not (allowed[1:] > allowed[:-1]).all():  # sorting: 1 ms at 10k
        allowed = np.unique(allowed)
    where = np.searchsorted(doc_ids, allowed)
    inside = where < len(doc_ids)
    where, allowed = where[inside], allowed[inside]
    return where[doc_ids[where] == allowed]


def _passage_penalties(penalties: np.ndarray, row_starts: np.ndarray, rows: int) -> np.ndarray:
    """The hubness penalties (n,) as applied to documents' best passages: a document of
    several passages is never penalised beyond its language's average (0).

    Hubness is measured on a document's mean vector. A long practice's mean is the centroid
    of many subjects, close to everything, hence a hub, while the passage a query matches is
    about one subject. On the development set (benchmarks/devset: three practices of 1,000-
    2,600 words whose last paragraph alone answers 14 queries in other languages) the
    penalties of those practices were +.08 to +.23 and moved them from a median cosine rank
    of 3 to 15 among 551 texts (to 12 after fusion); capped, their median rank is 4 and all
    14 are in the top 10. Single-passage documents (every SDG and xling text) keep theirs.
    """
    counts = np.diff(np.append(row_starts, rows))
    return np.where(counts > 1, np.minimum(penalties, 0.0), penalties)
