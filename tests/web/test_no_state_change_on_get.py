"""No route changes anything on GET: every GET route of the app is requested, as a visitor
and as each role, with real ids of a database holding practices in every workflow state, and
every table of the database reads the same afterwards (statuses, revisions, comments, audit
entries, dossiers, users, tokens, the search change sequence...)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from app.search import get_search
from practices.demo import seed_demo, seed_demo_accounts
from practices.models import Base, Practice, User
from practices.permissions import SYSTEM
from practices.services import create_token
from tests.factories import PASSWORD
from tests.web.helpers import login_as

# Values of route arguments that are not ids of the seeded database.
FIXED_VALUES = {"language": ["fr", "en"], "filename": ["site.css"],
                "token": ["not-a-token"], "name": ["none.eml"], "attachment_id": [1],
                "application_id": [1], "brief_id": [1],
                "kind": ["countries", "regions"], "code": ["FR", "africa"],
                "chart": ["themes", "countries"], "year": [2025], "part": [1, 2],
                "job_id": ["0123456789abcdef", "not-a-job!"]}


@pytest.fixture
def seeded(app):
    """The demo practices and accounts (every workflow state, a pending edit, a dossier, a
    policy note, conversation threads) and one API token per account."""
    with app.app_context():
        session = get_session()
        seed_demo(session, actor=SYSTEM)
        accounts = seed_demo_accounts(session, password=PASSWORD, actor=SYSTEM)
        secrets = [create_token(session, "tests", actor=user)[1]
                   for user in session.scalars(select(User))]
        session.commit()
        return accounts, secrets, _argument_values(session)


def _argument_values(session) -> dict[str, list]:
    """Real ids to put into routes: one practice per (status, edit pending, promoted) kind."""
    kinds = {}
    for practice in session.scalars(select(Practice).order_by(Practice.id)):
        kind = (practice.status, practice.pending_revision is not None, bool(practice.dossiers))
        kinds.setdefault(kind, practice)
    practices = list(kinds.values())
    numbers = sorted({r.number for p in practices for r in p.revisions} | {99})
    users = list(session.scalars(select(User.id)))
    return {**FIXED_VALUES, "practice_id": [p.id for p in practices] + [999_999],
            "number": numbers, "user_id": users}


def database_state(app) -> dict[str, list[str]]:
    """Return every row of every table (as text: JSON columns hold lists)."""
    with app.app_context():
        session = get_session()
        return {table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
                for table in Base.metadata.sorted_tables}


def get_urls(app, values: dict[str, list]) -> list[str]:
    """Return a URL for every GET route and every combination of its argument values."""
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods:
                continue
            missing = set(rule.arguments) - set(values)
            assert not missing, f"{rule.rule}: add values for {missing} to this test"
            for args in _combinations(sorted(rule.arguments), values):
                urls.append(url_for(rule.endpoint, **args))
    return urls


def _combinations(names: list[str], values: dict[str, list]) -> list[dict]:
    combos = [{}]
    for name in names:
        combos = [{**c, name: v} for c in combos for v in values[name]]
    return combos


@pytest.mark.postgres
def test_no_get_request_changes_the_database(app, seeded):
    accounts, secrets, values = seeded
    clients = {"visitor": app.test_client()}
    for account in accounts:
        client = app.test_client()
        assert login_as(client, _user(app, account.email)).status_code == 302
        clients[account.email] = client
    urls = get_urls(app, values)
    with app.app_context():  # loaded, as in a served process: /readyz answers 200, not 503
        get_search().live(get_session())
    before = database_state(app)

    failures = []
    for who, client in clients.items():
        for url in urls:
            with client.get(url) as response:  # closes the static files it sends
                if response.status_code >= 500:
                    failures.append((who, url, response.status_code))
    for secret in secrets:  # reading the API with a token leaves the token as it was too
        headers = {"Authorization": f"Bearer {secret}"}
        for url in (u for u in urls if u.startswith("/api/")):
            with clients["visitor"].get(url, headers=headers) as response:
                if response.status_code >= 500:
                    failures.append(("token", url))

    assert failures == []
    after = database_state(app)
    assert {t: rows for t, rows in after.items() if rows != before[t]} == {}
    assert len(urls) > 100  # every GET route, with ids of each kind of practice


def _user(app, email: str) -> User:
    with app.app_context():
        return get_session().scalar(select(User).where(User.email == email))
