"""Weighted reciprocal rank fusion of the dense and the keyword rankings.

RRF (Cormack, Clarke & Buettcher, SIGIR 2009, "Reciprocal Rank Fusion outperforms Condorcet and
individual Rank Learning Methods"): score(d) = sum over rankings r of w_r / (k + rank_r(d)),
ranks from 1, k = 60. It needs no score calibration, which matters here: e5 cosines are
compressed into a narrow band and BM25 scores are unbounded.

The keyword weight falls with query length. Short keyword queries ("bullying" in Arabic or
Swahili) are where dense retrieval fails and exact terms rescue it (models.md). In long
descriptive queries lexical overlap mostly says "written in the same language", and a strong
keyword vote would undo the language neutrality of the dense ranking.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FusionWeights:
    """How much each ranking counts; defaults are a starting point, to be tuned on eval data.

    Attributes:
        k: RRF rank offset (60 in Cormack et al. 2009); larger flattens the top ranks.
        dense: weight of the dense (embedding) ranking.
        keyword_short: keyword weight for queries of `short_words` words or fewer: equal to
            the dense weight, since either ranking may be the one that is right.
        keyword_long: keyword weight for queries of `long_words` words or more. With k=60,
            adjacent dense ranks near the top differ by about 1/60^2, so a first-rank keyword
            hit (weight/61) lifts a document about 60 * weight places: about one at 0.02.
            Measured on xling_dev (210 short practice texts, 30 practices x 7 languages,
            e5-small, no neutralizer), a practice's whole text as query found on average
            69.1% of its 7 language versions in the top 7 by dense ranking alone; 68.9% at
            0.02, 67.2% at 0.05, and 22.9% with plain RRF (weight 1), whose results were then
            88% in the query's language. The 22 keyword queries kept R@1 0.95 throughout.
        short_words, long_words: query lengths (words, see `tokens.estimate_words`) between
            which the keyword weight falls linearly.
        coverage_power: a keyword vote is multiplied by coverage ** this (see `fuse`). On the
            bundled demo practices, 13 probe queries of 1-5 words in 6 languages: at 1, a
            Spanish "huerto escolar compost" still put a text matching only "escolar" second
            and "media literacy fake news" a peace-mediation text third; at 2 those gave way
            to compost and disinformation practices in other languages, and one-word and
            fully matched queries do not change (coverage 1).
    """

    k: float = 60.0
    dense: float = 1.0
    keyword_short: float = 1.0
    keyword_long: float = 0.02
    short_words: float = 2.0
    long_words: float = 8.0
    coverage_power: float = 2.0

    def keyword(self, words: float) -> float:
        """Return the keyword weight for a query of `words` words."""
        if words <= self.short_words:
            return self.keyword_short
        if words >= self.long_words:
            return self.keyword_long
        share = (words - self.short_words) / (self.long_words - self.short_words)
        return self.keyword_short + share * (self.keyword_long - self.keyword_short)


def fuse(
    dense: Sequence[int], keyword: Sequence[int], words: float,
    weights: FusionWeights = FusionWeights(),  # noqa: B008 - frozen, so sharing is safe
    coverage: Sequence[float] | None = None,
) -> list[tuple[int, float]]:
    """Fuse two rankings of ids (best first) into [(id, fused score)], best first.

    `coverage`, one value in [0, 1] per keyword hit (KeywordIndex.search_with_coverage),
    scales each keyword vote by coverage ** weights.coverage_power: a text that matches one
    common word of a three-word query gets a fraction of the rank-1 vote it would get under
    plain RRF, which counts ranks only and would lift it as far as a text matching every
    word. None counts every hit fully.
    Every id of either ranking appears once. Ties go to the better dense rank (the
    language-neutral signal), then to the smaller id, so the order is deterministic.

    Raises:
        ValueError: `coverage` is not as long as `keyword`.
    """
    if coverage is None:
        coverage = [1.0] * len(keyword)
    if len(coverage) != len(keyword):
        raise ValueError("coverage needs one value per keyword hit")
    keyword_weight = weights.keyword(words)
    scores: dict[int, float] = {}
    for rank, doc_id in enumerate(dense, start=1):
        scores[doc_id] = weights.dense / (weights.k + rank)
    for rank, (doc_id, share) in enumerate(zip(keyword, coverage, strict=True), start=1):
        vote = keyword_weight * share ** weights.coverage_power
        scores[doc_id] = scores.get(doc_id, 0.0) + vote / (weights.k + rank)
    dense_rank = {doc_id: rank for rank, doc_id in enumerate(dense)}
    unranked = len(dense)
    order = sorted(scores, key=lambda d: (-scores[d], dense_rank.get(d, unranked), d))
    return [(doc_id, scores[doc_id]) for doc_id in order]
