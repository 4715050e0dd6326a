"""Delivering the outbox: after the commit, never inside the request; retried with backoff
while the SMTP server is down; given up and reported after MAIL_MAX_ATTEMPTS; the in-process
deliverer; the .eml folder of `make run` and the administrators' outbox page."""
from __future__ import annotations

import email
import email.policy
import logging
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import get_session
from app.mail.delivery import deliver_pending
from practices.models import Notification, User, utcnow
from tests.factories import make_practice
from tests.web.helpers import committed, login_as, new_user, post_action, school_and_editor
from tests.web.mail_server import body, mail_config, smtp  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_config(app_config, smtp):  # noqa: F811
    """The test app, sending through the test SMTP server."""
    return {**app_config, **mail_config(smtp.port)}


def deliver(app, now=None):
    """Run one pass of the deliverer at `now` (default: the real time)."""
    with app.app_context():
        return deliver_pending(get_session(), now=now)


def publish_one(app, title="Compost") -> User:
    """Publish a practice of a new school; return its editor (who is then told)."""
    _, editor = school_and_editor(app)
    committed(app, lambda s: make_practice(s, status="published", title=title,
                                           author=s.get(User, editor.id)))
    return editor


def outbox_rows(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = get_session().scalars(select(Notification).order_by(Notification.id))
        return [(r.kind, r.status, r.attempts) for r in rows]


def test_a_message_waits_while_the_server_is_down_and_goes_when_it_is_back(app, smtp):  # noqa: F811
    smtp.stop()
    editor = publish_one(app)
    first = deliver(app)
    assert len(first.retried) == 1 and not first.sent
    assert outbox_rows(app) == [("published", "pending", 1)]
    assert not deliver(app)  # not due yet: backoff

    smtp.start()
    later = utcnow() + timedelta(seconds=app.config["MAIL_RETRY_SECONDS"] + 1)
    assert len(deliver(app, now=later).sent) == 1
    assert [m["Subject"] for m in smtp.inbox.to(editor.email)] == ["Published: Compost"]
    assert outbox_rows(app) == [("published", "sent", 2)]


def test_a_message_is_given_up_after_the_last_attempt_and_reported(app, smtp, caplog):  # noqa: F811
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    smtp.stop()
    publish_one(app)
    now = utcnow()
    with caplog.at_level(logging.ERROR, logger="app.mail.delivery"):
        for hours in range(3):
            deliver(app, now=now + timedelta(hours=hours))
    assert outbox_rows(app) == [("published", "failed", 3)]
    assert "given up after 3 attempts" in caplog.text
    assert not deliver(app, now=now + timedelta(days=1))

    admin = new_user(app, "administrator")
    client = app.test_client()
    login_as(client, admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "failed" in page and "ConnectionRefusedError" in page


def test_the_deliver_command_says_what_it_did(app, runner, smtp):  # noqa: F811
    publish_one(app)
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0
    assert "sent 1" in result.output
    assert len(smtp.inbox.messages) == 1


def test_the_in_process_deliverer_sends_after_the_commit(make_app, smtp):  # noqa: F811
    app = make_app(MAIL_DELIVERY="thread", **mail_config(smtp.port))
    _, editor = school_and_editor(app)
    coordinator = new_user(app, "national_coordinator", country="FR")
    pid = committed(app, lambda s: make_practice(s, status="submitted",
                                                 author=s.get(User, editor.id)).id)
    client = app.test_client()
    login_as(client, coordinator)
    try:
        post_action(client, pid, "publish", "submitted")
        deadline = time.monotonic() + 30
        while not smtp.inbox.to(editor.email) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        app.extensions["mail_deliverer"].stop()
    assert [m["Subject"] for m in smtp.inbox.to(editor.email)][:1] == [
        f"Published: {practice_title(app, pid)}"]


def practice_title(app, pid):
    from practices.models import Practice

    with app.app_context():
        return get_session().get(Practice, pid).title


def test_a_rolled_back_event_sends_nothing(app, smtp):  # noqa: F811
    _, editor = school_and_editor(app)
    with app.app_context():
        session = get_session()
        make_practice(session, status="published", author=session.get(User, editor.id))
        session.rollback()
    assert not deliver(app)
    assert smtp.inbox.messages == []


def test_make_run_writes_messages_to_the_outbox_folder_and_the_admin_page_lists_them(
        app, tmp_path):
    app.config["MAIL_BACKEND"] = "app.mail.folder.EmailBackend"
    app.extensions["mailman"].backend = "app.mail.folder.EmailBackend"
    editor = publish_one(app, title="Worm farm")
    deliver(app)
    folder = app.config["MAIL_OUTBOX_DIR"]
    [name] = [n for n in os.listdir(folder) if n.endswith(".eml")]
    with open(os.path.join(folder, name), "rb") as eml:
        message = email.message_from_binary_file(eml, policy=email.policy.default)
    assert message["To"] == editor.email
    assert message["Subject"] == "Published: Worm farm"
    assert "http://practices.test/practices/" in body(message)

    admin = new_user(app, "administrator")
    client = app.test_client()
    login_as(client, admin)
    assert name in client.get("/admin/outbox").get_data(as_text=True)
    shown = client.get(f"/admin/outbox/{name}")
    assert shown.status_code == 200 and "Worm farm" in shown.get_data(as_text=True)
    assert client.get("/admin/outbox/..%2Fconfig.py").status_code == 404
    school = app.test_client()
    login_as(school, editor)
    assert school.get("/admin/outbox").status_code == 403


def test_two_deliverers_at_once_send_each_message_once(app, smtp):  # noqa: F811
    from concurrent.futures import ThreadPoolExecutor

    editors = [publish_one(app, title=f"Garden {n}") for n in range(12)]
    queued = len(outbox_rows(app))  # the schools' and the coordinator's (submissions)
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: deliver(app), range(2)))
    assert sum(len(r.sent) for r in reports) == queued
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(ids) == len(set(ids)) == queued
    assert {e.email for e in editors} <= {m["X-Envelope-To"] for m in smtp.inbox.messages}


def test_a_message_that_cannot_be_written_is_reported_and_the_others_still_go(app, smtp):  # noqa: F811
    from practices.services.notify import queue

    editor = publish_one(app, title="Fine")

    def broken(session):
        row = queue(session, "published", session.get(User, editor.id), event="broken",
                    params={"title": "Broken"})
        row.kind = "no_such_kind"

    committed(app, broken)
    report = deliver(app)
    assert len(report.failed) == 1 and len(report.sent) == 1
    assert [m["Subject"] for m in smtp.inbox.to(editor.email)] == ["Published: Fine"]


def test_no_delivery_thread_runs_before_a_request(make_app, smtp):  # noqa: F811
    import threading

    app = make_app(MAIL_DELIVERY="thread", **mail_config(smtp.port))
    publish_one(app)  # a commit that queued mail, as a command (or a preloading master) makes
    assert "mail-deliverer" not in [t.name for t in threading.enumerate()]
    assert outbox_rows(app)[0][1] == "pending"  # it waits for a worker or `flask mail deliver`
    try:
        app.test_client().get("/auth/login")
        assert "mail-deliverer" in [t.name for t in threading.enumerate()]
        deadline = time.monotonic() + 30  # its first pass sends what was waiting
        while not smtp.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        app.extensions["mail_deliverer"].stop()
    assert len(smtp.inbox.messages) == 1
