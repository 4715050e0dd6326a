"""Helpers of the web tests: data made through tests.factories in its own committed session,
what the database holds about a practice, signing in through the real form, the workflow
forms posted the way the pages post them, searching, and an encoder that counts its work."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.db import get_session
from app.review.actions import ACTION_ENDPOINTS
from app.search import get_search
from practices.filters import SearchFilters
from practices.models import AuditEntry, Practice, ReviewComment, User
from search_index import HashingEncoder
from tests.factories import PASSWORD, make_institution, make_practice, make_user


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


def practice_adder(app):
    """Return add(status="published", **options) -> id: new_practice on `app`."""

    def add(status: str = "published", **options) -> int:
        return new_practice(app, status, **options)

    return add


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
    """Post a workflow action's form as its page does (CSRF token from the page if needed),
    confirmed as its confirmation page would (app/confirm.py; pass confirmed="" to be asked)."""
    from flask import url_for

    with client.application.test_request_context():
        url = url_for(ACTION_ENDPOINTS[action], practice_id=practice_id)
    data = {"expected_status": expected, "note": note, "confirmed": "yes", **form}
    return client.post(url, data=data)


def flashes(doc) -> str:
    """Return the text of every flash message of a page, joined."""
    return " ".join(f.text for f in doc.find_all("div", class_="flash"))


def _count(session, model, column, value) -> int:
    return session.scalar(select(func.count()).select_from(model).where(column == value))


class CountingEncoder(HashingEncoder):
    """The test encoder, counting the texts it encodes (`passages`, `queries`) and its calls
    to encode passages (`batches`)."""

    def __init__(self) -> None:
        super().__init__()
        self.passages = 0
        self.queries = 0
        self.batches = 0

    def encode_passages(self, texts, **kwargs):
        self.passages += len(texts)
        self.batches += 1
        return super().encode_passages(texts, **kwargs)

    def encode_queries(self, texts):
        self.queries += len(texts)
        return super().encode_queries(texts)


def found_ids(app, query: str = "", limit: int = 50, **filters) -> list[int]:
    """Return the ids a search through `app`'s search reader finds, best first."""
    with app.app_context():
        page = get_search().search(get_session(), query=query,
                                   filters=SearchFilters.parse(filters), limit=limit)
        return [item.practice.id for item in page.items]


_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')


def csrf_token(client, path: str = "/auth/login") -> str:
    """Return the CSRF token in a form of the page at `path` ("" when CSRF checks are off)."""
    field = _CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    value = _VALUE.search(field.group(0)) if field else None
    return value.group(1) if value else ""


def login_as(client, user, password: str = PASSWORD, **form):
    """Sign `user` in on `client` through the real sign-in form; return the response.

    Sends the form's CSRF token, so it works whether CSRF checks are on or off.
    """
    data = {"email": user.email, "password": password, **form}
    data.setdefault("csrf_token", csrf_token(client))
    return client.post("/auth/login", data=data)


def logout(client):
    """Sign out through the sign-out button's form; return the response."""
    return client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
