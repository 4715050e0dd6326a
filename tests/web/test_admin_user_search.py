"""The administrators' user search finds people by name whatever the script, the case and the
Unicode spelling (composed or decomposed), on SQLite and PostgreSQL (issue 8); names written
decomposed before migration 0010 are found too."""
from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from app.db import get_session
from app.migrate import upgrade
from practices.models import User
from practices.permissions import SYSTEM
from practices.services import create_user, list_users
from tests.factories import PASSWORD
from tests.test_migration_data import url  # noqa: F401 - the scratch database fixture
from tests.web.helpers import committed, login_as
from tests.web.html_page import parse

NAMES = ["Zoë Ærø", "Łukasz Żółć", "Ōsaka Tarō", "Ελένη Παπαδοπούλου", "Иван Петров",
         "Nguyễn Thị Hằng", "Straße Weiß"]
PREVIOUS_HEAD = "3805386cda7a"


def nfd(text_: str) -> str:
    return unicodedata.normalize("NFD", text_)


def _accounts(app, names):
    def make(session):
        for n, name in enumerate(names):
            create_user(session, f"person-{n}@test.example", "curator", password=PASSWORD,
                        name=name, actor=SYSTEM)

    committed(app, make)


def _found(client, query: str) -> list[str]:
    doc = parse(client.get("/admin/users", query_string={"q": query}).data)
    body = doc.find_all("tbody")
    return [a.text for a in body[0].find_all("a")] if body else []


@pytest.fixture
def admin_client(app, client, make_account):
    login_as(client, make_account("administrator"))
    return client


@pytest.mark.postgres
@pytest.mark.parametrize("index", range(len(NAMES)))
def test_a_name_is_found_in_any_case_and_any_unicode_spelling(app, admin_client, index):
    _accounts(app, NAMES)
    name, email = NAMES[index], f"person-{index}@test.example"
    word = name.split()[-1]
    for query in (word, word.upper(), word.lower(), nfd(word), nfd(word.upper()), name):
        assert _found(admin_client, query) == [email], query


@pytest.mark.postgres
def test_a_name_given_decomposed_is_stored_composed_and_found_both_ways(app, admin_client):
    _accounts(app, [nfd("Zoë Ærø")])
    with app.app_context():
        stored = get_session().scalar(select(User.name).where(User.email.like("person-%")))
    assert stored == "Zoë Ærø" and unicodedata.is_normalized("NFC", stored)
    assert _found(admin_client, "zoë") == ["person-0@test.example"]
    assert _found(admin_client, nfd("ZOË")) == ["person-0@test.example"]


@pytest.mark.postgres
def test_wildcards_typed_in_the_search_box_are_plain_characters(app, admin_client):
    _accounts(app, ["Ana", "Bo"])
    assert _found(admin_client, "%") == []
    assert _found(admin_client, "_") == []


@pytest.mark.postgres
def test_names_stored_decomposed_before_the_migration_are_found_after_it(url):  # noqa: F811
    upgrade(url, PREVIOUS_HEAD)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (email, name, password_hash, role, active, session_version, "
            "created_at) VALUES (:email, :name, 'x', 'curator', :active, 1, :now)"), [
            {"email": "zoe@test.example", "name": nfd("Zoë Ærø"), "active": True,
             "now": datetime(2025, 3, 1, tzinfo=UTC)},
            {"email": "ivan@test.example", "name": "Иван", "active": True,
             "now": datetime(2025, 3, 1, tzinfo=UTC)},
        ])
    upgrade(url)
    with Session(engine) as session:
        admin = create_user(session, "admin@test.example", "administrator", password=PASSWORD,
                            actor=SYSTEM)
        for query, email in (("ZOË", "zoe@test.example"), (nfd("zoë"), "zoe@test.example"),
                             ("иван", "ivan@test.example")):
            page = list_users(session, actor=admin, query=query)
            assert [u.email for u in page.items] == [email], query
        zoe = session.scalar(select(User).where(User.email == "zoe@test.example"))
        assert zoe.name == "Zoë Ærø"  # recomposed by the migration
    engine.dispose()
