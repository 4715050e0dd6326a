"""On SQLite (the embedded default) one connection writes at a time: no request may hold the
write lock while it encodes, and a short wait for the lock never reaches a person as
"database is locked".

The encoder here holds its encoding until the test lets it go, and the test lets it go only
once another person's sign-in (which writes the time of the sign-in) has completed. A save
that took the write lock before encoding would make that sign-in wait for the encoding, which
waits for the sign-in: the encoder gives up after its patience, and the order of events shows
it. Nothing is timed.
"""
from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import event, text

from search_index import HashingEncoder
from tests.web.helpers import login_as, new_user, school_and_editor

LONG_BODY = "\n\n".join(f"Paragraph {n}: the pupils measured the rain and the soil." * 20
                        for n in range(30))
PATIENCE_S = 20


class HeldEncoder(HashingEncoder):
    """Encodes passages only once `release` is set (or its patience ran out), saying when
    it started and whether it was released."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.release = threading.Event()
        self.released: list[bool] = []

    def encode_passages(self, texts, **kwargs):
        self.started.set()
        self.released.append(self.release.wait(PATIENCE_S))
        return super().encode_passages(texts, **kwargs)


def sign_in_while_encoding(app, encoder: HeldEncoder, save) -> tuple[int, object]:
    """Run save() in a thread; while it encodes, sign someone else in. Return (the sign-in's
    status, what save() returned)."""
    someone = new_user(app, "curator")
    saved = []
    worker = threading.Thread(target=lambda: saved.append(save()))
    worker.start()
    try:
        assert encoder.started.wait(PATIENCE_S), "the save never encoded anything"
        status = login_as(app.test_client(), someone).status_code
    finally:
        encoder.release.set()
        worker.join(PATIENCE_S * 3)
    return status, saved[0]


def draft_form(title: str) -> dict:
    return {"language": "en", "title": title, "body": LONG_BODY, "themes": ["esd"],
            "intent": "save"}


def test_a_sign_in_completes_while_a_new_long_draft_is_encoded(make_app):
    encoder = HeldEncoder()
    app = make_app(ENCODER=encoder)
    _, editor = school_and_editor(app)
    school = app.test_client()
    login_as(school, editor)

    status, saved = sign_in_while_encoding(
        app, encoder, lambda: school.post("/submit", data=draft_form("Rain diary")))

    assert status == 302  # signed in, while the encoding was still held
    assert encoder.released == [True]  # the sign-in did not wait for the encoding
    assert saved.status_code == 303


def test_a_sign_in_completes_while_an_edited_draft_is_encoded(make_app):
    encoder = HeldEncoder()
    app = make_app(ENCODER=encoder)
    _, editor = school_and_editor(app)
    school = app.test_client()
    login_as(school, editor)
    encoder.release.set()
    created = school.post("/submit", data={**draft_form("Rain diary"), "body": "Short."})
    practice_id = int(created.headers["Location"].rsplit("/", 1)[1])
    encoder.release.clear()
    encoder.started.clear()
    encoder.released.clear()

    status, saved = sign_in_while_encoding(app, encoder, lambda: school.post(
        f"/my/practices/{practice_id}/edit", data=draft_form("Rain diary, all year")))

    assert status == 302
    assert encoder.released == [True]
    assert saved.status_code == 303


def test_every_sqlite_connection_waits_for_the_write_lock_instead_of_failing(app):
    with app.extensions["db_engine"].connect() as conn:
        waits_ms = conn.execute(text("PRAGMA busy_timeout")).scalar()
    assert waits_ms >= 5_000  # far longer than any write holds the lock


def test_a_sign_in_waits_for_a_short_write_and_succeeds(app):
    someone = new_user(app, "curator")
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    writing = threading.Event()

    def about_to_write(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE"):
            writing.set()

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", about_to_write)
    statuses = []
    signer = threading.Thread(target=lambda: statuses.append(
        login_as(app.test_client(), someone).status_code))
    try:
        signer.start()
        assert writing.wait(PATIENCE_S)
        other.execute("COMMIT")  # the other write ends while the sign-in waits for it
        signer.join(PATIENCE_S)
    finally:
        event.remove(engine, "before_cursor_execute", about_to_write)
        other.close()
    assert statuses == [302]
