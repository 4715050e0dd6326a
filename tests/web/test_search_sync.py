"""Search stays in step with the database: publishing, editing, unpublishing and deleting are
seen by every app instance (worker process) on its next request, without encoding twice."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.db import get_session
from app.search import get_maintenance, get_search
from practices import Status, validate_practice
from practices.models import Practice, PracticeVector, SearchChange
from practices.permissions import SYSTEM
from practices.roles import Membership
from practices.services import create_practice, publish, update_practice
from tests.factories import practice_record
from tests.web.helpers import CountingEncoder, found_ids


def _count(app, model) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model))


def _set_status(app, practice_id: int, status: str) -> None:
    # Straight to the column: what is tested is the commit hook's reaction to any status
    # change, whichever workflow action causes it.
    with app.app_context():
        session = get_session()
        session.get(Practice, practice_id).status = status
        session.commit()


def test_a_published_practice_is_found_and_unpublished_ones_are_not(app, add_practice):
    published = add_practice(title="Rooftop beehives in the city")
    submitted = add_practice(status="submitted", title="Rooftop beehives on the gym")
    with app.app_context():
        session = get_session()
        draft = create_practice(session, validate_practice(
            practice_record(title="Rooftop beehives drafted")), status=Status.DRAFT,
            actor=SYSTEM).id
        session.commit()
    found = found_ids(app, "rooftop beehives")
    assert published in found
    assert submitted not in found and draft not in found
    assert found_ids(app) == [published]  # the listing without a query too


def test_publishing_makes_a_practice_findable_on_the_next_search(app, add_practice):
    practice_id = add_practice(status="submitted", title="Seed library run by pupils")
    assert practice_id not in found_ids(app, "seed library")
    with app.app_context():
        session = get_session()
        publish(session, practice_id, actor=SYSTEM)
        session.commit()
    assert practice_id in found_ids(app, "seed library")


def test_similar_never_offers_practices_that_are_not_public(app, add_practice):
    shown = add_practice(title="Water quality testing in the river", body="pH and nitrates")
    twin = add_practice(status="submitted", title="Water quality testing in the river",
                        body="pH and nitrates")
    with app.app_context():
        similar = get_search().similar(get_session(), shown, limit=10)
    assert twin not in [item.practice.id for item in similar]
    assert shown not in [item.practice.id for item in similar]


@pytest.mark.postgres
def test_a_commit_through_one_app_is_seen_by_another_app_without_encoding_again(make_app):
    writer_encoder, reader_encoder = CountingEncoder(), CountingEncoder()
    writer, reader = make_app(ENCODER=writer_encoder), make_app(ENCODER=reader_encoder)
    assert found_ids(reader, "hedgehog") == []  # the reader's index is loaded, and empty
    with writer.app_context():
        session = get_session()
        created = create_practice(session, validate_practice(
            practice_record(title="Hedgehog houses for the school garden")), actor=SYSTEM)
        publish(session, created.id, actor=SYSTEM)
        session.commit()
    assert writer_encoder.passages >= 1
    assert found_ids(reader, "hedgehog houses") == [created.id]
    assert reader_encoder.passages == 0  # vectors came from the database


def test_publishing_does_not_encode_the_text_again(make_app, add_practice):
    encoder = CountingEncoder()
    app = make_app(ENCODER=encoder)
    with app.app_context():
        session = get_session()
        practice_id = create_practice(session, validate_practice(practice_record()),
                                      actor=SYSTEM).id
        session.commit()
        encoded = encoder.passages
        publish(session, practice_id, actor=SYSTEM)
        session.commit()
    assert encoded >= 1
    assert encoder.passages == encoded


def test_editing_the_text_re_encodes_that_practice_only(make_app, add_practice):
    encoder = CountingEncoder()
    app = make_app(ENCODER=encoder)
    kept = add_practice(title="Recycled paper workshop")
    edited = add_practice(title="Composting corner")
    before = encoder.passages
    with app.app_context():
        session = get_session()
        record = practice_record(title="Composting corner with worms", body="Worm farm.")
        update_practice(session, edited, validate_practice(record), actor=SYSTEM)
        session.commit()
    assert encoder.passages - before == 1  # one short practice is one chunk
    assert found_ids(app, "worms")[:1] == [edited]
    assert kept in found_ids(app, "recycled paper")


def test_a_practice_that_stops_being_public_leaves_search_in_every_app(app, make_app,
                                                                        add_practice):
    practice_id = add_practice(title="Solar oven cooking class")
    other = make_app()
    assert found_ids(other, "solar oven") == [practice_id]
    _set_status(app, practice_id, Status.SUBMITTED)
    assert found_ids(other, "solar oven") == []
    assert found_ids(app, "solar oven") == []


@pytest.mark.postgres
def test_a_deleted_practice_leaves_search(app, make_app, add_practice):
    practice_id = add_practice(title="Bird counting week")
    other = make_app()
    assert found_ids(other, "bird counting") == [practice_id]
    with app.app_context():
        session = get_session()
        session.delete(session.get(Practice, practice_id))
        session.commit()
    assert found_ids(other, "bird counting") == []
    assert _count(app, PracticeVector) == 0


@pytest.mark.postgres
def test_a_rolled_back_change_leaves_no_vectors_and_no_change_record(app, add_practice):
    with app.app_context():
        session = get_session()
        create_practice(session, validate_practice(practice_record()), actor=SYSTEM)
        session.rollback()
    add_practice(title="Committed later")
    with app.app_context():
        changed = get_session().scalars(select(SearchChange.practice_id)).all()
    assert len(changed) == 1  # only the committed practice, not the rolled-back one
    assert _count(app, Practice) == 1


@pytest.mark.postgres
def test_every_touched_practice_gets_one_change_record_per_commit(app, add_practice):
    first = add_practice(status="submitted")
    second = add_practice(status="submitted")
    with app.app_context():
        session = get_session()
        before = session.scalar(select(func.max(SearchChange.seq)))
        publish(session, first, actor=SYSTEM)
        publish(session, second, actor=SYSTEM)
        session.commit()
        changed = session.scalars(
            select(SearchChange.practice_id).where(SearchChange.seq > before)).all()
    assert sorted(changed) == sorted([first, second])


def _hide_and_restore(app, practice_id: int):
    """Delete the change rows of a practice, as if its transaction had not committed yet;
    return a function that puts them back with their numbers (the late commit)."""
    with app.app_context():
        session = get_session()
        rows = session.execute(select(SearchChange.seq, SearchChange.practice_id).where(
            SearchChange.practice_id == practice_id)).all()
        session.execute(text("DELETE FROM search_changes WHERE practice_id = :p"),
                        {"p": practice_id})
        session.commit()

    def restore() -> None:
        with app.app_context():
            session = get_session()
            for seq, pid in rows:
                session.execute(text("INSERT INTO search_changes (seq, practice_id, changed_at)"
                                     " VALUES (:seq, :pid, CURRENT_TIMESTAMP)"),
                                {"seq": seq, "pid": pid})
            session.commit()

    return restore


@pytest.mark.postgres
def test_a_change_that_becomes_visible_after_a_later_one_is_still_applied(app, make_app,
                                                                           add_practice):
    reader = make_app()
    assert found_ids(reader, "club") == []
    early = add_practice(title="Early bird reading club")
    late = add_practice(title="Late night astronomy club")
    commit_early = _hide_and_restore(app, early)
    assert found_ids(reader, "club") == [late]
    commit_early()
    assert set(found_ids(reader, "club")) == {early, late}


@pytest.mark.postgres
def test_a_number_missing_for_longer_than_the_gap_time_is_given_up(app, make_app, add_practice):
    reader = make_app(SEARCH_CHANGE_GAP_SECONDS=0)
    assert found_ids(reader, "club") == []
    early = add_practice(title="Early bird reading club")
    late = add_practice(title="Late night astronomy club")
    commit_early = _hide_and_restore(app, early)
    assert found_ids(reader, "club") == [late]
    with reader.app_context():
        assert get_maintenance().info()["waiting_for_seqs"] == 0
    commit_early()
    assert found_ids(reader, "club") == [late]


@pytest.mark.postgres
def test_a_transaction_committing_after_a_later_one_is_not_missed(app, make_app, add_practice):
    if not app.config["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time: no number can commit after a higher one")
    early = add_practice(status="submitted", title="Early bird reading club")
    late = add_practice(status="submitted", title="Late night astronomy club")
    reader = make_app()
    assert found_ids(reader, "club") == []
    slow = make_app()
    with slow.app_context():
        open_transaction = get_session()
        # Publish `early` and take a sequence number, but do not commit yet.
        open_transaction.execute(text(
            "UPDATE practices SET status = 'published', published_at = now() WHERE id = :id"),
            {"id": early})
        open_transaction.execute(text(
            "INSERT INTO search_changes (practice_id, changed_at) VALUES (:id, now())"),
            {"id": early})
        with app.app_context():
            session = get_session()
            publish(session, late, actor=SYSTEM)
            session.commit()
        assert found_ids(reader, "club") == [late]
        open_transaction.commit()
    assert set(found_ids(reader, "club")) == {early, late}


def test_practices_of_a_suspended_institution_leave_search_and_come_back(app, make_app,
                                                                         add_practice):
    school = {"name": "Escuela Norte", "country": "AR"}
    practice_id = add_practice(title="Tango for beginners", institution=school, country="AR")
    other = make_app()
    assert found_ids(other, "tango") == [practice_id]
    with app.app_context():
        session = get_session()
        institution = session.get(Practice, practice_id).institution
        institution.membership = Membership.SUSPENDED
        session.commit()
        assert found_ids(other, "tango") == []
        institution.membership = Membership.MEMBER
        session.commit()
    assert found_ids(other, "tango") == [practice_id]

