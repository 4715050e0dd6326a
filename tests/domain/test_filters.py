"""The search filter table (practices.filters): raw values are read once, checked against the
vocabularies and code lists, and come back in the form the practices store them."""
from __future__ import annotations

import pytest

from practices.errors import ValidationError
from practices.filters import FILTERS, SearchFilters, facet_values
from practices.workflow import Status
from tests.factories import make_practice


def test_values_come_back_canonical_in_the_tables_order():
    chosen = SearchFilters.parse({
        "sdg_target": "4.A", "country": ["fr", "ke"],
        "theme": ["Education for Sustainable Development,gced"], "language": "PT_br",
    })
    assert chosen.as_lists() == {"theme": ["esd", "gced"], "country": ["FR", "KE"],
                                 "language": ["pt-BR"], "sdg_target": ["4.a"]}
    assert list(chosen.values) == [k for k in FILTERS if k in chosen]


def test_every_unknown_key_and_bad_value_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        SearchFilters.parse({"theme": "esdd", "colour": "red", "pillar": "7", "level": "primary"})
    assert set(caught.value.errors) == {"theme", "colour", "pillar"}
    assert "esdd" in caught.value.errors["theme"]
    assert "status, theme, pillar" in caught.value.errors["colour"]


def test_keys_given_without_a_value_filter_nothing():
    assert not SearchFilters.parse({"theme": "", "country": [" ", ","]})


def test_removing_one_value_keeps_the_others():
    chosen = SearchFilters.parse({"theme": "esd,gced", "country": "FR"})
    assert chosen.without("theme", "esd").as_lists() == {"theme": ["gced"], "country": ["FR"]}
    assert chosen.without("country", "FR").without("theme", "esd").without(
        "theme", "gced").as_lists() == {}


def test_a_practice_flagged_for_policy_is_also_a_promising_one(session):
    flagged = make_practice(session, status=Status.FLAGGED_FOR_POLICY)
    published = make_practice(session, status=Status.PUBLISHED)
    assert facet_values(flagged)["status"] == ["promising", "flagged_for_policy"]
    assert facet_values(published)["status"] == ["published"]
    assert set(facet_values(published)) == set(FILTERS)
