"""The upload page of imports (curators, and National Coordinators for their country): the
import runs as a background job (here in-process, no Redis) and a status page that refreshes
itself shows its progress, then its counts or every bad line."""
from __future__ import annotations

import io
import json
import time

import pytest
from sqlalchemy import func, select

from app.db import get_session
from practices.models import Practice
from tests.factories import practice_record
from tests.web.helpers import found_ids, login_as

pytestmark = pytest.mark.postgres


def _jsonl(*records) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _upload(client, content: bytes, name: str = "practices.jsonl", publish: bool = True):
    data = {"file": (io.BytesIO(content), name)}
    if publish:
        data["publish"] = "y"
    return client.post("/imports", data=data, content_type="multipart/form-data")


def _finished_page(client, location: str) -> str:
    """Follow the status page (as its refresh would) until the job is over; return its text."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = client.get(location)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        if 'http-equiv="refresh"' not in text:
            return text
        time.sleep(0.1)
    raise AssertionError("the import did not end within 60 s")


def _count(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Practice))


def test_a_curator_uploads_a_file_and_follows_the_import_to_its_counts(app, client,
                                                                       make_account):
    login_as(client, make_account("curator"))
    assert "Import practices" in client.get("/").get_data(as_text=True)  # in the navigation
    records = [practice_record(title="Puppet theatre", country="KE",
                               institution={"name": "Nairobi School", "country": "KE"}),
               practice_record(title="Shadow theatre", country="FR",
                               institution={"name": "Lycée Lyon", "country": "FR"})]
    response = _upload(client, _jsonl(*records))
    assert response.status_code == 303
    text = _finished_page(client, response.headers["Location"])
    assert "Imported 2 practices: 2 created, 0 updated, 0 unchanged." in text
    assert len(found_ids(app, "theatre")) == 2


def test_the_same_upload_again_updates_instead_of_adding_twice(app, client, make_account):
    login_as(client, make_account("curator"))
    content = _jsonl(practice_record(title="Puppet theatre"))  # no external_id
    for expected in ("1 created", "1 unchanged"):
        response = _upload(client, content, publish=False)
        assert expected in _finished_page(client, response.headers["Location"])
    assert _count(app) == 1


def test_bad_lines_are_listed_by_number_and_nothing_is_imported(app, client, make_account):
    login_as(client, make_account("curator"))
    no_title = {k: v for k, v in practice_record().items() if k != "title"}
    content = _jsonl(practice_record()) + json.dumps(no_title).encode() + b"\n{not json\n"
    text = _finished_page(client, _upload(client, content).headers["Location"])
    assert "Nothing was imported." in text
    assert "line 2: title: is required" in text and "line 3: is not valid JSON" in text
    assert _count(app) == 0


def test_a_national_coordinator_imports_their_own_country_only(app, client, make_account):
    login_as(client, make_account("national_coordinator", country="FR"))
    french = practice_record(title="Jardin", institution={"name": "Lycée", "country": "FR"})
    german = practice_record(title="Garten", institution={"name": "Schule", "country": "DE"})
    text = _finished_page(client, _upload(client, _jsonl(french, german)).headers["Location"])
    assert "line 2: country: a National Coordinator of FR may import practices of FR only" in text
    assert _count(app) == 0
    text = _finished_page(client, _upload(client, _jsonl(french)).headers["Location"])
    assert "1 created" in text and _count(app) == 1


def test_a_school_editor_may_not_import_nor_see_another_users_import(app, client,
                                                                    make_account):
    login_as(client, make_account("curator"))
    location = _upload(client, _jsonl(practice_record())).headers["Location"]
    _finished_page(client, location)
    client.post("/auth/logout")
    login_as(client, make_account("school_editor"))
    assert client.get("/imports").status_code == 403
    login_as(client, make_account("curator"))
    assert client.get(location).status_code == 404  # another curator's job


def test_a_file_of_another_kind_is_refused_in_the_form(client, make_account):
    login_as(client, make_account("curator"))
    response = _upload(client, b"title\n", name="practices.xlsx")
    assert response.status_code == 422
    assert "Name the file .jsonl or .csv." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/imports/not-a-job!", "/imports/" + "a" * 65])
def test_a_malformed_job_id_is_not_found(client, make_account, path):
    login_as(client, make_account("curator"))
    assert client.get(path).status_code == 404


def test_with_redis_configured_but_down_the_upload_says_so_and_the_site_stays_up(
        make_app, make_account):
    app = make_app(REDIS_URL="redis://127.0.0.1:51399/0")  # nothing listens there
    client = app.test_client()
    login_as(client, make_account("curator"))
    response = _upload(client, _jsonl(practice_record()))
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "nothing was started or changed" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200
    assert client.get("/search?q=garden").status_code == 200
