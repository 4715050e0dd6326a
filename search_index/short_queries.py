"""Short queries: pseudo-relevance feedback, and the results in rounds by language.

A teacher's query is often one to three words ("school garden", "校园欺凌"). The dense ranking
of such a query is weak, while the ranking of a practice's own text is strong (similar
practices on the development set: topic P@5 0.80, an on-topic practice in another language
among the 5 for 0.99 of practices). Two steps use that. Measured on the development set
(benchmarks/short_query_study.py on the index eval_devset.py builds: 151 practices in 16
languages among 400 unrelated English Courier passages, 40 short queries in 13 languages),
as on-topic share of the top 10 / share of the on-topic practices in other languages found
in the top 10; parameters were chosen on the 20 even-numbered queries, the 20 odd-numbered
ones are held out:

                                           all 40          chosen on       held out
    before                                 0.512 / 0.479   0.565 / 0.504   0.460 / 0.455
    rounds by language alone               0.562 / 0.541   0.625 / 0.585   0.500 / 0.496
    feedback alone                         0.552 / 0.509   0.605 / 0.530   0.500 / 0.487
    both (the defaults)                    0.698 / 0.690   0.795 / 0.767   0.600 / 0.614

Together they do more than apart: the first results fed back are then of several languages.
Long queries' late paragraphs (14 queries in other languages) stay found, median rank 4, all
in the top 10; nonsense queries still find nothing. Cost: a short query's dense ranking is
computed twice (balance.py gives its cost; the query is encoded once).

Feedback (Rocchio, "Relevance Feedback in Information Retrieval", 1971, taking the first
results as relevant, as pseudo-relevance feedback does): for a query of at most `max_words`
words, the unit query vector plus `weight` x the mean of the best passages (for the query)
of its first `documents` results is ranked again, with the query's own keyword hits. Its
results count when they pass the relevance floor with the query's evidence or with the
feedback vector's (floor.py: feedback_cosine); nothing is fed back when nothing passed the
floor, so a query that matches nothing well still finds nothing. Under the query's own floor
alone, feedback changed little (0.50-0.53 on-topic): the floor had already decided which
16 texts (median) were found. With rounds, on the chosen half: 3 results at weight 2 scored
best (0.795 / 0.767; 1, 2, 5 or 8 results at weights 0.5-2, or 3 at 0.5 or 1: 0.690-0.775
/ 0.643-0.745); the
results' mean vectors instead of their best passages 0.693 / 0.685 over all; feedback for
queries of up to 2 words 0.640 / 0.627, up to 4 or 5 words 0.700-0.703 but one then two of
the 14 late-paragraph queries fell out of the top 10.

Rounds by language: each round takes, in rank order, the best remaining result of each
language (its language group, calibration.py). The scores are already balanced between
languages (balance.py), but a short query's top 10 was still filled by one language: 90 of
the 400 top-10 places went to the unrelated English passages, and queries in English or
French got off-topic practices of their own language before on-topic ones in other
languages. With feedback, rounds of 2 per language scored 0.637 / 0.616; moving a result
down a fixed number of places per earlier result of its language (3 to 20 places) 0.650-
0.695 / 0.619-0.688; rounds for short queries only 0.685 / 0.677. The order within a
language never changes, so a search filtered to one language keeps its order. The price: a
language with nothing on the query's topic shows its best result anyway, if it passes the
floor (88 of the 400 top-10 places held off-topic practices, 59 before; Courier passages 33,
90 before).

Not kept: mixing the query with the closest tag reference texts (themes, emerging issues,
pillars, SDG targets or Goals: practices/tag_reference.py): 0.41-0.52 on-topic, none above
0.518; the keyword weight of short queries (1.0 -> 0, 0.25, 0.5): +0.01-0.02 alone and
+0.002 / +0.008 beside these steps at 0, not worth losing the keyword rescue of a Swahili
one-word query (fusion.py); the hubness weight and the calibration's shrinkage (balance.py):
within 0.01 or lower; the query encoded with the passage prompt: 0.382 / 0.344.
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
        named_at_most: when at most this many results hold every word of the query, the
            query names them (a rare word from a title, a code) rather than a topic, and
            they keep their ranks while the rounds fill the other places; when more do,
            the words are common ones and the rounds order every result. The first
            ranking, whose first results are fed back, is always in rounds. Measured on the
            development set's 40 short queries (on-topic share of the top 10 / other-language
            on-topic practices found), against 0.698 / 0.690 with no such rule: keeping every
            such result in place 0.662 / 0.642; at most 10, 0.665 / 0.646; at most 10 and
            the first ranking in rounds 0.685 / 0.670; at most 3 so, 0.693 / 0.683. 10 is
            kept: a page of practices named by their words (benchmarks/load_faults.py
            publishes several practices under one rare word and must find each).
        named_share: ... and when they are at most this share of the collection (`names`).
    """

    max_words: float = 3.0
    documents: int = 3
    weight: float = 2.0
    language_rounds: int = 1
    named_at_most: int = 10
    named_share: float = 0.01

    def names(self, holding: int, collection: int) -> bool:
        """True when `holding` texts that hold every word of a query, in a collection of
        `collection` texts, are named by it: few (at most `named_at_most`) and rare (at most
        `named_share` of the collection; in a small collection every word is rare, and a
        topic's words such as "school garden" would then pin their texts)."""
        return 0 < holding <= min(self.named_at_most, self.named_share * collection)

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


def in_language_rounds(groups: Sequence[object], per_round: int,
                       kept: Sequence[bool] = ()) -> list[int]:
    """Return the positions 0..n-1 of a ranking reordered in rounds by language.

    `groups` holds the language group of each result, best first; each round takes, in rank
    order, at most `per_round` results of each group among those left. A position whose
    `kept` flag is true (a result holding every word of the query) stays where it is, and
    the rounds fill the other places: rounds give languages a place, never one above a text
    that matches the query word for word (a teacher typing a word from a title must find
    that practice at the rank its match earned). `per_round` <= 0 keeps the order.
    """
    if per_round <= 0:
        return list(range(len(groups)))
    pinned = [bool(k) for k in kept] + [False] * (len(groups) - len(kept))
    seen: dict[object, int] = {}
    keyed = []
    for position, group in enumerate(groups):
        if pinned[position]:
            continue
        count = seen.get(group, 0)
        seen[group] = count + 1
        keyed.append((count // per_round, position))
    moving = iter(position for _, position in sorted(keyed))
    return [position if pinned[position] else next(moving) for position in range(len(groups))]
