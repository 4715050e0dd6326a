"""Filters act before ranking (the best k matching practices, never fewer), facets count the
whole result set, and the filter semantics are OR within a key, AND across keys."""
from __future__ import annotations

import pytest

from app.db import get_session
from app.search import get_search
from practices.errors import ValidationError
from practices.filters import SearchFilters
from tests.web.helpers import found_ids


def _page(app, query="", page=1, limit=10, **filters):
    with app.app_context():
        return get_search().search(get_session(), query=query,
                                   filters=SearchFilters.parse(filters), page=page, limit=limit)


def test_a_filtered_search_returns_the_best_k_matching_even_when_they_rank_low(make_app,
                                                                               add_practice):
    for n in range(12):
        add_practice(title=f"Garden club {n}", body="garden garden vegetables", themes=["esd"])
    music = [add_practice(title=f"Music exchange {n}", body="songs from partner schools",
                          themes=["intercultural"]) for n in range(4)]
    # Few dense candidates: a filter applied after ranking would find no music practice.
    app = make_app(SEARCH_CANDIDATES=3)
    assert not set(found_ids(app, "garden vegetables", limit=3)) & set(music)
    three = found_ids(app, "garden vegetables", limit=3, theme=["intercultural"])
    assert len(three) == 3 and set(three) <= set(music)


def test_facet_counts_describe_the_whole_result_set(app, add_practice):
    add_practice(themes=["esd"], levels=["primary"], language="fr", country="FR")
    add_practice(themes=["esd", "gced"], levels=["primary", "secondary"], language="fr",
                 country="SN")
    add_practice(themes=["gced"], levels=["secondary"], language="es", country="ES")
    page = _page(app, limit=1, theme=["esd"])
    assert page.total == 2 and len(page.items) == 1
    assert page.facets["theme"] == {"esd": 2, "gced": 1}
    assert page.facets["level"] == {"primary": 2, "secondary": 1}
    assert page.facets["country"] == {"FR": 1, "SN": 1}
    assert page.facets["language"] == {"fr": 2}


def test_values_of_one_filter_are_alternatives_and_filters_combine(app, add_practice):
    esd_primary = add_practice(themes=["esd"], levels=["primary"])
    gced_primary = add_practice(themes=["gced"], levels=["primary"])
    add_practice(themes=["esd"], levels=["secondary"])
    add_practice(themes=["intercultural"], levels=["primary"])
    found = found_ids(app, theme=["esd", "gced"], level=["primary"])
    assert sorted(found) == sorted([esd_primary, gced_primary])
    assert sorted(found_ids(app, theme=["esd,gced"], level=["primary"])) == sorted(found)


def test_a_language_filter_matches_regional_variants(app, add_practice):
    brazil = add_practice(language="pt-BR", country="BR")
    portugal = add_practice(language="pt", country="PT")
    add_practice(language="es", country="ES")
    assert sorted(found_ids(app, language=["pt"])) == sorted([brazil, portugal])
    assert found_ids(app, language=["pt-BR"]) == [brazil]


def test_filter_values_are_read_as_people_write_them(app, add_practice):
    practice_id = add_practice(country="FR", sdg_targets=["4.a"], pillars=[2],
                               emerging_issues=["climate"])
    add_practice(country="DE")
    assert found_ids(app, country=["fr"]) == [practice_id]
    assert found_ids(app, sdg_target=["4.A"]) == [practice_id]
    assert found_ids(app, pillar=["2"]) == [practice_id]
    assert found_ids(app, emerging_issue=["Climate"]) == [practice_id]


def test_an_unknown_filter_value_is_reported_with_its_filter(app):
    with pytest.raises(ValidationError) as caught:
        _page(app, theme=["gardening"], level=["primary"])
    assert set(caught.value.errors) == {"theme"}


def test_pages_continue_each_other_without_overlap(app, add_practice):
    made = [add_practice(title=f"Reading buddies {n}") for n in range(7)]
    first, second = _page(app, "reading buddies", limit=4), _page(app, "reading buddies",
                                                                 page=2, limit=4)
    ids = [i.practice.id for i in first.items + second.items]
    assert sorted(ids) == sorted(made)
    assert first.total == second.total == 7
    assert first.pages == 2


def test_a_listing_without_query_shows_the_newest_publication_first(app, add_practice):
    older = add_practice(title="Older")
    newer = add_practice(title="Newer")
    page = _page(app)
    assert [i.practice.id for i in page.items] == [newer, older]
    assert all(i.score is None for i in page.items)
