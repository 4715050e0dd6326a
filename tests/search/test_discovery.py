"""Issue 10 in the index: the relevance floor, the passage that matched, the newest-first
order of a query's results, and similar practices that share tags."""
from __future__ import annotations

import numpy as np
import pytest

from search_index import Document, HashingEncoder, SearchIndex, SimilarWeights, embed, pieces
from search_index.balance import _passage_penalties
from search_index.chunking import PASSAGE_TOKENS
from search_index.facets import FacetTable
from search_index.floor import FLOORS, RelevanceFloor, floor_for
from search_index.short_queries import ShortQueries
from tests.search.encoders import FixedEncoder

FIELDS = ("theme", "language", "sdg_target")



def doc(doc_id, rows, text="", language="en", sdg=(), sort_key=0.0):
    rows = np.asarray(rows, np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return Document(doc_id, rows, [doc_id * 10 + i for i in range(len(rows))], text,
                    {"theme": ["esd"], "language": [language], "sdg_target": list(sdg)},
                    sort_key)


def test_results_without_evidence_are_not_found_and_not_counted():
    floor = RelevanceFloor(cosine=0.5, keyword_coverage=0.99)
    index = SearchIndex(FixedEncoder([1, 0, 0, 0]), facet_fields=FIELDS, floor=floor)
    index.upsert([doc(1, [[1, 0.2, 0, 0]], "close in meaning"),
                  doc(2, [[0.1, 1, 0, 0]], "far away"),
                  doc(3, [[0, 0, 1, 0]], "compost worms"),  # far, but holds the query's words
                  doc(4, [[0, 0, 0, 1]], "nothing at all")])
    result = index.search("compost worms")
    assert sorted(h.id for h in result.hits) == [1, 3]
    assert result.total == 2
    assert sum(result.facets["theme"].values()) == 2
    assert index.search("zzqxw blorf").total == 1  # only the close one: no words match


def test_without_a_floor_every_fused_result_counts():
    index = SearchIndex(FixedEncoder([1, 0, 0, 0]), facet_fields=FIELDS, floor=None)
    index.upsert([doc(1, [[1, 0, 0, 0]]), doc(2, [[0, 1, 0, 0]])])
    assert index.search("anything").total == 2


def test_the_floor_is_calibrated_per_model_and_only_with_neutralised_vectors():
    e5 = "intfloat/multilingual-e5-small"
    assert floor_for(e5) is FLOORS[e5, True] and floor_for(e5, neutralised=False) is None
    assert floor_for(HashingEncoder().model_id) is None
    assert SearchIndex(HashingEncoder(), facet_fields=FIELDS).floor is None


def test_the_passage_that_matched_is_named_wherever_it_sits():
    index = SearchIndex(FixedEncoder([0, 0, 1, 0]), facet_fields=FIELDS, floor=None)
    index.upsert([doc(1, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0.1, 1, 0]]),
                  doc(2, [[0, 0, 1, 0.1]])])
    hits = {h.id: h.passage for h in index.search("beehives").hits}
    assert hits == {1: 2, 2: 0}
    assert index.passage_count(1) == 3 and index.passage_count(99) == 0


def test_pieces_are_the_bodies_of_the_chunks_in_order():
    encoder = HashingEncoder(max_tokens=24)
    body = "\n\n".join(f"Paragraph {n} talks about topic {n} at some length here." for n in
                       range(6))
    found = pieces(encoder, "Title", body)
    assert len(found) > 1 and found[-1].endswith("topic 5 at some length here.")
    assert len(embed(encoder, [("Title", body)])[0]) == len(found)


def test_newest_first_lists_the_same_results_by_date():
    index = SearchIndex(FixedEncoder([1, 0, 0, 0]), facet_fields=FIELDS, floor=None,
                        short_queries=ShortQueries(documents=0))  # the query's own order
    index.upsert([doc(1, [[1, 0, 0, 0]], sort_key=1.0), doc(2, [[0.9, 0.3, 0, 0]], sort_key=3.0),
                  doc(3, [[0.8, 0.5, 0, 0]], sort_key=2.0)])
    relevance = index.search("garden")
    newest = index.search("garden", order="newest")
    assert [h.id for h in relevance.hits][0] == 1
    assert [h.id for h in newest.hits] == [2, 3, 1] and newest.total == relevance.total
    assert [h.id for h in index.search("garden", order="newest", offset=1, limit=1).hits] == [3]
    with pytest.raises(ValueError):
        index.search("garden", order="oldest")


@pytest.mark.parametrize(("tags", "first"), [(0.0, 2), (1.0, 3)])
def test_similar_practices_prefer_those_sharing_tags_among_equally_close_ones(tags, first):
    index = SearchIndex(HashingEncoder(dim=4), facet_fields=FIELDS, floor=None,
                        similar=SimilarWeights(tags=tags))
    index.upsert([doc(1, [[1, 0, 0, 0]], sdg=["12.5"]),
                  doc(2, [[1, 0.3, 0, 0]], sdg=["4.7"]),  # as close as 3; ties go to the id
                  doc(3, [[1, 0, 0.3, 0]], sdg=["12.5"]),
                  doc(4, [[0, 0, 0, 1]], sdg=["12.5"])])
    assert [h.id for h in index.similar(1, limit=2)][0] == first


def test_tag_overlap_is_jaccard_over_the_fields_given():
    table = FacetTable(FIELDS)
    table.upsert(1, {"sdg_target": ["12.5", "4.7"], "theme": ["esd"]})
    table.upsert(2, {"sdg_target": ["12.5"], "theme": ["esd"]})
    table.upsert(3, {"sdg_target": ["6.4"]})
    overlap = table.overlap(1, np.array([2, 3, 99]), ["sdg_target", "theme"])
    assert overlap.tolist() == pytest.approx([2 / 3, 0.0, 0.0])


def test_a_long_body_is_cut_into_paragraph_sized_passages_and_a_body_that_fits_is_not():
    encoder = HashingEncoder(max_tokens=512)
    fits = " ".join(f"word{i}" for i in range(300))
    long = "\n\n".join(" ".join(f"w{p}x{i}" for i in range(60)) for p in range(12))
    assert len(pieces(encoder, "Title", fits)) == 1
    cut = pieces(encoder, "Title", long)
    assert len(cut) >= 6 and all(len(encoder.token_spans(c)) <= PASSAGE_TOKENS for c in cut)


def test_a_long_documents_passages_are_not_penalised_as_a_hub_beyond_the_average():
    penalties = np.array([0.2, -0.1, 0.3, 0.2])
    row_starts = np.array([0, 1, 3, 4])  # documents of 1, 2, 1 and 3 passages (7 rows)
    assert _passage_penalties(penalties, row_starts, 7).tolist() == pytest.approx(
        [0.2, -0.1, 0.3, 0.0])
