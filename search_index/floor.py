"""The relevance floor: which results of a query, or similar practices, count as found.

Rank fusion orders everything it is given, so before this floor every search "found" a
hundred practices, nonsense queries included ("zzqxw blorf": 59 practices found). A result
now counts only with evidence of its own:

    dense    the cosine between the query and its best passage, on the neutralised
             vectors (neutral.py: the language component removed, so the same evidence is
             asked of every language), reaches `cosine`; or
    keyword  its text holds the query's words: keyword coverage (the idf-weighted share of
             the query's terms it contains, keywords.py) reaches `keyword_coverage`.

Not the language-calibrated z-score that ranks (balance.py): it says how far a result stands
out among this query's scores, and the best of a flat list stands out too. On the
development set (benchmarks/floor_study.py) nonsense queries ("zzqxw blorf", "asdfgh",
emoji, "ффывап", "ذذذذ ضصث", "blah blah blah"...) had best z-scores of 2.6-6.9, as high as
relevant results (median 5.3), while their best passage cosines were 0.15-0.26 against
0.26 and more for 95 % of the on-topic results of real queries.

A short query's second ranking (pseudo-relevance feedback, short_queries.py) adds a third kind
of evidence, once the query itself found something:

    feedback the cosine between the feedback vector (the query mixed with the passages of its
             first results) and the result's best passage reaches `feedback_cosine`.

Similar practices use the dense part alone, with the practice's whole text (its mean passage
vector) as the query.
One definition for the search page, the API and similar practices (SearchIndex.search and
SearchIndex.similar apply it; the web layer only reports what passed).

e5 scores are compressed and model-specific (docs: models.md), so a floor is calibrated per
model and stored with its id (FLOORS); a model without a calibrated floor (the hashing
encoder of the tests) gets none and every fused result counts, as before.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelevanceFloor:
    """Evidence a result needs to count as found (module doc).

    Attributes:
        cosine: least cosine between the query and the result's best passage (neutralised
            vectors, `query: ` and `passage: ` prompts).
        keyword_coverage: least keyword coverage, in [0, 1], that counts on its own.
        feedback_cosine: least cosine between a short query's feedback vector and the
            result's best passage that counts on its own (short_queries.py); None: only the
            query's own evidence counts.
    """

    cosine: float
    keyword_coverage: float
    feedback_cosine: float | None = None

    def passes(self, cosine: float, coverage: float | None,
               feedback: float | None = None) -> bool:
        """True when a query's result whose best passage has `cosine` with the query, and
        keyword coverage `coverage` (None: not a keyword hit), counts as found; `feedback`:
        its best passage's cosine with the query's feedback vector, if there is one."""
        return (cosine >= self.cosine
                or (coverage is not None and coverage >= self.keyword_coverage)
                or (feedback is not None and self.feedback_cosine is not None
                    and feedback >= self.feedback_cosine))


# Calibrated on the development set (benchmarks/devset, benchmarks/floor_study.py --cosine,
# 551 texts with 128-token passages for long practices): the best passage cosines of 13
# nonsense queries were 0.15-0.260, so the floor is just above; it keeps 298 of the 324
# on-topic results of the 57 real queries' top 10s (92 %) and 192 of the 246 off-topic ones.
# Similar practices: 2 % of the on-topic ones in a practice's 5 had a cosine under 0.267.
# Keyword coverage 0.5 (a text holding the query's rarer half of words): at 0.99 one of the
# 22 xling keyword queries lost its answer (a Swahili one-word match the model misses, the
# reason keyword search is there), at 0.5 none (R@1 1.00); nonsense queries match no word.
# Feedback cosine 0.30 (benchmarks/short_query_study.py, 40 short queries): the feedback
# vector's cosines are higher than a query's (most of it is passage text); at 0.30 the median
# query counts 38 of the 551 texts as found (16 before feedback), holding 0.83 of the on-topic
# practices (0.58 before) at a precision of 0.28 (0.47 before). 0.25 scored 0.015 higher on
# the top 10 of the queries parameters were chosen on but counted 71 found (precision 0.17);
# 0.35: 22 found, precision 0.40, recall 0.73, top 10 0.02 lower (0.04 on the chosen half).
FLOORS: dict[tuple[str, bool], RelevanceFloor] = {
    ("intfloat/multilingual-e5-small", True): RelevanceFloor(
        cosine=0.265, keyword_coverage=0.5, feedback_cosine=0.30),
}


def floor_for(model_id: str, neutralised: bool = True) -> RelevanceFloor | None:
    """The floor calibrated for `model_id` with or without the language neutralizer, or
    None when none was."""
    return FLOORS.get((model_id, neutralised))
