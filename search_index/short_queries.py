"""Short queries: pseudo-relevance feedback, and the first results in rounds by language.

A teacher's query is often one to three words ("school garden", "校园欺凌"). The dense ranking
of such a query is weak, while the ranking of a practice's own text is strong (similar
practices: topic P@5 0.80, an on-topic practice in another language among the 5 for 0.99 of
practices, development set). Two steps use that, measured on the development set
(benchmarks/short_query_study.py; 151 practices in 16 languages among 400 unrelated English
Courier passages, 40 short queries in 13 languages; parameters chosen on the 20
even-numbered queries, the 20 odd-numbered held out; on-topic share of the top 10 / share of
the on-topic practices in other languages found in the top 10):

    before                                       0.512 / 0.479  (chosen on 0.565 / 0.504,
                                                                 held out 0.460 / 0.455)
    rounds by language alone                     0.562 / 0.541
    feedback alone (second floor 0.30)           0.570 / 0.534 (3 results, weight 1)
    both (the defaults, second floor 0.30)       0.698 / 0.690  (chosen on 0.795 / 0.767,
                                                                 held out 0.600 / 0.614)

Feedback (Rocchio, "Relevance Feedback in Information Retrieval", 1971, with the first
results taken as relevant, as in pseudo-relevance feedback): for a query of at most
`max_words` words, the query vector plus `weight` x the mean of the best passages (for the
query) of its first `documents` results is ranked again. The first results are mostly on
topic and are real practice text, which crosses languages as the practices' own texts do.
Nothing is fed back when nothing passed the relevance floor, so a nonsense query stays
without results. Feeding the results' mean vectors back instead of their best passages
scored the same; 1, 2 or 5 results and weights 0.5-1 scored lower on the chosen half; queries
of up to 2 words only 0.640 / 0.627, up to 4 or 5 words about the same as 3 but long
practices' late paragraphs were found less often (14 queries in other languages in the top
10: 13 then 12 of 14 instead of 14).

Rounds by language: the results are listed in rounds; each round takes, in rank order, the
best remaining result of each language (language group, calibration.py). Languages are
already balanced in the scores (balance.py), but a short query's top 10 was still filled by
one language: 90 of the 400 top-10 places of the 40 queries went to unrelated English
passages, and queries in English or French got their own language's off-topic practices
before on-topic ones in other languages. Rounds of 2 per language scored 0.545 / 0.522, of
3: 0.540 / 0.512 (without feedback), and moving a result down a fixed number of places per
earlier result of its language (3 to 20 places) between rounds of 3 and of 1. Within a
language the order never changes, so a search filtered to one language is unchanged.
Not kept: mixing the query with the tag reference texts (themes, SDG targets:
practices/tag_reference.py) lowered both figures (0.41-0.52); the keyword weight of short
queries (1.0 -> 0.5 / 0.25 / 0) raised them by 0.01-0.02 alone and not beside these steps;
the hubness weight and the calibration's shrinkage moved them by under 0.01.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ShortQueries:
    """How short queries are helped (module doc for the figures).

    Attributes:
        max_words: queries of at most this many words (tokens.estimate_words) get feedback.
        documents: how many first results are fed back; 0 switches feedback off.
        weight: weight of their mean best passage added to the (unit) query vector.
        language_rounds: results of one language per round (0: no rounds); rounds apply
            to every query ranked by relevance, not only to short ones.
    """

    max_words: float = 3.0
    documents: int = 3
    weight: float = 2.0
    language_rounds: int = 1

    def wants_feedback(self, words: float) -> bool:
        """True when a query of `words` words gets feedback."""
        return self.documents > 0 and words <= self.max_words


def feedback_vector(query: np.ndarray, passages: Sequence[np.ndarray],
                    weight: float) -> np.ndarray:
    """Return the unit vector of `query` + `weight` x the mean of `passages` (each (dim,)).

    Raises:
        ValueError: no passage is given.
    """
    if not len(passages):
        raise ValueError("feedback needs at least one passage")
    mixed = np.asarray(query, np.float64) + weight * np.mean(np.asarray(passages, np.float64),
                                                              axis=0)
    return (mixed / max(float(np.linalg.norm(mixed)), 1e-12)).astype(np.float32)


def in_language_rounds(ranked: Sequence[int], groups: Sequence[object],
                       per_round: int) -> list[int]:
    """Return the positions 0..n-1 of `ranked` reordered in rounds by language.

    `groups` holds each result's language group; each round takes, in rank order, at most
    `per_round` results of each group among those left. `per_round` <= 0 keeps the order.
    """
    if per_round <= 0:
        return list(range(len(ranked)))
    seen: dict[object, int] = {}
    keyed = []
    for position, group in enumerate(groups):
        count = seen.get(group, 0)
        seen[group] = count + 1
        keyed.append((count // per_round, position))
    return [position for _, position in sorted(keyed)]
