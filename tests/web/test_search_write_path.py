"""The search write path encodes before it writes: while a long practice is being encoded (seconds
with the real model), nobody else waits for the database. On SQLite one connection writes at a
time, so a sign-in (which writes the time of the sign-in) would otherwise wait for the whole
encoding, and give up after 30 s with "database is locked". The vectors written are always
those of the text committed."""
from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import select

from app.db import get_session
from app.search import get_maintenance, get_writer
from app.search.vectors import content_hash
from practices import search_text
from practices.errors import Conflict
from practices.models import Practice, PracticeVector
from practices.permissions import SYSTEM
from practices.services import create_practice, edit_practice, transition
from search_index import HashingEncoder
from tests.factories import practice_data
from tests.web.helpers import (
    CountingEncoder,
    login_as,
    new_practice,
    new_user,
    post_action,
    school_and_editor,
)

LONG_BODY = "\n\n".join(f"Paragraph {n}: the pupils measured the rain and the soil." * 20
                        for n in range(30))


class SlowEncoder(HashingEncoder):
    """Encodes passages as slowly as the real model does a long practice, saying when."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.started = threading.Event()
        self.finished = threading.Event()

    def reset(self) -> None:
        """Forget the encodings so far."""
        self.started.clear()
        self.finished.clear()

    def encode_passages(self, texts, **kwargs):
        self.started.set()
        time.sleep(self.seconds)
        vectors = super().encode_passages(texts, **kwargs)
        self.finished.set()
        return vectors


def sign_in_while_encoding(app, encoder: SlowEncoder, slow_work) -> tuple[int, bool]:
    """Run `slow_work()` in a thread; once it encodes, sign someone else in on another
    connection. Return (the sign-in's status, whether the encoding was still running when
    the sign-in was done)."""
    someone = new_user(app, "curator")
    worker = threading.Thread(target=slow_work)
    worker.start()
    try:
        assert encoder.started.wait(20), "the work never encoded anything"
        status = login_as(app.test_client(), someone).status_code
        still_encoding = not encoder.finished.is_set()
    finally:
        worker.join(60)
    return status, still_encoding


def stored_hashes(app, practice_id: int) -> set[str]:
    with app.app_context():
        return set(get_session().scalars(select(PracticeVector.content_hash).where(
            PracticeVector.practice_id == practice_id)))


def text_hash(app, practice_id: int) -> str:
    with app.app_context():
        return content_hash(search_text(get_session().get(Practice, practice_id)))


def test_a_sign_in_does_not_wait_while_a_long_practice_is_encoded(make_app):
    encoder = SlowEncoder(seconds=2)
    app = make_app(ENCODER=encoder)
    _, editor = school_and_editor(app)
    school = app.test_client()
    login_as(school, editor)
    saved = []
    form = {"language": "en", "title": "Rain diary", "body": LONG_BODY, "themes": ["esd"],
            "intent": "save"}

    status, still_encoding = sign_in_while_encoding(
        app, encoder, lambda: saved.append(school.post("/submit", data=form)))

    assert status == 302 and still_encoding
    assert saved[0].status_code == 303
    practice_id = int(saved[0].headers["Location"].rsplit("/", 1)[1])
    assert stored_hashes(app, practice_id) == {text_hash(app, practice_id)}


def test_publishing_an_edit_encodes_it_before_the_reviewer_writes(make_app):
    encoder = SlowEncoder(seconds=2)
    app = make_app(ENCODER=encoder)
    practice_id = new_practice(app, "published")
    with app.app_context():
        session = get_session()
        practice = session.get(Practice, practice_id)
        author = practice.revisions[0].author
        edit_practice(session, practice_id, practice_data(body=LONG_BODY), actor=author)
        session.commit()  # the public text stays: the edit waits in a pending revision
    coordinator = new_user(app, "national_coordinator", country="FR")
    author_client, reviewer = app.test_client(), app.test_client()
    login_as(author_client, author)
    assert post_action(author_client, practice_id, "submit", "draft").status_code == 303
    login_as(reviewer, coordinator)
    encoder.reset()
    published = []

    status, still_encoding = sign_in_while_encoding(app, encoder, lambda: published.append(
        post_action(reviewer, practice_id, "publish", "submitted")))

    assert status == 302 and still_encoding
    assert published[0].status_code == 303
    assert stored_hashes(app, practice_id) == {text_hash(app, practice_id)}


def test_an_import_encodes_every_text_before_it_writes(make_app, tmp_path):
    encoder = SlowEncoder(seconds=2)
    app = make_app(ENCODER=encoder)
    source = tmp_path / "practices.jsonl"
    record = {"title": "Rain diary", "body": LONG_BODY, "language": "en", "themes": ["esd"]}
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    results = []

    status, still_encoding = sign_in_while_encoding(app, encoder, lambda: results.append(
        app.test_cli_runner().invoke(args=["practices", "import", str(source)])))

    assert status == 302 and still_encoding
    assert results[0].exit_code == 0, results[0].output
    assert "1 created, 0 updated, 0 unchanged; 1 encoded for search" in results[0].output


def test_prepared_text_is_not_encoded_again_when_it_is_committed(make_app):
    encoder = CountingEncoder()
    app = make_app(ENCODER=encoder)
    data = practice_data(1, body=LONG_BODY)
    with app.app_context():
        session = get_session()
        assert get_writer().prepare(session, [search_text(data)]) == 1
        assert get_writer().prepare(session, [search_text(data)]) == 0  # already prepared
        practice = create_practice(session, data, actor=SYSTEM)
        session.commit()
    assert encoder.batches == 1
    assert stored_hashes(app, practice.id) == {text_hash(app, practice.id)}


def test_text_changed_after_it_was_prepared_gets_the_vectors_of_what_is_committed(make_app):
    encoder = CountingEncoder()
    app = make_app(ENCODER=encoder)
    with app.app_context():
        session = get_session()
        get_writer().prepare(session, [search_text(practice_data(1, body="What was typed."))])
        practice = create_practice(session, practice_data(1, body="What was saved."), actor=SYSTEM)
        session.commit()
        assert get_maintenance().verify(session).ok
    assert encoder.batches == 2  # prepared, then the committed text (correctness first)
    assert stored_hashes(app, practice.id) == {text_hash(app, practice.id)}


@pytest.mark.postgres
def test_a_publish_prepared_while_another_reviewer_publishes_is_refused_as_stale(app):
    practice_id = new_practice(app, "submitted")
    with app.app_context():
        session = get_session()
        get_writer().prepare_action(session, practice_id, "publish")
        other = app.extensions["db_sessionmaker"]()  # another reviewer, at the same moment
        transition(other, practice_id, "publish", actor=SYSTEM)
        other.commit()
        other.close()
        with pytest.raises(Conflict, match="now published"):
            transition(session, practice_id, "publish", actor=SYSTEM,
                       expected_status="submitted")
