"""Rank fusion: keywords rescue short queries without overriding long descriptive ones."""
import pytest

from search_index.fusion import FusionWeights, fuse


def order(fused):
    return [doc_id for doc_id, _ in fused]


def test_keyword_weight_equals_dense_for_short_queries_and_falls_for_long_ones():
    weights = FusionWeights()
    assert weights.keyword(1) == weights.keyword(2) == weights.dense
    assert weights.keyword(12) == weights.keyword_long < weights.dense / 5
    lengths = [2, 3, 4, 5, 6, 7, 8]
    values = [weights.keyword(n) for n in lengths]
    assert values == sorted(values, reverse=True) and len(set(values)) == len(values)


def test_a_document_found_by_both_rankings_beats_one_found_by_either_alone():
    fused = fuse(dense=[1, 2, 3], keyword=[4, 2, 5], words=1)
    assert order(fused)[0] == 2


def test_every_document_of_either_ranking_appears_once():
    fused = fuse(dense=[1, 2, 3], keyword=[3, 4], words=1)
    assert sorted(order(fused)) == [1, 2, 3, 4]


def test_a_short_query_lets_the_best_keyword_hit_reach_the_top():
    fused = fuse(dense=[1, 2, 3, 4], keyword=[9], words=1)
    assert order(fused)[:2] == [1, 9]  # equal scores: the dense hit goes first


def test_a_long_query_keeps_keyword_only_hits_below_the_dense_ranking():
    dense = list(range(1, 101))
    fused = fuse(dense, keyword=[500, 501], words=12)
    assert order(fused)[:100] == dense


def test_a_long_query_moves_a_keyword_match_up_only_a_few_places():
    dense = list(range(1, 21))
    fused = order(fuse(dense, keyword=[15], words=12))
    assert 8 <= fused.index(15) < 14


def test_scores_are_weighted_reciprocal_ranks():
    weights = FusionWeights(k=60, dense=1.0, keyword_short=0.5)
    (doc_id, score), = fuse([7], [7], words=1, weights=weights)
    assert score == pytest.approx(1.0 / 61 + 0.5 / 61)


def test_order_is_deterministic_for_equal_scores():
    assert order(fuse([], keyword=[3, 1, 2], words=1)) == [3, 1, 2]
    assert order(fuse([5, 6], [6, 5], words=1)) == [5, 6]


def test_no_rankings_fuse_to_nothing():
    assert fuse([], [], words=3) == []


def test_a_keyword_hit_matching_part_of_the_query_is_lifted_less_than_a_full_match():
    dense = list(range(1, 21))
    full = order(fuse(dense, keyword=[15], words=3, coverage=[1.0]))
    partial = order(fuse(dense, keyword=[15], words=3, coverage=[0.3]))
    assert full.index(15) == 0
    assert 0 < partial.index(15) < dense.index(15)


def test_without_coverage_every_keyword_hit_counts_fully():
    dense = list(range(1, 21))
    assert fuse(dense, [15, 3], words=2) == fuse(dense, [15, 3], words=2, coverage=[1.0, 1.0])


def test_coverage_must_give_one_value_per_keyword_hit():
    with pytest.raises(ValueError, match="one value per keyword hit"):
        fuse([1, 2], keyword=[1, 2], words=2, coverage=[1.0])
