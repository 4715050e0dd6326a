"""Short queries (search_index/short_queries.py): pseudo-relevance feedback finds what the
query's first results are close to, never for a query that found nothing, and results come
in rounds by language without changing the order within one language."""
from __future__ import annotations

import numpy as np
import pytest

from search_index import Document, SearchIndex
from search_index.floor import RelevanceFloor
from search_index.short_queries import ShortQueries, feedback_vector, in_language_rounds
from tests.search.encoders import FixedEncoder

FIELDS = ("theme", "language")
FLOOR = RelevanceFloor(cosine=0.5, keyword_coverage=0.99, feedback_cosine=0.45)



def doc(doc_id, row, language="en", text=""):
    row = np.asarray([row], np.float32)
    return Document(doc_id, row / np.linalg.norm(row), [doc_id * 10], text,
                    {"theme": ["esd"], "language": [language]}, 0.0)


def garden_index(query=(1, 0, 0, 0), **settings):
    """An English practice close to the query, a French one close to it but not to the
    query, and an unrelated German one."""
    index = SearchIndex(FixedEncoder(query), facet_fields=FIELDS, floor=FLOOR, **settings)
    index.upsert([doc(1, [0.8, 0.6, 0, 0], "en"), doc(2, [0.1, 1, 0, 0], "fr"),
                  doc(3, [0, 0, 1, 0], "de")])
    return index


def test_a_short_query_finds_what_its_first_result_is_close_to_in_another_language():
    assert [h.id for h in garden_index().search("school garden").hits] == [1, 2]
    without = garden_index(short_queries=ShortQueries(documents=0)).search("school garden")
    assert [h.id for h in without.hits] == [1] and without.total == 1


def test_a_longer_query_gets_no_feedback():
    found = garden_index().search("how our school garden feeds the canteen all year")
    assert [h.id for h in found.hits] == [1]


def test_a_query_that_found_nothing_is_not_fed_back():
    index = garden_index(query=(0, 0, 0, 1))
    assert index.search("zzqxw").total == 0


def test_first_results_come_in_rounds_by_language():
    index = SearchIndex(FixedEncoder([1, 0, 0, 0]), facet_fields=FIELDS, floor=None,
                        short_queries=ShortQueries(documents=0))
    index.upsert([doc(1, [1, 0.1, 0, 0], "en"), doc(2, [1, 0.2, 0, 0], "en"),
                  doc(3, [1, 0.3, 0, 0], "en"), doc(4, [1, 0.6, 0, 0], "fr-CA"),
                  doc(5, [1, 0.7, 0, 0], "fr")])
    assert [h.id for h in index.search("garden").hits] == [1, 4, 2, 5, 3]
    only_english = index.search("garden", filters={"language": ["en"]})
    assert [h.id for h in only_english.hits] == [1, 2, 3]


def test_texts_holding_the_query_word_keep_their_ranks_ahead_of_the_rounds():
    # Two English practices carry the word a teacher copied from a title; four practices in
    # other languages are close in meaning only. Rounds would put the second English match
    # after the best of every other language (found 6th, off a first page of 5).
    index = SearchIndex(FixedEncoder([1, 0, 0, 0]), facet_fields=FIELDS, floor=None,
                        short_queries=ShortQueries(documents=0, named_share=1.0))
    index.upsert([doc(1, [1, 0.1, 0, 0], "en", "compost diary zqxbvjk"),
                  doc(2, [1, 0.2, 0, 0], "en", "compost diary zqxbvjk"),
                  doc(3, [1, 0.3, 0, 0], "fr"), doc(4, [1, 0.3, 0, 0], "de"),
                  doc(5, [1, 0.3, 0, 0], "es"), doc(6, [1, 0.3, 0, 0], "ar")])
    assert [h.id for h in index.search("zqxbvjk", limit=2).hits] == [1, 2]


def test_words_name_texts_only_when_few_and_rare_in_the_collection():
    rule = ShortQueries()
    assert rule.names(2, 1_000) and rule.names(10, 100_000)
    assert not rule.names(11, 100_000)  # a topic's words, in a large collection
    assert not rule.names(2, 60)  # in a small collection every word is rare
    assert not rule.names(0, 1_000)


def test_kept_positions_stay_and_the_rounds_fill_the_rest():
    order = in_language_rounds(["en", "en", "en", "fr", "de"], 1, [False, True])
    assert order == [0, 1, 3, 4, 2]


def test_without_rounds_the_closest_language_fills_the_first_places():
    index = SearchIndex(FixedEncoder([1, 0, 0, 0]), facet_fields=FIELDS, floor=None,
                        short_queries=ShortQueries(documents=0, language_rounds=0))
    index.upsert([doc(1, [1, 0.1, 0, 0], "en"), doc(2, [1, 0.2, 0, 0], "en"),
                  doc(3, [1, 0.6, 0, 0], "fr")])
    assert [h.id for h in index.search("garden").hits] == [1, 2, 3]


def test_rounds_keep_the_order_within_each_language():
    order = in_language_rounds(["en", "en", "en", "fr", "ar", "fr"], 2)
    assert order == [0, 1, 3, 4, 5, 2]
    assert in_language_rounds(["en", "en"], 0) == [0, 1]


def test_the_feedback_vector_leans_toward_the_passages_fed_back():
    query = np.array([1, 0, 0], np.float32)
    mixed = feedback_vector(query, [np.array([0, 1, 0], np.float32)], 2.0)
    assert np.linalg.norm(mixed) == pytest.approx(1.0)
    assert mixed[1] > mixed[0] > 0
    with pytest.raises(ValueError):
        feedback_vector(query, [], 1.0)


def test_feedback_evidence_counts_only_where_the_floor_has_a_level_for_it():
    assert FLOOR.passes(0.1, None, feedback=0.5)
    assert not FLOOR.passes(0.1, None, feedback=0.4)
    assert not RelevanceFloor(cosine=0.5, keyword_coverage=0.99).passes(0.1, None, 0.9)
