"""Promising practices: the rubric dossier (minimums, not applicable, evidence), its version
kept with the scores, policy notes, and the curators' list, exports and dossier page."""
from __future__ import annotations

import copy
import dataclasses

import pytest
from factories import VALID_DOSSIER, VALID_POLICY_NOTE, make_practice, make_user, practice_data

from practices import dossiers, rubric
from practices.errors import InvalidTransition, PermissionDenied, ValidationError
from practices.roles import Role
from practices.services import (
    CuratedFilters,
    curated,
    curated_rows,
    dossier_report,
    export_curated,
    flag_for_policy,
    list_curated,
    promote,
)
from practices.workflow import Status

pytestmark = pytest.mark.postgres


def dossier(**changes):
    """VALID_DOSSIER with some scores or fields changed."""
    data = copy.deepcopy(VALID_DOSSIER)
    data["scores"].update(changes.pop("scores", {}))
    data.update(changes)
    return data


@pytest.fixture
def curator(session):
    return make_user(session, Role.CURATOR)


@pytest.fixture
def published(session):
    return make_practice(session, status=Status.PUBLISHED)


def refused(session, practice, data, curator) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        promote(session, practice.id, data, actor=curator)
    assert practice.status == "published" and practice.dossiers == []
    return caught.value.errors


def test_a_complete_dossier_makes_the_practice_promising(session, published, curator):
    record = promote(session, published.id, VALID_DOSSIER, actor=curator)
    assert published.status == "promising" and published.is_public
    assert (record.rubric_version, record.total, record.maximum) == ("2026-1", 14, 18)
    assert record.curator is curator and record.revision_no == 1
    assert [(e.kind, e.source, e.date.isoformat()) for e in record.evidence] == [
        ("evaluation", "University of Lyon", "2024-05-01")
    ]


def test_each_criterion_must_reach_its_minimum(session, published, curator):
    errors = refused(session, published, dossier(scores={"impact": 1, "conditions": 0}), curator)
    assert errors == {
        "scores.impact": "1 is below the minimum of 2 for Evidence of impact",
        "scores.conditions": "0 is below the minimum of 1 for Conditions and resources needed",
    }


def test_the_total_must_reach_two_thirds_of_the_applicable_maximum(session, published, curator):
    # 2+2+1+1+1+3 = 10 of 18; each criterion at its minimum or above.
    low = {"relevance": 2, "impact": 2, "replicability": 1, "conditions": 1,
           "sustainability": 1, "participation": 3}  # fmt: skip
    errors = refused(session, published, dossier(scores=low), curator)
    assert errors == {
        "scores": "the total 10 of 18 is below the minimum of 12 "
        "(2/3 of the maximum over the applicable criteria)"
    }


def test_not_applicable_criteria_leave_the_total_and_its_minimum(session, published, curator):
    # Two criteria left out: 10 of 12 applicable points; the minimum becomes 8.
    scores = {"replicability": "na", "sustainability": "N/A", "relevance": 2, "impact": 2,
              "conditions": 3, "participation": 3}  # fmt: skip
    record = promote(session, published.id, dossier(scores=scores), actor=curator)
    assert (record.total, record.maximum) == (10, 12)
    assert record.scores["replicability"] is None and record.scores["impact"] == 2


def test_only_some_criteria_may_be_not_applicable(session, published, curator):
    errors = refused(session, published, dossier(scores={"impact": "na"}), curator)
    assert errors == {"scores.impact": "cannot be marked not applicable; score it 0-3"}


def test_scores_must_be_given_and_between_0_and_3(session, published, curator):
    data = dossier(scores={"relevance": 4, "participation": "three", "unknown": 2})
    del data["scores"]["conditions"]
    errors = refused(session, published, data, curator)
    assert set(errors) == {
        "scores.relevance", "scores.participation", "scores.unknown", "scores.conditions",
    }  # fmt: skip
    assert errors["scores.conditions"] == "is required: score it 0-3"


def test_evidence_is_required_and_typed_with_source_and_date(session, published, curator):
    assert refused(session, published, dossier(evidence=[]), curator) == {
        "evidence": "give at least one evidence item (report, evaluation, data, ...)"
    }
    bad = [{"type": "rumour", "title": "", "source": "Them", "date": "2031-01-01",
            "url": "javascript:alert(1)"}]  # fmt: skip
    errors = refused(session, published, dossier(evidence=bad, summary=""), curator)
    assert set(errors) == {
        "evidence.1.type", "evidence.1.title", "evidence.1.date", "evidence.1.url", "summary",
    }  # fmt: skip


