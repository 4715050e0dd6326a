"""Facet filters and counts as a user narrowing a search sees them."""
import numpy as np
import pytest

from search_index.facets import FacetTable

FIELDS = ("theme", "level", "language", "sdg_target")


@pytest.fixture
def table():
    table = FacetTable(FIELDS)
    table.upsert(1, {"theme": ["esd"], "level": ["primary"], "language": ["zh-Hans"]}, 10.0)
    table.upsert(2, {"theme": ["esd", "gced"], "level": ["secondary"], "language": ["zh"]}, 30.0)
    table.upsert(3, {"theme": ["gced"], "level": ["primary"], "language": ["pt-BR"],
                     "sdg_target": ["4.7", "13.3"]}, 20.0)
    table.upsert(4, {"theme": ["intercultural"], "language": ["pt"]}, 20.0)
    table.upsert(5, {"theme": ["esd"], "level": ["tvet"], "language": ["zha"]}, 5.0)
    return table


def matched(table, filters=None, excludes=None):
    return sorted(table.match(filters, excludes).tolist())


def test_values_of_one_field_widen_and_fields_narrow(table):
    assert matched(table, {"theme": ["esd", "gced"]}) == [1, 2, 3, 5]
    assert matched(table, {"theme": ["esd", "gced"], "level": ["primary"]}) == [1, 3]


def test_language_filter_matches_regional_variants_but_not_other_languages(table):
    assert matched(table, {"language": ["zh"]}) == [1, 2]
    assert matched(table, {"language": ["pt"]}) == [3, 4]
    assert matched(table, {"language": ["pt-BR"]}) == [3]
    assert matched(table, {"language": ["ZH-hans"]}) == [1]


def test_excludes_remove_documents_having_any_listed_value(table):
    assert matched(table, excludes={"theme": ["gced"]}) == [1, 4, 5]
    assert matched(table, {"level": ["primary"]}, {"sdg_target": ["4.7"]}) == [1]


def test_no_filter_or_empty_value_lists_match_everything(table):
    assert matched(table) == [1, 2, 3, 4, 5]
    assert matched(table, {"theme": []}, {"level": []}) == [1, 2, 3, 4, 5]


def test_unknown_values_match_nothing_and_unknown_fields_are_refused(table):
    assert matched(table, {"theme": ["astronomy"]}) == []
    with pytest.raises(ValueError, match="unknown facet field"):
        table.match({"colour": ["red"]})
    with pytest.raises(ValueError, match="unknown facet fields"):
        table.upsert(9, {"colour": ["red"]})


def test_counts_tally_each_value_over_the_given_documents(table):
    counts = table.counts([1, 2, 3, 999])
    assert counts["theme"] == {"esd": 2, "gced": 2}
    assert counts["level"] == {"primary": 2, "secondary": 1}
    assert counts["sdg_target"] == {"13.3": 1, "4.7": 1}
    assert list(table.counts([1, 2, 5], ["theme"])) == ["theme"]


def test_counts_list_the_most_frequent_value_first(table):
    assert list(table.counts([1, 2, 3, 4, 5])["theme"]) == ["esd", "gced", "intercultural"]


def test_updating_a_document_replaces_its_values(table):
    table.upsert(3, {"theme": ["esd"]}, 1.0)
    assert matched(table, {"theme": ["gced"]}) == [2]
    assert matched(table, {"sdg_target": ["4.7"]}) == []
    assert len(table) == 5


def test_deleted_documents_leave_filters_and_counts(table):
    table.delete([2, 999])
    assert matched(table, {"theme": ["gced"]}) == [3]
    assert table.counts(table.ids())["theme"] == {"esd": 2, "gced": 1, "intercultural": 1}
    assert 2 not in table and len(table) == 4


def test_slots_of_deleted_documents_are_reused_without_leaking_values(table):
    table.delete([1])
    table.upsert(6, {"level": ["tvet"]})
    assert matched(table, {"language": ["zh"]}) == [2]
    assert matched(table, {"level": ["tvet"]}) == [5, 6]


def test_listing_order_is_newest_sort_key_first_then_highest_id(table):
    assert table.order_by_sort_key(table.ids(), 10).tolist() == [2, 4, 3, 1, 5]
    assert table.order_by_sort_key(table.ids(), 2).tolist() == [2, 4]
    assert table.order_by_sort_key(np.array([1, 3, 4]), 2).tolist() == [4, 3]


def test_a_document_may_have_many_values_in_one_field():
    table = FacetTable(["sdg_target"])
    targets = [f"4.{i}" for i in range(1, 11)]
    table.upsert(1, {"sdg_target": targets})
    table.upsert(2, {"sdg_target": ["4.7"]})
    assert matched(table, {"sdg_target": ["4.10"]}) == [1]
    assert table.counts([1, 2])["sdg_target"]["4.7"] == 2


def test_state_round_trip_keeps_filters_counts_and_order(table):
    table.delete([4])
    arrays, names = table.state()
    copy = FacetTable.from_state(arrays, names, FIELDS)
    assert matched(copy, {"language": ["zh"]}) == [1, 2]
    assert copy.counts(copy.ids()) == table.counts(table.ids())
    assert copy.order_by_sort_key(copy.ids(), 5).tolist() == [2, 3, 1, 5]
    copy.upsert(7, {"theme": ["esd"]}, 99.0)
    assert copy.order_by_sort_key(copy.ids(), 1).tolist() == [7]


def test_growing_past_the_initial_capacity_keeps_every_document():
    table = FacetTable(["theme"])
    for doc_id in range(100):
        table.upsert(doc_id, {"theme": ["esd" if doc_id % 2 else "gced"]}, float(doc_id))
    assert len(table.match({"theme": ["esd"]})) == 50
    assert table.counts(range(100))["theme"] == {"esd": 50, "gced": 50}
