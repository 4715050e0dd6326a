"""Snapshots, rebuilds and verification: the index is a cache of the database that can be
restored quickly, rebuilt without stopping searches, checked, and repaired."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update

from app.db import get_session
from app.migrate import upgrade
from app.search import get_maintenance, get_search, live
from practices.models import PracticeVector, SearchChange
from search_index import HashingEncoder
from tests.web.helpers import CountingEncoder, found_ids

LONG_BODY = " ".join(f"Sentence {n} tells how pupils measured rainfall." for n in range(40))


def _verify(app, repair=False):
    with app.app_context():
        session = get_session()
        report = get_maintenance().verify(session, repair=repair)
        session.commit()
        return report


def _sql(app, statement: str, **values) -> None:
    """Change the database behind the app's back (no hooks run): drift to be found."""
    with app.app_context():
        session = get_session()
        session.execute(text(statement), values)
        session.commit()


def test_a_restarted_app_starts_from_the_snapshot_and_catches_up_without_encoding(
        app, make_app, add_practice):
    first = add_practice(title="Rain gauge network")
    assert found_ids(app, "rain gauge") == [first]  # builds the index and saves a snapshot
    second = add_practice(title="Rain garden by the gym")
    encoder = CountingEncoder()
    restarted = make_app(ENCODER=encoder)
    assert sorted(found_ids(restarted, "rain")) == sorted([first, second])
    with restarted.app_context():
        assert get_maintenance().info()["started_from_snapshot"] is True
    assert encoder.passages == 0


def test_a_snapshot_of_another_model_is_ignored_and_rebuild_reembed_recovers(app, make_app,
                                                                              add_practice):
    practice_id = add_practice(title="Tree planting day")
    assert found_ids(app, "tree planting") == [practice_id]
    other_model = make_app(ENCODER=HashingEncoder(dim=32))
    assert found_ids(other_model, "tree planting") == []  # no vectors of this model yet
    with other_model.app_context():
        assert get_maintenance().info()["started_from_snapshot"] is False
        session = get_session()
        report = get_maintenance().rebuild(session, reembed=True)
        session.commit()
    assert report.reembedded == 1 and report.missing == []
    assert found_ids(other_model, "tree planting") == [practice_id]


@pytest.mark.postgres
def test_verify_finds_a_missing_chunk_vector_and_repair_restores_it(app, add_practice):
    practice_id = add_practice(title="Rainfall diary", body=LONG_BODY)
    assert _verify(app).ok
    with app.app_context():
        last = get_session().scalar(select(PracticeVector.id).order_by(
            PracticeVector.chunk_no.desc()).limit(1))
    _sql(app, "DELETE FROM practice_vectors WHERE id = :id", id=last)
    report = _verify(app)
    assert not report.ok
    assert report.stale_vectors == [practice_id]
    assert report.db_chunks == report.index_chunks - 1
    repaired = _verify(app, repair=True)
    assert repaired.ok and repaired.repaired
    assert _verify(app).ok
    assert found_ids(app, "rainfall diary") == [practice_id]


def test_verify_finds_a_practice_without_vectors(app, add_practice):
    practice_id = add_practice(title="Pen pals")
    found_ids(app)
    _sql(app, "DELETE FROM practice_vectors WHERE practice_id = :id", id=practice_id)
    assert _verify(app).missing_vectors == [practice_id]
    assert _verify(app, repair=True).ok


@pytest.mark.postgres
def test_verify_finds_a_stale_snapshot_and_repair_rebuilds(app, make_app, add_practice):
    hidden = add_practice(title="Chess club")
    kept = add_practice(title="Chess tournament")
    found_ids(app)  # snapshot written
    _sql(app, "UPDATE practices SET status = 'submitted' WHERE id = :id", id=hidden)
    restarted = make_app()
    assert found_ids(restarted, "chess") == [kept]  # never shown, even from a stale index
    report = _verify(restarted)
    assert report.extra_in_index == [hidden]
    assert _verify(restarted, repair=True).ok


def test_a_rebuild_swaps_in_a_new_index_while_searches_go_on(app, add_practice, monkeypatch):
    practice_id = add_practice(title="Kite festival")
    found_ids(app)
    release = threading.Event()
    original = live.public_practices

    def slow_public_practices(*args, **kwargs):
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(live, "public_practices", slow_public_practices)
    with app.app_context():
        current = get_search().live(get_session())
        before = current.index
        current.rebuild_in_background()
        assert found_ids(app, "kite festival") == [practice_id]  # while the rebuild waits
        assert current.index is before
        release.set()
        current.wait_for_rebuild(10)
        assert current.index is not before
    assert found_ids(app, "kite festival") == [practice_id]


@pytest.mark.postgres
def test_a_rebuild_in_one_app_makes_the_others_rebuild_too(app, make_app, add_practice):
    hidden = add_practice(title="Origami cranes")
    other = make_app()
    found_ids(other)
    _sql(app, "UPDATE practices SET status = 'submitted' WHERE id = :id", id=hidden)
    assert _verify(other).extra_in_index == [hidden]
    with app.app_context():
        session = get_session()
        get_maintenance().rebuild(session)
        session.commit()
    with other.app_context():
        search = get_search()
        search.catch_up(get_session()).wait_for_rebuild(10)
    assert _verify(other).ok


@pytest.mark.postgres
def test_a_database_restored_to_an_earlier_state_is_noticed(app, make_app, add_practice):
    gone = add_practice(title="Bike repair workshop")
    found_ids(app)
    _sql(app, "DELETE FROM search_changes")
    _sql(app, "DELETE FROM practices WHERE id = :id", id=gone)
    assert found_ids(app) == []
    assert _verify(app).ok


def test_the_first_request_loads_search_in_the_background(make_app):
    warm = make_app(SEARCH_WARM_UP=True)
    search = warm.extensions.get("practice_search")
    assert search is None or not search.loaded  # the factory loads nothing
    warm.test_client().get("/api/v1/openapi.json")
    with warm.app_context():
        get_search().wait_until_warm(30)
        assert get_search().loaded


def test_a_snapshot_made_from_another_database_is_not_used(app, make_app, add_practice,
                                                            tmp_path):
    add_practice(title="Robotics league")
    assert len(found_ids(app, "robotics")) == 1  # snapshot written
    other_database = f"sqlite:///{tmp_path}/other.db"
    upgrade(other_database)
    other = make_app(DATABASE_URL=other_database)
    assert found_ids(other, "robotics") == []
    with other.app_context():
        assert get_maintenance().info()["started_from_snapshot"] is False


@pytest.mark.postgres
def test_a_rebuild_deletes_old_change_rows_and_every_app_still_catches_up(app, make_app,
                                                                          add_practice):
    first = add_practice(title="Old practice")
    other = make_app()
    assert found_ids(other, "practice") == [first]
    second = add_practice(title="New practice")  # not yet seen by `other`
    with app.app_context():
        session = get_session()
        session.execute(update(SearchChange).values(changed_at=datetime(2000, 1, 1, tzinfo=UTC)))
        get_maintenance().rebuild(session)
        session.commit()
        kept = session.scalars(select(SearchChange.practice_id).order_by(SearchChange.seq)).all()
        assert kept == [second, live.RESET_ALL]  # the newest old row keeps numbers unique
    with other.app_context():
        get_search().catch_up(get_session()).wait_for_rebuild(10)
    assert sorted(found_ids(other, "practice")) == sorted([first, second])
