"""Bulk import and export: all or nothing, idempotent, round-trippable, few queries."""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from practices.demo import DEMO_FILE, demo_records, seed_demo
from practices.models import AuditEntry, Institution, Practice, PracticeRevision, PracticeTag
from practices.permissions import SYSTEM
from practices.records import CSV, JSONL, ImportFailed, RecordError, read_records, write_records
from practices.services import ImportReport, export_records, import_records
from practices.services.mapping import to_data
from practices.workflow import Status

FIXTURE = Path(__file__).with_name("demo_fixture.jsonl")

pytestmark = pytest.mark.postgres


def items(*records):
    return [(n, r) for n, r in enumerate(records, 1)]


def rows(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def stored(session) -> list:
    """Every practice as PracticeData, by external_id: comparable across databases."""
    practices = session.scalars(select(Practice).order_by(Practice.external_id))
    return [to_data(p) for p in practices]


def test_an_import_creates_practices_for_review(session, record):
    report = import_records(session, items(record(1), record(2)), publish=False, actor=SYSTEM)
    assert report == ImportReport(created=2, updated=0, unchanged=0)
    statuses = session.scalars(select(Practice.status)).all()
    assert statuses == [Status.SUBMITTED, Status.SUBMITTED]
    assert rows(session, Institution) == 1


def test_an_import_can_publish_directly(session, record):
    import_records(session, items(record(1)), publish=True, actor=SYSTEM)
    practice = session.scalar(select(Practice))
    assert practice.is_public and practice.published_at is not None
    assert practice.body_html.startswith("<p>Pupils of class 1 grow <em>vegetables</em>")


def test_one_bad_record_stops_the_whole_import_and_all_problems_are_listed(session, record):
    batch = [
        (1, record(1)),
        (2, record(2, title="", language="english")),
        RecordError(3, "", "is not valid JSON: Expecting value (column 1)"),
        (4, record(4, sdg_targets=["4.8"])),
    ]
    with pytest.raises(ImportFailed) as caught:
        import_records(session, batch, publish=True, actor=SYSTEM)
    assert [(e.line, e.field) for e in caught.value.record_errors] == [
        (2, "title"),
        (2, "language"),
        (3, ""),
        (4, "sdg_targets"),
    ]
    session.commit()
    assert rows(session, Practice) == 0
    assert rows(session, Institution) == 0


def test_a_repeated_external_id_in_one_file_names_both_lines(session, record):
    batch = [(1, record(1)), (2, record(2)), (7, record(1, title="Again"))]
    with pytest.raises(ImportFailed) as caught:
        import_records(session, batch, publish=False, actor=SYSTEM)
    assert caught.value.record_errors == [
        RecordError(
            7,
            "external_id",
            "'test-00001' is also on line 1; each external_id may appear once per file",
        )
    ]


def test_importing_again_updates_changed_practices_and_leaves_the_rest_alone(session, record):
    import_records(session, items(record(1), record(2), record(3)), publish=True, actor=SYSTEM)
    session.commit()
    first, second, third = session.scalars(select(Practice).order_by(Practice.external_id))
    for practice in (first, second, third):
        practice.updated_at -= timedelta(days=1)
    session.commit()
    long_ago = first.updated_at

    again = [record(1), record(2, title="Renamed"), record(3, pillars=[1, 3])]
    report = import_records(session, items(*again), publish=True, actor=SYSTEM)
    session.commit()

    assert report == ImportReport(created=0, updated=2, unchanged=1)
    assert rows(session, Practice) == 3
    assert first.updated_at == long_ago
    assert second.title == "Renamed" and second.updated_at > long_ago
    assert third.pillars == [1, 3] and third.updated_at > long_ago


def test_importing_with_publish_publishes_practices_still_under_review(session, record):
    import_records(session, items(record(1)), publish=False, actor=SYSTEM)
    report = import_records(session, items(record(1)), publish=True, actor=SYSTEM)
    assert report == ImportReport(updated=1)
    assert session.scalar(select(Practice)).status == Status.PUBLISHED


def test_importing_without_publish_never_unpublishes(session, record):
    import_records(session, items(record(1)), publish=True, actor=SYSTEM)
    report = import_records(session, items(record(1)), publish=False, actor=SYSTEM)
    assert report == ImportReport(unchanged=1)
    assert session.scalar(select(Practice)).status == Status.PUBLISHED


def test_progress_is_reported_per_record(session, record):
    calls = []
    import_records(
        session,
        items(record(1), record(2)),
        publish=False,
        on_progress=lambda done, total: calls.append((done, total)), actor=SYSTEM,
    )
    assert calls == [(1, 2), (2, 2)]


def test_the_number_of_queries_does_not_grow_with_the_file(session, sql_statements, record):
    def queries_for(numbers):
        sql_statements.clear()
        import_records(session, items(*(record(n) for n in numbers)), publish=True, actor=SYSTEM)
        session.commit()
        session.expunge_all()  # each import runs in a fresh session, as each command does
        return len([s for s in sql_statements if s.lstrip().upper().startswith("SELECT")])

    queries_for([0])  # the school exists before both measured imports, as it would in use
    assert queries_for(range(1, 6)) == queries_for(range(10, 60))


def test_export_then_import_into_an_empty_database_gives_equal_practices(session, record):
    seed_demo(session, demo_records(FIXTURE), actor=SYSTEM)
    import_records(session, items(record(1, institution="Lycée Jean Moulin")), publish=False,
                   actor=SYSTEM)
    session.commit()
    before = stored(session)
    exported = list(export_records(session, actor=SYSTEM))
    for model in (AuditEntry, PracticeTag, PracticeRevision, Practice, Institution):
        session.execute(delete(model))
    session.commit()

    report = import_records(session, items(*exported), publish=True, actor=SYSTEM)
    assert report == ImportReport(created=4)
    assert stored(session) == before


@pytest.mark.parametrize("fmt", [JSONL, CSV])
def test_an_exported_file_imports_back_unchanged(session, fmt):
    seed_demo(session, demo_records(FIXTURE), actor=SYSTEM)
    session.commit()
    stream = io.StringIO(newline="")
    write_records(export_records(session, actor=SYSTEM), stream, fmt)
    file = io.BytesIO(stream.getvalue().encode("utf-8"))
    report = import_records(session, read_records(file, fmt), publish=True, actor=SYSTEM)
    assert report == ImportReport(unchanged=3)


def test_export_can_be_limited_to_one_status(session, record):
    import_records(session, items(record(1)), publish=True, actor=SYSTEM)
    import_records(session, items(record(2)), publish=False, actor=SYSTEM)
    published = list(export_records(session, status=Status.PUBLISHED, actor=SYSTEM))
    assert [r["external_id"] for r in published] == ["test-00001"]


def test_exported_records_leave_out_empty_fields(session, record):
    import_records(session, items(record(1, summary="", year=None)), publish=True, actor=SYSTEM)
    (record,) = export_records(session, actor=SYSTEM)
    assert "summary" not in record and "year" not in record and "levels" not in record


def test_the_demo_seed_publishes_every_practice_once(session):
    assert seed_demo(session, demo_records(FIXTURE), actor=SYSTEM) == ImportReport(created=3)
    assert seed_demo(session, demo_records(FIXTURE), actor=SYSTEM) == ImportReport(unchanged=3)
    practices = session.scalars(select(Practice)).all()
    assert all(p.is_public for p in practices)
    assert {p.language for p in practices} == {"fr", "ar", "zh-Hans"}


def test_the_bundled_demo_file_imports_cleanly(session):
    report = seed_demo(session, actor=SYSTEM)
    session.commit()
    assert report.created == rows(session, Practice) > 0
    assert DEMO_FILE.is_file()