def test_a_new_rubric_version_never_rewrites_earlier_dossiers(
    session, published, curator, monkeypatch
):
    record = promote(session, published.id, VALID_DOSSIER, actor=curator)
    stricter = dataclasses.replace(
        rubric.RUBRIC_2026_1,
        version="2027-1",
        criteria=tuple(
            dataclasses.replace(c, name=c.name.upper(), minimum=3)
            for c in rubric.RUBRIC_2026_1.criteria
        ),
    )
    versions = {**rubric.RUBRIC_VERSIONS, "2027-1": stricter}
    monkeypatch.setattr(dossiers, "RUBRIC_VERSIONS", versions)
    monkeypatch.setattr(dossiers, "CURRENT_RUBRIC_VERSION", "2027-1")
    monkeypatch.setattr(curated, "RUBRIC_VERSIONS", versions)

    report = dossier_report(session, published.id, actor=curator)
    assert record.rubric_version == "2026-1" and report.rubric.version == "2026-1"
    assert report.lines[1].criterion.name == "Evidence of impact"
    assert (report.lines[1].score, report.lines[1].label) == (2, "established")
    assert report.min_total == 12
    later = make_practice(session, status=Status.PUBLISHED)
    with pytest.raises(ValidationError, match="below the minimum of 3 for EVIDENCE OF IMPACT"):
        promote(session, later.id, VALID_DOSSIER, actor=curator)


def test_promotion_needs_a_published_practice_and_a_curator(session, curator):
    draft = make_practice(session, status=Status.SUBMITTED)
    with pytest.raises(InvalidTransition):
        promote(session, draft.id, VALID_DOSSIER, actor=curator)
    published = make_practice(session, status=Status.PUBLISHED)
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    with pytest.raises(PermissionDenied):
        promote(session, published.id, VALID_DOSSIER, actor=coordinator)
    assert published.dossiers == []


def test_flagging_for_policy_needs_a_complete_policy_note(session, curator):
    practice = make_practice(session, status=Status.PROMISING)
    with pytest.raises(ValidationError) as caught:
        flag_for_policy(session, practice.id, {"countries": "FR;Narnia"}, actor=curator)
    assert set(caught.value.errors) == {"audience", "key_message", "countries"}
    assert practice.status == "promising"
    note = flag_for_policy(session, practice.id, VALID_POLICY_NOTE, actor=curator)
    assert practice.status == "flagged_for_policy"
    assert (note.countries, note.curator) == (["FR", "SN"], curator)


def test_curators_list_filter_and_export_the_selection(session, curator):
    promising = make_practice(session, status=Status.PROMISING)
    flagged = make_practice(session, status=Status.FLAGGED_FOR_POLICY,
                            data=practice_data(themes=["gced"]))  # fmt: skip
    make_practice(session, status=Status.PUBLISHED)
    page = list_curated(session, actor=curator)
    assert [p.id for p in page.items] == [flagged.id, promising.id]
    only_flagged = CuratedFilters(status="flagged_for_policy")
    assert [p.id for p in list_curated(session, actor=curator, filters=only_flagged).items] == [
        flagged.id
    ]
    assert list_curated(session, actor=curator, filters=CuratedFilters(theme="gced")).total == 1
    records = export_curated(session, actor=curator, filters=CuratedFilters(ids=(promising.id,)))
    assert [r["id"] for r in records] == [promising.id]
    assert records[0]["dossier"]["scores"]["relevance"] == 3
    assert records[0]["policy_note"] is None


def test_the_csv_export_has_a_column_per_criterion(session, curator):
    practice = make_practice(session, status=Status.FLAGGED_FOR_POLICY)
    columns, rows = curated_rows(export_curated(session, actor=curator))
    assert "score_relevance" in columns and "score_participation" in columns
    (row,) = rows
    assert set(row) == set(columns)
    assert (row["id"], row["total"], row["policy_countries"]) == (practice.id, 14, "FR;SN")
    assert row["evidence"] == "evaluation: External evaluation (University of Lyon, 2024-05-01)"


def test_the_curated_pages_are_for_curators(session):
    coordinator = make_user(session, Role.NATIONAL_COORDINATOR, country="FR")
    with pytest.raises(PermissionDenied):
        list_curated(session, actor=coordinator)
    with pytest.raises(PermissionDenied):
        export_curated(session, actor=coordinator)
