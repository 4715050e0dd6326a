"""Practice services on a real, migrated database: create, edit, workflow and reads."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from practices.errors import Conflict, InvalidTransition, NotFound
from practices.models import Institution, Practice
from practices.permissions import SYSTEM
from practices.services import (
    count_practices,
    create_practice,
    get_practice,
    get_practices,
    get_public_practice,
    public_practice_ids,
    publish,
    submit,
    update_practice,
)
from practices.validation import validate_practice
from practices.workflow import Status


def data(record, n=1, **overrides):
    return validate_practice(record(n, **overrides))


def institution_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Institution))


def test_a_created_practice_is_stored_with_html_tags_and_institution(session, record):
    practice = create_practice(session, data(record, body="Hello *world* <b>"), actor=SYSTEM)
    session.commit()
    session.expunge_all()
    stored = get_practice(session, practice.id)
    assert stored.status == Status.SUBMITTED
    assert stored.body == "Hello *world* <b>"
    assert stored.body_html == "<p>Hello <em>world</em> &lt;b&gt;</p>"
    assert (stored.themes, stored.pillars, stored.sdg_targets) == (["esd"], [1], ["4.7"])
    assert (stored.institution.name, stored.institution.city) == ("Lycée Jean Moulin", "Lyon")
    assert stored.start_year == 2023
    assert stored.published_at is None


def test_a_practice_created_published_has_a_publication_time(session, record):
    practice = create_practice(session, data(record), status=Status.PUBLISHED, actor=SYSTEM)
    assert practice.is_public and practice.published_at is not None


@pytest.mark.postgres
def test_two_practices_cannot_share_an_external_id(session, record):
    create_practice(session, data(record, 1, external_id="same"), actor=SYSTEM)
    with pytest.raises(Conflict):
        create_practice(session, data(record, 2, external_id="same"), actor=SYSTEM)


@pytest.mark.postgres
def test_institutions_are_matched_by_name_regardless_of_case_accents_form_and_spaces(
    session, record
):
    first = create_practice(session, data(record, 1, institution={"name": "Lycée Jean Moulin"}),
                            actor=SYSTEM)
    decomposed = "LYCE\u0301E  jean moulin"  # É typed as E + combining accent, double space
    second = create_practice(session, data(record, 2, institution={"name": decomposed}),
                             actor=SYSTEM)
    elsewhere = create_practice(
        session, data(record, 3, country="BE", institution={"name": "Lycée Jean Moulin"}),
        actor=SYSTEM,
    )
    assert first.institution is second.institution
    assert second.institution.name == "Lycée Jean Moulin"
    assert elsewhere.institution is not first.institution
    assert institution_count(session) == 2


def test_institution_details_are_filled_in_but_never_erased(session, record):
    first = create_practice(
        session, data(record, 1, institution={"name": "Shule", "country": "TZ", "city": "Arusha"}),
        actor=SYSTEM,
    )
    create_practice(
        session,
        data(record, 2, institution={"name": "Shule", "country": "TZ", "sector": "public"}),
        actor=SYSTEM,
    )
    assert (first.institution.city, first.institution.sector) == ("Arusha", "public")


def test_an_update_replaces_content_and_moves_updated_at(session, record):
    practice = create_practice(session, data(record, title="Old"), actor=SYSTEM)
    before = practice.updated_at
    update_practice(session, practice.id, data(record, title="New", themes=["gced"], body="*b*"),
                    actor=SYSTEM)
    assert (practice.title, practice.themes, practice.body_html) == (
        "New",
        ["gced"],
        "<p><em>b</em></p>",
    )
    assert practice.updated_at > before
    assert practice.status == Status.SUBMITTED


def test_a_change_of_tags_alone_is_an_update(session, record):
    practice = create_practice(session, data(record), actor=SYSTEM)
    practice.updated_at -= timedelta(days=1)
    before = practice.updated_at
    update_practice(session, practice.id, data(record, sdg_targets=["4.7", "13.3"]), actor=SYSTEM)
    assert practice.sdg_targets == ["13.3", "4.7"]
    assert practice.updated_at > before


def test_saving_the_same_content_changes_nothing(session, record, sql_statements):
    practice = create_practice(session, data(record), actor=SYSTEM)
    session.commit()
    before = practice.updated_at
    sql_statements.clear()
    update_practice(session, practice.id, data(record, external_id=None), actor=SYSTEM)
    assert practice.updated_at == before
    assert not [s for s in sql_statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_an_update_cannot_take_another_practices_external_id(session, record):
    create_practice(session, data(record, 1), actor=SYSTEM)
    second = create_practice(session, data(record, 2), actor=SYSTEM)
    with pytest.raises(Conflict):
        update_practice(session, second.id, data(record, 2, external_id="test-00001"), actor=SYSTEM)


def test_submit_then_publish_walks_the_workflow(session, record):
    practice = create_practice(session, data(record), status=Status.DRAFT, actor=SYSTEM)
    assert submit(session, practice.id, actor=SYSTEM).status == Status.SUBMITTED
    assert practice.published_at is None
    assert publish(session, practice.id, actor=SYSTEM).status == Status.PUBLISHED
    assert practice.published_at is not None


def test_a_draft_cannot_be_published_directly(session, record):
    practice = create_practice(session, data(record), status=Status.DRAFT, actor=SYSTEM)
    with pytest.raises(InvalidTransition):
        publish(session, practice.id, actor=SYSTEM)
    assert practice.status == Status.DRAFT


def test_a_missing_practice_is_not_found(session):
    with pytest.raises(NotFound):
        get_practice(session, 999)
    with pytest.raises(NotFound):
        publish(session, 999, actor=SYSTEM)


def test_the_public_cannot_tell_an_unpublished_practice_from_a_missing_one(session, record):
    practice = create_practice(session, data(record), actor=SYSTEM)
    with pytest.raises(NotFound) as unpublished:
        get_public_practice(session, practice.id)
    with pytest.raises(NotFound) as missing:
        get_public_practice(session, practice.id + 1)
    assert str(unpublished.value) == f"practice {practice.id} does not exist"
    assert str(missing.value) == f"practice {practice.id + 1} does not exist"
    publish(session, practice.id, actor=SYSTEM)
    assert get_public_practice(session, practice.id) is practice


def test_search_hits_map_to_practices_with_one_query(session, record, sql_statements):
    ids = [create_practice(session, data(record, n), actor=SYSTEM).id for n in range(1, 6)]
    session.commit()
    session.expunge_all()
    sql_statements.clear()
    found = get_practices(session, [ids[3], ids[0], 12345])
    assert sorted(found) == [ids[0], ids[3]]
    assert [p.themes for p in found.values()] == [["esd"], ["esd"]]
    assert {p.institution.name for p in found.values()} == {"Lycée Jean Moulin"}
    assert len(sql_statements) == 1


def test_no_ids_need_no_query(session, sql_statements):
    assert get_practices(session, []) == {}
    assert sql_statements == []


def test_counts_and_public_ids(session, record):
    ids = [create_practice(session, data(record, n), actor=SYSTEM).id for n in range(1, 4)]
    publish(session, ids[2], actor=SYSTEM)
    publish(session, ids[0], actor=SYSTEM)
    assert count_practices(session) == 3
    assert public_practice_ids(session) == [ids[0], ids[2]]


@pytest.mark.postgres
def test_text_in_any_script_is_stored_and_read_back_unchanged(session, record):
    title = "مدرسة خضراء 学校菜园 בית ספר นักเรียน 🌱👩🏽‍🏫"
    practice = create_practice(
        session, data(record, title=title, language="ar", institution={"name": "مدرسة النور"}),
        actor=SYSTEM,
    )
    session.commit()
    session.expunge_all()
    stored = session.get(Practice, practice.id)
    assert stored.title == title
    assert stored.institution.name == "مدرسة النور"
    assert stored.language == "ar"
