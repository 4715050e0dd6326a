"""Uptake: a school's practice says it adapts another school's; the original counts the
schools and countries that took it up (practices.monitoring.uptake)."""
from __future__ import annotations

import pytest

from practices.errors import PermissionDenied, ValidationError
from practices.monitoring import NETWORK, country_scope
from practices.monitoring.uptake import (
    adapted_from,
    declare_adaptation,
    most_taken_up,
    parse_reference,
    uptake_of,
)
from practices.workflow import Status
from tests.factories import make_institution, make_practice, make_user

pytestmark = pytest.mark.postgres


@pytest.fixture
def world(session):
    """An original in Kenya; adaptations by two French schools and one Brazilian one (one of
    them still a draft), and one by a second practice of the same French school."""
    original = make_practice(session, institution=make_institution(session, "Nairobi", "KE"),
                             title="Compost")
    schools = [make_institution(session, f"School {c}{n}", c)
               for c, n in (("FR", 1), ("FR", 2), ("BR", 1))]
    made = {"original": original, "schools": schools,
            "fr1": make_practice(session, institution=schools[0]),
            "fr1b": make_practice(session, institution=schools[0]),
            "fr2": make_practice(session, institution=schools[1]),
            "br": make_practice(session, status=Status.DRAFT, institution=schools[2])}
    for key in ("fr1", "fr1b", "fr2", "br"):
        editor = make_user(session, "school_editor", institution=made[key].institution)
        declare_adaptation(session, made[key].id, original.id, actor=editor)
    return made


def test_uptake_counts_public_adaptations_by_school_and_country(session, world):
    found = uptake_of(session, world["original"].id)
    assert (found.schools, found.countries) == (2, 1)  # the draft does not count yet
    assert {p.id for p in found.adaptations} == {world["fr1"].id, world["fr1b"].id,
                                                 world["fr2"].id}
    assert adapted_from(session, world["fr2"].id).title == "Compost"


def test_dashboards_list_the_practices_most_taken_up(session, world):
    row = (world["original"].id, "Compost", "en", 2, 1)
    assert most_taken_up(session, country_scope("KE")) == [row]
    assert most_taken_up(session, NETWORK) == [row]
    assert most_taken_up(session, country_scope("FR")) == []


def test_a_practice_cannot_adapt_its_own_schools_or_an_unpublished_one(session, world):
    editor = make_user(session, "school_editor", institution=world["schools"][0])
    with pytest.raises(ValidationError):
        declare_adaptation(session, world["fr1"].id, world["fr1b"].id, actor=editor)
    with pytest.raises(ValidationError):
        declare_adaptation(session, world["fr1"].id, world["br"].id, actor=editor)


def test_only_the_practices_own_school_says_what_it_adapts(session, world):
    other = make_user(session, "school_editor", institution=world["schools"][1])
    with pytest.raises(PermissionDenied):
        declare_adaptation(session, world["fr1"].id, world["original"].id, actor=other)


def test_saying_nothing_removes_the_link(session, world):
    editor = make_user(session, "school_editor", institution=world["schools"][1])
    declare_adaptation(session, world["fr2"].id, None, actor=editor)
    assert adapted_from(session, world["fr2"].id) is None
    assert uptake_of(session, world["original"].id).schools == 1


@pytest.mark.parametrize("text, number", [("42", 42), (" https://x.org/practices/42 ", 42),
                                          ("/practices/42/", 42)])
def test_a_practice_is_named_by_its_number_or_its_address(text, number):
    assert parse_reference(text) == number


@pytest.mark.parametrize("text", ["", "forty-two", "https://x.org/search?q=42"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValidationError):
        parse_reference(text)
