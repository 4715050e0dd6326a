"""The demo: accounts of every role, and practices in every workflow state."""
from __future__ import annotations

import pytest
from factories import PASSWORD
from sqlalchemy import select

from practices.demo import seed_demo, seed_demo_accounts
from practices.errors import NotFound
from practices.models import Practice, User
from practices.permissions import SYSTEM
from practices.roles import Role
from practices.services import authenticate, review_queue
from practices.workflow import Status

pytestmark = pytest.mark.postgres


def test_the_demo_has_every_role_and_every_state(session):
    seed_demo(session, actor=SYSTEM)
    accounts = seed_demo_accounts(session, password=PASSWORD, actor=SYSTEM)
    assert {a.role for a in accounts} == set(Role)
    statuses = set(session.scalars(select(Practice.status)))
    assert statuses == set(Status)
    pending = [p for p in session.scalars(select(Practice)) if p.pending_revision is not None]
    assert [(p.external_id, p.status, p.pending_revision.status) for p in pending] == [
        ("demo-fr-002", "published", "submitted")
    ]
    flagged = session.scalars(select(Practice).where(Practice.status == "flagged_for_policy")).one()
    assert flagged.dossier is not None and flagged.policy_note is not None
    for account in accounts:
        assert authenticate(session, account.email, PASSWORD) is not None


def test_the_demo_coordinators_have_work_waiting(session):
    seed_demo(session, actor=SYSTEM)
    seed_demo_accounts(session, password=PASSWORD, actor=SYSTEM)
    kenya = session.scalars(select(User).where(User.country == "KE")).one()
    france = session.scalars(select(User).where(User.country == "FR")).one()
    assert len(review_queue(session, actor=kenya)) == 1
    (revision,) = review_queue(session, actor=france)
    assert revision.is_revision


def test_demo_passwords_are_generated_and_shown_once(session):
    seed_demo(session, actor=SYSTEM)
    accounts = seed_demo_accounts(session, actor=SYSTEM)
    passwords = [a.password for a in accounts]
    assert len(set(passwords)) == len(passwords) and min(map(len, passwords)) >= 15
    assert seed_demo_accounts(session, actor=SYSTEM) == []


def test_demo_accounts_need_the_demo_practices(session):
    with pytest.raises(NotFound, match="run seed_demo first"):
        seed_demo_accounts(session, actor=SYSTEM)
