"""The dashboards' figures (practices.monitoring) on a small network built through the services
over 2023-2025 (tests/monitoring_data.py says how each expected number comes about)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from practices.errors import PermissionDenied, ValidationError
from practices.monitoring import NETWORK, build_dashboard, country_scope, region_scope
from tests.factories import make_user
from tests.monitoring_data import clock, small_network  # noqa: F401 (fixture)

pytestmark = pytest.mark.postgres

AS_OF = datetime(2025, 12, 15, tzinfo=UTC)


@pytest.fixture
def network(session, clock):  # noqa: F811
    made = small_network(session, clock)
    session.commit()
    return made


@pytest.fixture
def curator(session):
    return make_user(session, "curator")


def france(session, actor, **options):
    return build_dashboard(session, country_scope("fr"), actor=actor, as_of=AS_OF, **options)


def test_country_dashboard_counts_institutions_by_membership_and_profile(session, network,
                                                                         curator):
    found = france(session, curator)
    assert dict(found.memberships) == {"member": 2, "applicant": 1, "suspended": 1}
    assert dict(found.member_profile["level"])["secondary"] == 1
    assert dict(found.member_profile["level"])["primary"] == 1
    assert dict(found.member_profile["locality"]) == {"urban": 1, "rural": 1}
    assert dict(found.member_profile["sector"]) == {"public": 1, "private": 1}
    assert found.quiet_total == 1
    assert [name for _, name, _ in found.quiet_members] == ["École Brel"]


def test_country_dashboard_counts_public_practices_by_tag_language_and_quarter(
        session, network, curator):
    found = france(session, curator)
    assert dict(found.by_tag["theme"]) == {"esd": 5, "gced": 3}
    assert dict(found.by_tag["pillar"]) == {"1": 6, "2": 2}
    assert dict(found.by_tag["level"]) == {"secondary": 8}
    assert dict(found.by_language) == {"fr": 6, "en": 2}
    assert found.per_quarter == [(f"{y}-Q{q}", 1) for y in (2024, 2025) for q in (1, 2, 3, 4)]
    assert found.public_total == 8


def test_pipeline_shows_each_stage_of_review(session, network, curator):
    assert dict(france(session, curator).pipeline) == {
        "submitted": 1, "changes_requested": 1, "published": 7, "promising": 1,
        "flagged_for_policy": 0}


def test_turnaround_is_median_and_90th_percentile_of_days_to_decision(session, network,
                                                                      curator):
    every_year = (datetime(2000, 1, 1, tzinfo=UTC), AS_OF)
    found = france(session, curator, period=every_year)
    assert (found.decisions, found.median_days, found.p90_days) == (9, 4.0, 8.0)
    everywhere = build_dashboard(session, NETWORK, actor=curator, as_of=AS_OF,
                                 period=every_year)
    assert (everywhere.decisions, everywhere.median_days, everywhere.p90_days) == (13, 5.0, 10.0)


def test_turnaround_without_a_period_covers_the_last_12_months(session, network, curator):
    # Since 2024-12-15: France's 2025 decisions (5, 6, 7, 8 days and the request after 3);
    # with Cairo's (10 days) for the network: median 3rd of 6 = 6, 90th pct 6th = 10.
    found = france(session, curator)
    assert (found.decisions, found.median_days, found.p90_days) == (5, 6.0, 8.0)
    everywhere = build_dashboard(session, NETWORK, actor=curator, as_of=AS_OF)
    assert (everywhere.decisions, everywhere.median_days, everywhere.p90_days) == (6, 6.0, 10.0)


def test_gaps_are_themes_pillars_and_levels_without_a_public_practice(session, network,
                                                                      curator):
    assert france(session, curator).gaps == {
        "theme": ["intercultural"], "pillar": ["3", "4"],
        "level": ["early_childhood", "primary", "tvet", "teacher_training"]}


def test_a_year_narrows_practices_and_turnaround_but_not_the_gaps(session, network, curator):
    year = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    found = france(session, curator, period=year)
    assert dict(found.by_tag["theme"]) == {"esd": 1, "gced": 3}
    assert found.public_total == 4
    # 2025's decisions: publications after 5, 6, 7, 8 days and the request after 3.
    assert (found.decisions, found.median_days, found.p90_days) == (5, 6.0, 8.0)
    assert found.gaps["theme"] == ["intercultural"]


def test_network_dashboard_adds_up_countries_into_unesco_regions(session, network, curator):
    found = build_dashboard(session, NETWORK, actor=curator, as_of=AS_OF)
    assert {c: public for c, _, public, _, _ in found.countries} == {
        "FR": 8, "KE": 2, "EG": 1, "BR": 1}
    regions = {code: (members, public, promising) for code, members, public, promising, _
               in found.regions}
    assert regions == {"africa": (1, 2, 0), "arab_states": (1, 1, 0), "asia_pacific": (0, 0, 0),
                       "europe_north_america": (2, 8, 1),
                       "latin_america_caribbean": (1, 1, 0)}
    assert found.quiet_total == 3  # École Brel, Nairobi School (2024), Escola Jorge (2023)


def test_region_dashboard_counts_only_its_countries(session, network, curator):
    found = build_dashboard(session, region_scope("africa"), actor=curator, as_of=AS_OF)
    assert found.public_total == 2
    assert [c for c, *_ in found.countries] == ["KE"]


def test_national_coordinator_sees_their_own_country_only(session, network):
    coordinator = make_user(session, "national_coordinator", country="FR")
    assert france(session, coordinator).public_total == 8
    with pytest.raises(PermissionDenied):
        build_dashboard(session, country_scope("KE"), actor=coordinator)
    with pytest.raises(PermissionDenied):
        build_dashboard(session, NETWORK, actor=coordinator)


def test_school_editors_see_no_dashboard(session, network):
    with pytest.raises(PermissionDenied):
        france(session, make_user(session, "school_editor"))


def test_unknown_country_or_region_is_a_validation_error():
    with pytest.raises(ValidationError):
        country_scope("XX")
    with pytest.raises(ValidationError):
        region_scope("atlantis")
