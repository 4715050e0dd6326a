"""The review, curation and audit pages pass the basic checks every page passes: landmarks,
labelled controls, heading order, unique ids, no JavaScript; in English and in French."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from practices.demo import seed_demo, seed_demo_accounts
from practices.models import Practice, User
from practices.permissions import SYSTEM
from tests.factories import PASSWORD
from tests.web.helpers import login_as
from tests.web.html_page import accessibility_problems, parse

PAGES = [
    "/my/practices", "/my/practices/{id}", "/my/practices/{id}/edit", "/review",
    "/review/practices/{id}", "/practices/{id}/revisions", "/practices/{id}/revisions/1",
    "/practices/{id}/revisions/2", "/curation/queue", "/curation/curated",
    "/curation/practices/{id}/promote", "/curation/practices/{id}/flag",
    "/curation/practices/{id}/dossier", "/audit", "/submit",
]  # fmt: skip


@pytest.fixture
def demo_accounts(app):
    """The demo practices (every workflow state) and accounts; returns (accounts, ids)."""
    with app.app_context():
        session = get_session()
        seed_demo(session, actor=SYSTEM)
        accounts = seed_demo_accounts(session, password=PASSWORD, actor=SYSTEM)
        session.commit()
        ids = [p.id for p in session.scalars(select(Practice)) if p.status != "published"
               or p.pending_revision is not None]
        users = {a.email: session.scalar(select(User).where(User.email == a.email))
                 for a in accounts}
        return users, ids


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_workflow_page_passes_the_basic_checks(app, demo_accounts, language):
    users, ids = demo_accounts
    checked = 0
    for user in users.values():
        client = app.test_client()
        login_as(client, user)
        for page in PAGES:
            for practice_id in ids if "{id}" in page else [None]:
                url = page.format(id=practice_id)
                response = client.get(url, headers={"Accept-Language": language})
                if response.status_code != 200:
                    continue
                doc = parse(response.data)
                assert accessibility_problems(doc) == [], (user.email, url)
                assert doc.find("script") is None, url
                checked += 1
    assert checked > 100
