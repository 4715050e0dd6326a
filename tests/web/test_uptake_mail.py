"""The original's school hears of it when another school says it adapted its practice (once,
however often the adapting school saves the same answer)."""
from __future__ import annotations

import pytest

from app.db import get_session
from app.mail.delivery import deliver_pending
from tests.factories import make_institution, make_practice, make_user
from tests.web.helpers import committed, login_as
from tests.web.mail_server import links, mail_config, path_of, smtp  # noqa: F401


@pytest.fixture
def app_config(app_config, smtp):  # noqa: F811
    return {**app_config, **mail_config(smtp.port)}


def test_the_original_school_is_told_once_with_a_link(app, client, smtp):  # noqa: F811
    def make(session):
        kenya = make_institution(session, "Nairobi Green School", "KE")
        original = make_practice(session, title="Compost club", institution=kenya)
        author = make_user(session, "school_editor", institution=kenya)
        school = make_institution(session, "Lycée Hugo", "FR")
        adapted = make_practice(session, title="Club compost", institution=school)
        editor = make_user(session, "school_editor", institution=school)
        for user in (author, editor):
            session.refresh(user)
        return original.id, adapted.id, author, editor

    original, adapted, author, editor = committed(app, make)
    login_as(client, editor)
    for _ in range(2):
        client.post(f"/my/practices/{adapted}/adapted-from", data={"original": str(original)})
    with app.app_context():
        deliver_pending(get_session())
    told = [m for m in smtp.inbox.to(author.email) if "Compost club" in m["Subject"]
            and "adapted" in m["Subject"]]
    assert len(told) == 1
    assert "Lycée Hugo" in told[0].get_content() and "Club compost" in told[0].get_content()
    assert path_of(links(told[0])[0]) == f"/practices/{original}"
