"""Near copies: is a text a translation or a lightly edited copy of a document already held?

A text and a document are compared by their chunk vectors (one per passage, L2-normalised,
as `embed` makes them). Two scores are offered, both in cosine units (-1..1):

  whole    cosine of the two whole-text vectors (each text's normalised mean passage
           vector). Independent of how the texts were cut, so a translation cut into
           another number of passages keeps its score.
  passages the share-weighted "best partner" score: for each passage of the shorter text,
           its best cosine with any passage of the other; the mean of those. A copy with a
           paragraph dropped keeps a partner for every passage it has left.

Which one, with or without the language neutralizer, and the threshold, were chosen on
labelled pairs (benchmarks/eval_duplicates.py; figures at RULES and in the README, Search
quality: "passages" on neutralised vectors).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

METHODS = ("whole", "passages")


@dataclass(frozen=True)
class CopyRule:
    """When a pair counts as a near copy: `score(method) >= threshold`.

    Attributes:
        method: "whole" or "passages" (module docstring).
        threshold: the lowest score flagged, in cosine units.
        neutralized: whether the vectors compared are the language-neutralised ones (as the
            search index holds them) rather than the raw ones (as the database stores them).
    """

    method: str
    threshold: float
    neutralized: bool

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method is {self.method!r}; use one of {METHODS}")


def whole_vector(chunks: np.ndarray) -> np.ndarray:
    """The normalised mean of a text's chunk vectors: (n, dim) -> (dim,) float32."""
    mean = np.asarray(chunks, np.float32).mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def copy_score(a: np.ndarray, b: np.ndarray, method: str = "whole") -> float:
    """Score how much text `a` (chunk vectors (n, dim)) is a copy of text `b` ((m, dim)).

    Symmetric for "whole"; for "passages" the shorter text's passages look for partners in
    the longer one (so it is symmetric too).

    Raises:
        ValueError: an unknown method.
    """
    if method == "whole":
        return float(whole_vector(a) @ whole_vector(b))
    if method == "passages":
        short, long = (a, b) if len(a) <= len(b) else (b, a)
        pair = np.asarray(short, np.float32) @ np.asarray(long, np.float32).T
        return float(pair.max(axis=1).mean())
    raise ValueError(f"method is {method!r}; use one of {METHODS}")


def near_copies(text: np.ndarray, documents: Iterable[tuple[int, np.ndarray]],
                rule: CopyRule) -> list[tuple[int, float]]:
    """Return the documents (id, chunk vectors) that `text` is a near copy of under `rule`,
    as (id, score), best first (ties: smaller id first). The vectors must already be in the
    space the rule names (raw or neutralised)."""
    found = [(doc_id, copy_score(text, vectors, rule.method)) for doc_id, vectors in documents]
    return sorted(((d, s) for d, s in found if s >= rule.threshold), key=lambda p: (-p[1], p[0]))


# Chosen on labelled pairs (benchmarks/eval_duplicates.py, README "Likely copies"), measured
# on held-out pairs (582: 436 translations and near copies, 146 same-topic practices and
# different xling practices), 2026-12-05:
#   neutralised, passages >= 0.4179: precision 0.949, recall 0.975 (same-topic pairs flagged
#     0.21); whole texts instead: 0.913 / 0.989 (0.39); the bare model's raw cosine of whole
#     texts (>= 0.824): 0.923 / 0.991 (0.26; different xling practices flagged 0.21, 0.02
#     here). Raw e5 cosines are compressed: translations 0.80-0.95, same-topic texts in one
#     language up to 0.91.
#   The hubness-corrected cosine (CSLS, k=10) reached 0.956 / 0.986 but its threshold depends
#     on the density of the collection it is measured against, so it is not used.
# Without the neutralizer (not yet fitted, or SEARCH_NEUTRALIZER off): the bare model's rule.
RULES: dict[tuple[str, bool], CopyRule] = {
    ("intfloat/multilingual-e5-small", True): CopyRule("passages", 0.4179, neutralized=True),
    ("intfloat/multilingual-e5-small", False): CopyRule("whole", 0.8244, neutralized=False),
}
# A model nobody calibrated (the tests' hashing encoder) flags only near-identical texts.
UNCALIBRATED = CopyRule("whole", 0.98, neutralized=False)


def rule_for(model_id: str, neutralised: bool) -> CopyRule:
    """The rule measured for `model_id` on vectors with (or without) the language
    neutralizer, else UNCALIBRATED."""
    return RULES.get((model_id, neutralised), UNCALIBRATED)
