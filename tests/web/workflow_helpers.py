"""Helpers of the review and curation page tests: data made through tests.factories in its own
committed session, what the database holds about a practice, and the workflow forms posted the
way the pages post them."""
from __future__ import annotations

from sqlalchemy import func, select

from app.db import get_session
from app.review.actions import ACTION_ENDPOINTS
from practices.models import AuditEntry, Practice, ReviewComment, User
from tests.factories import make_institution, make_practice, make_user


def committed(app, make):
    """Run make(session) in its own app context, commit, and return what it returned."""
    with app.app_context():
        session = get_session()
        made = make(session)
        session.commit()
        return made


def new_practice(app, status="published", **options) -> int:
    """Return the id of a practice walked to `status` by tests.factories.make_practice."""
    return committed(app, lambda s: make_practice(s, status=status, **options).id)


def new_user(app, role: str, **options) -> User:
    """Return a committed account (detached; its scalar attributes stay readable)."""
    return committed(app, lambda s: make_user(s, role, **options))


def school_and_editor(app, country: str = "FR"):
    """Return (institution id, its school editor) of a new certified member school."""

    def make(session):
        institution = make_institution(session, country=country)
        return institution.id, make_user(session, "school_editor", institution=institution)

    return committed(app, make)


def practice_state(app, practice_id: int) -> dict:
    """Return what a person could notice about a practice: statuses, revisions, thread, log."""
    with app.app_context():
        session = get_session()
        practice = session.get(Practice, practice_id)
        return {
            "status": practice.status,
            "review_status": practice.review_status,
            "title": practice.title,
            "revisions": [(r.number, r.status) for r in practice.revisions],
            "comments": _count(session, ReviewComment, ReviewComment.practice_id, practice_id),
            "audit": _count(session, AuditEntry, AuditEntry.practice_id, practice_id),
        }


def audit_actions(app, practice_id: int) -> list[str]:
    """Return the actions the audit log holds about a practice, oldest first."""
    with app.app_context():
        stmt = (select(AuditEntry.action).where(AuditEntry.practice_id == practice_id)
                .order_by(AuditEntry.id))
        return list(get_session().scalars(stmt))


def post_action(client, practice_id: int, action: str, expected: str, note: str = "", **form):
    """Post a workflow action's form as its page does (CSRF token from the page if needed)."""
    from flask import url_for

    with client.application.test_request_context():
        url = url_for(ACTION_ENDPOINTS[action], practice_id=practice_id)
    data = {"expected_status": expected, "note": note, **form}
    return client.post(url, data=data)


def flashes(doc) -> str:
    """Return the text of every flash message of a page, joined."""
    return " ".join(f.text for f in doc.find_all("div", class_="flash"))


def _count(session, model, column, value) -> int:
    return session.scalar(select(func.count()).select_from(model).where(column == value))
