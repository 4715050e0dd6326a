"""The embedded default under concurrent writes (issue 8): on SQLite, 8 school editors save
and submit drafts through the pages while a `flask practices import` runs in another process
on the same database file. No one sees an error page or "database is locked"; everything
each of them saved is stored, and so is the whole import."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, select

from app.db import get_session
from practices.models import Practice
from tests.factories import practice_record
from tests.web.helpers import login_as, school_and_editor

REPO = Path(__file__).resolve().parents[2]
WRITERS, DRAFTS_EACH, IMPORTED = 8, 8, 2000


def test_eight_web_writers_and_a_cli_import_at_once_never_see_the_lock(app, tmp_path):
    records = tmp_path / "import.jsonl"
    records.write_text("\n".join(json.dumps(practice_record(10_000 + n, external_id=f"imp-{n}",
                                                            country="SN",
                                                            institution="Imported School"))
                                 for n in range(IMPORTED)), encoding="utf-8")
    editors = [school_and_editor(app)[1] for _ in range(WRITERS)]
    env = {**os.environ, "FLASK_DATABASE_URL": app.config["DATABASE_URL"],
           "FLASK_SECRET_KEY": "test", "FLASK_ENCODER": "hashing",
           "FLASK_SEARCH_INDEX_DIR": str(tmp_path / "cli_index"),
           "FLASK_SEARCH_NEUTRALIZER": "false"}
    answers: list[tuple[int, str]] = []
    during: list[bool] = []  # was the import still running when each answer came?
    lock = threading.Lock()

    def write(editor, n: int) -> None:
        client = app.test_client()
        login_as(client, editor)
        for d in range(DRAFTS_EACH):
            intent = "submit" if d == DRAFTS_EACH - 1 else "save"
            response = client.post("/submit", data={
                "language": "fr", "title": f"Potager {n}-{d}", "themes": ["esd"],
                "body": f"Les élèves de la classe {n} cultivent le jardin, semaine {d}.",
                "intent": intent})
            with lock:
                answers.append((response.status_code, response.get_data(as_text=True)))
                during.append(importer.poll() is None)

    importer = subprocess.Popen(  # noqa: S603 (our own CLI)
        [sys.executable, "-m", "flask", "--app", "wsgi", "practices", "import", str(records),
         "--publish"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    threads = [threading.Thread(target=write, args=(e, n)) for n, e in enumerate(editors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    out, err = importer.communicate(timeout=300)

    assert importer.returncode == 0, err[-2000:]
    assert "database is locked" not in out + err
    assert len(answers) == WRITERS * DRAFTS_EACH
    assert sum(during) >= len(during) // 2, during  # the writes and the import overlapped
    assert [s for s, _ in answers if s >= 400] == []  # 303 to the saved practice, each time
    assert not any("database is locked" in body for _, body in answers)
    with app.app_context():
        stored = get_session().scalar(select(func.count()).select_from(Practice))
    assert stored == IMPORTED + WRITERS * DRAFTS_EACH
