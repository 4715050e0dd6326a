"""Query-time calibration of dense scores per document language (result merging).

Even after the language neutralizer, the scores of texts in the query's own language sit
higher and spread wider: a Chinese SDG target as query gives its 10 best other Chinese
targets .57 on average against .47-.50 for those of another language, and the standard
deviation of all its scores per language is .104 against .078-.084, so near-topic texts in
the query's language outrank its own translation. Federated search meets this when merging
result lists whose scores are not comparable, and normalises per collection and per query
(z-scores: Savoy, LNCS 3237, 2004, "Combining Multiple Strategies for Effective Monolingual
and Cross-Language Retrieval"; collection baselines: Si & Callan, TOIS 21(4), 2003, "A
Semisupervised Learning Method to Merge Search Engine Results"). Each language is a collection:

    z(d) = (s(d) - mu_L) / sigma_L,   L = the language of d

mu_L, sigma_L: mean and standard deviation of the best quarter (`tail`) of this query's scores
among L's documents, the competition a match must beat. Only the documents' languages are
needed, never the query's. z is monotone within a language, so a `language=Y` search keeps
its order; across languages the best of each compete on how far they stand out.

Small languages and languages with nothing relevant: the estimates rest on k_L = ceil(tail x
n_L) scores and are shrunk toward a prior, weight k_L / (k_L + `shrinkage`) on L's own; the
prior is the median of the estimates of languages with at least `prior_min_docs` documents
(else the pooled tail of all documents). A language of one to three practices thus gets the
typical baseline: its practice rises when it scores like a match, and does not when it is
merely the best of its language (alone, a single score is its own baseline and could never
stand out). Where a language holds nothing relevant, its best document still looks better
against that language's weak competition; the shrinkage keeps that from doing harm (below).

Measured, dense only (benchmarks/balance_study.py; e5-small, default neutralizer; SDG: 169
targets x 6 UN languages, 30 ordered pairs; parameters chosen on the SDG indicators (IND,
222 x 6), not on the targets; topics / sizes: mean nDCG@10 (gain 1 same indicator in any
language, .3 same goal) over 8 indicator corpora whose languages cover different goals / keep
100 % down to 2.5 % of the texts; "raw": tatweel kept, see st_encoder.prepare):
                            SDG all@10 SDG Y@1    Y@10  xling kw@1  IND all@10 Y@1  topics sizes
                            min / mean min / mean  min  all@1       min / mean
  raw text, neutralizer     .550/.885  .840/.958  .970  .900  .955  .752/.910 .851  .820  .802
  neutralizer               .740/.921  .917/.977  .988  .900  .955  .752/.910 .851  .820  .802
  + hubness penalty         .769/.947  .953/.989 1.000  .867  .955  .788/.922 .901  .828  .808
  + calibration             .893/.971  .917/.977  .988  .933  .955  .860/.951 .851  .821  .816
  + hubness + calibration * .935/.985  .953/.989 1.000  .967  .955  .887/.961 .901  .830  .823
    with shrinkage 30       .970/.994  .953/.989 1.000  .967  .955  .923/.971 .901  .819  .828
    with tail 1 (all scores).959/.990  .953/.989 1.000  .967  .955  .905/.960 .901  .825  .825
  top-3 baseline, no scale  .964/.994  .917/.977  .988 1.000  .955  .923/.973 .851  .737  .767
xling en@1 is 1.00 in every row. Shrinkage 30 scores higher on SDG and IND but, on the topic-
skewed corpora, below no calibration (.819 against .820; hubness alone .828): languages with
nothing relevant push their best, off-topic, document up. Of 30/50/70/100/150, 100 is the
least that stays above hubness alone there. A baseline of each language's m best scores
without scale (CORI-like) puts every language's best document in the top 10 whatever it is
about (.737). Weakest pairs of the adopted ranking: all@10 zh-Hans>ar .935, fr>zh-Hans .941,
ar>zh-Hans .947; Y@1 ar>zh-Hans .953, ru>ar .964 (neutralizer alone: all@10 zh-Hans>ar .740,
Y@1 ru>ar .917). On the SDG targets' odd half as its own corpus: all@10 .917/.983, Y@1 .952.
Languages the language neutralizer does not know (not in its reference text, neutral.py:
Khmer, Lao, Turkmen, Faroese...) keep much of their language component after it, so their
baseline for a query differs from the others' far more than the prior allows: a Turkmen query
still filled 40 % of its top 26 with other Turkmen targets. Their estimates are shrunk with
`unknown_shrinkage` (10) instead: at 169 documents their own tail then weighs .81 instead of
.30, while a language of a few documents still leans on the prior (weight 1/11 for up to 4).
On the SDG targets in 26 languages (benchmarks/eval_languages.py's measure, dense only,
cached vectors): share of a query's top 26 that are its target's versions, mean of the 26
languages .790 -> .844, UN languages' minimum .814 -> .850, Turkmen .29 -> .38, Khmer .62 ->
.72, Lao .70 -> .79 (shrinkage 3: .852; 10 for every language, unknown or not: .866, but
that is the setting the topic-skewed corpora above rule out for the known ones). Corpora of
known languages only (the 6 UN languages, the development set) rank exactly as before.
Through the product's API (benchmarks/eval_crosslingual.py: titles, keyword fusion, SQLite):
SDG all@10 .923/.977, Y@1 .947/.982, Y@10 1.000, xling en@1 .967, all@1 .833, keyword
queries R@1 .95; without the tatweel step all@10 .787/.955, Y@1 .888; without this balance
.716/.883, Y@1 .870.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    """Parameters of the per-language calibration (defaults as measured in the module doc).

    Attributes:
        tail: share of each language's best scores its mean and deviation are taken over.
        shrinkage: pseudo-count of the prior in each language's estimates, in tail scores.
        prior_min_docs: languages with at least this many documents make the prior.
        unknown_shrinkage: `shrinkage` of the languages a neutralizer does not know (module
            doc); used only when the balance is told which languages it knows.
        hub_weight: weight of the hubness penalty (hubness.py) subtracted from cosine scores
            before calibrating; 0 switches it off. CSLS's weight is .5 in cosine units.
        hub_neighbours: k of the hubness penalty.
    """

    tail: float = 0.25
    shrinkage: float = 100.0
    prior_min_docs: int = 80
    unknown_shrinkage: float = 10.0
    hub_weight: float = 0.5
    hub_neighbours: int = 10


def language_group(tag: str) -> str:
    """Return the calibration group of a BCP 47 tag: language and script, region dropped.

    "pt-BR" and "pt" share a group (same language, same model behaviour); "zh-Hans" and
    "zh-Hant", or "sr-Latn" and "sr-Cyrl", do not (different scripts embed differently).
    An empty tag is "und" (RFC 5646 "undetermined").
    """
    parts = tag.replace("_", "-").casefold().split("-")
    kept = [parts[0]] + [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    return "-".join(kept) if parts[0] else "und"


@dataclass(frozen=True)
class Grouping:
    """Documents (positions 0..n-1) by group, precomputed once per index version.

    Attributes:
        codes: (n,) group index of each position.
        order: (n,) positions sorted by group; starts, sizes: each group's slice of `order`.
        shrinkage: (G,) each group's pseudo-count (Calibration.shrinkage), or None: the
            settings' `shrinkage` for every group.
    """

    codes: np.ndarray
    order: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    shrinkage: np.ndarray | None = None

    @classmethod
    def of(cls, codes: np.ndarray, shrinkage: np.ndarray | None = None) -> Grouping:
        """Group positions by their codes (any non-negative integers); `shrinkage`, if given,
        holds the pseudo-count of each code (indexed by the code itself)."""
        kinds, codes = np.unique(np.asarray(codes, np.int64), return_inverse=True)
        order = np.argsort(codes, kind="stable")
        sizes = np.bincount(codes) if len(codes) else np.zeros(0, np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        per_group = None if shrinkage is None else np.asarray(shrinkage, np.float64)[kinds]
        return cls(codes, order, starts, sizes, per_group)


def calibrate(scores: np.ndarray, grouping: Grouping,
              settings: Calibration = Calibration()) -> np.ndarray:  # noqa: B008 - frozen
    """Return the per-language z-scores (n,) float64 of one query's scores (n,).

    Raises:
        ValueError: scores and grouping differ in length.
    """
    if len(scores) != len(grouping.codes):
        raise ValueError("one score per grouped document is needed")
    if not len(scores):
        return np.zeros(0)
    mu, sigma = group_statistics(scores, grouping, settings)
    return (np.asarray(scores, np.float64) - mu[grouping.codes]) / sigma[grouping.codes]


def group_statistics(scores: np.ndarray, grouping: Grouping, settings: Calibration,
                     sizes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (mu, sigma) of each group (G,) float64, shrunk toward the prior (module doc).

    `scores` (n,) are those of the documents `grouping` groups: all of them, or a sample of
    each group whose true document counts are then given as `sizes` (G,) (the tail is
    estimated on the sample; the shrinkage and the prior weigh by the true counts).
    """
    sizes = grouping.sizes if sizes is None else np.asarray(sizes)
    ordered = np.asarray(scores, np.float64)[grouping.order]
    means, variances = np.empty(len(grouping.sizes)), np.empty(len(grouping.sizes))
    for g, (start, size) in enumerate(zip(grouping.starts, grouping.sizes, strict=True)):
        means[g], variances[g] = _tail(ordered[start : start + size], settings.tail)
    big = sizes >= settings.prior_min_docs
    if big.any():
        prior = float(np.median(means[big])), float(np.median(variances[big]))
    else:
        prior = _tail(ordered, settings.tail)
    counts = np.maximum(1, np.ceil(settings.tail * sizes))
    shrinkage = settings.shrinkage if grouping.shrinkage is None else grouping.shrinkage
    own = counts / (counts + shrinkage)
    mu = own * means + (1 - own) * prior[0]
    sigma = np.sqrt(np.maximum(own * variances + (1 - own) * prior[1], 1e-12))
    return mu, sigma


def _tail(values: np.ndarray, share: float) -> tuple[float, float]:
    """Mean and variance of the ceil(share * n) largest of `values` (n >= 1)."""
    k = max(1, int(np.ceil(share * len(values))))
    top = values if k >= len(values) else np.partition(values, len(values) - k)[-k:]
    return float(top.mean()), float(top.var())
