"""Services that decide on a row's state, called twice at the same moment from two sessions
(two administrators, a double click): the row is locked before it is read
(practices.services.locking), so one call changes it and writes its audit entry, and the
other sees the result. On SQLite and (TEST_DATABASE_URL) on PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from practices.errors import PracticeError
from practices.models import AuditEntry, Practice, PracticeRevision, User
from practices.services import (
    create_token,
    edit_practice,
    revoke_token,
    set_active,
    set_membership,
)
from tests.concurrency import at_once, writes_wait_for_each_other
from tests.factories import make_institution, make_practice, make_user, practice_data

pytestmark = pytest.mark.postgres


def twice_at_once(app, act) -> list:
    """Run act(session) in two threads at once, each in its own session, committing when it
    returns; return each outcome: "done", or the domain error it raised."""
    sessions = app.extensions["db_sessionmaker"]

    def run():
        with app.app_context(), sessions() as session:
            try:
                act(session)
            except PracticeError as exc:
                session.rollback()
                return exc
            session.commit()
            return "done"

    with writes_wait_for_each_other(app):
        return at_once([run, run])


def made(app, make):
    with app.app_context():
        session = app.extensions["db_sessionmaker"]()
        result = make(session)
        session.commit()
        session.close()
        return result


def audited(app, action: str) -> int:
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == action))


def test_suspending_an_institution_twice_at_once_is_logged_once(app):
    school, curator = made(app, lambda s: (make_institution(s).id, make_user(s, "curator").id))

    outcomes = twice_at_once(app, lambda s: set_membership(
        s, school, "suspended", actor=s.get(User, curator), note="Inactive."))

    assert outcomes == ["done", "done"]  # the second finds it suspended: nothing to do
    assert audited(app, "set_membership") == 1


def test_deactivating_an_account_twice_at_once_is_logged_once(app):
    admin, user = made(app, lambda s: (make_user(s, "administrator").id,
                                       make_user(s, "curator").id))

    twice_at_once(app, lambda s: set_active(s, user, False, actor=s.get(User, admin)))

    assert audited(app, "set_active") == 1


def test_revoking_a_token_twice_at_once_is_logged_once(app):
    def make(session):
        user = make_user(session, "curator")
        return user.id, create_token(session, "tests", actor=user)[0].id

    user, token = made(app, make)

    twice_at_once(app, lambda s: revoke_token(s, token, actor=s.get(User, user)))

    assert audited(app, "revoke_token") == 1


def test_two_editors_editing_a_published_practice_at_once_open_one_revision(app):
    def make(session):
        school = make_institution(session)
        editors = [make_user(session, "school_editor", institution=school) for _ in range(2)]
        practice = make_practice(session, status="published", author=editors[0])
        return practice.id, [e.id for e in editors]

    practice, editors = made(app, make)
    turn = iter(editors)

    def edit(session):
        editor = session.get(User, next(turn))
        edit_practice(session, practice, practice_data(title=f"Edited by {editor.id}"),
                      actor=editor)

    outcomes = twice_at_once(app, edit)

    assert outcomes == ["done", "done"]  # the second edits the revision the first opened
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        numbers = session.scalars(select(PracticeRevision.number)
                                  .where(PracticeRevision.practice_id == practice)).all()
        assert sorted(numbers) == [1, 2]
        assert session.get(Practice, practice).status == "published"
