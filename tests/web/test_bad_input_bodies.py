"""Bodies no user should be able to turn into a 500 (issue 8, "bad input"): JSON of the wrong
types (checked against app/openapi.yaml), nested a thousand levels deep, text no database can
store (a lone surrogate, NUL) from every entry point, and bodies over the size limit."""
from __future__ import annotations

import io
import json

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests.factories import practice_record
from tests.web.helpers import login_as, new_practice, practice_state, school_and_editor
from tests.web.test_api_transitions import token_of

DEEP = "[" * 1000 + "]" * 1000


def _submit(client, headers, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/practices", data=data, content_type="application/json",
                       headers=headers)


def _practices(app) -> int:
    from sqlalchemy import func, select

    from app.db import get_session
    from practices.models import Practice

    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Practice))


@pytest.mark.postgres
@pytest.mark.parametrize(("change", "field"), [
    ({"summary": []}, "summary"),
    ({"levels": [None]}, "levels.0"),
    ({"themes": "esd"}, "themes"),  # a string where the schema wants a list
    ({"pillars": ["2"]}, "pillars.0"),
    ({"year": "2020"}, "year"),
    ({"title": {"en": "x"}}, "title"),
    ({"institution": 5}, "institution"),
])  # fmt: skip
def test_a_practice_of_the_wrong_json_types_is_422_naming_the_field(app, client, api_auth,
                                                                    change, field):
    response = _submit(client, api_auth, practice_record(**change))
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert _practices(app) == 0


@pytest.mark.postgres
@pytest.mark.parametrize(("body", "field"), [
    ({"action": []}, "action"),
    ({"action": "publish", "note": ["a"]}, "note"),
    ({"action": "publish", "expected_status": 3}, "expected_status"),
    ({"action": "promote", "dossier": "good"}, "dossier"),
])  # fmt: skip
def test_a_transition_of_the_wrong_json_types_is_422_naming_the_field(app, client, body, field):
    practice_id = new_practice(app, "submitted")
    response = client.post(f"/api/v1/practices/{practice_id}/transitions", json=body,
                           headers=token_of(app, "curator"))
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert practice_state(app, practice_id)["status"] == "submitted"


def test_json_nested_a_thousand_levels_deep_is_400(app, client, api_auth):
    practice_id = new_practice(app, "submitted")
    for url in ("/api/v1/practices", f"/api/v1/practices/{practice_id}/transitions"):
        for body in (DEEP, '{"action": ' + DEEP + "}", '{"dossier": ' + '{"a": ' * 999 + "1"
                     + "}" * 1000):
            response = client.post(url, data=body, content_type="application/json",
                                   headers=api_auth)
            assert response.status_code == 400, url
            assert "nested" in response.get_json()["error"]


@pytest.mark.postgres
@pytest.mark.parametrize("bad", ["\ud800", "\udfff tail", "a\x00b"])
@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_unstorable_text_in_a_practice_is_422_naming_the_field(app, client, api_auth, bad,
                                                               field):
    response = _submit(client, api_auth, practice_record(**{field: f"Garden {bad}"}))
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert _practices(app) == 0


@pytest.mark.postgres
@pytest.mark.parametrize("bad", ["\ud800", "a\x00b"])
def test_unstorable_text_in_a_workflow_note_is_refused_and_changes_nothing(app, client, bad):
    practice_id = new_practice(app, "submitted")
    before = practice_state(app, practice_id)
    response = client.post(f"/api/v1/practices/{practice_id}/transitions",
                           json={"action": "request_changes", "note": f"Please {bad}"},
                           headers=token_of(app, "curator"))
    assert response.status_code == 422
    assert "note" in response.get_json()["error"] or "body" in response.get_json()["error"]
    assert practice_state(app, practice_id) == before


@pytest.mark.postgres
def test_a_nul_in_the_practice_form_is_explained_on_the_page(app, client):
    _, editor = school_and_editor(app, country="KE")
    login_as(client, editor)
    response = client.post("/submit", data={
        "title": "Garden\x00", "summary": "s", "body": "b", "language": "en", "themes": "esd",
        "action": "save"}, headers={"Accept-Language": "fr"})
    assert response.status_code == 400  # app/bounds.py: no form field may hold NUL
    page = response.get_data(as_text=True)
    assert "title" in page and "caractère NUL" in page
    assert _practices(app) == 0


@pytest.mark.postgres
@pytest.mark.parametrize(("path", "data"), [
    ("/auth/login", {"email": "a\x00@test.example", "password": "x"}),
    ("/review?country=%00", None),
    ("/api/v1/search?q=a%00", None),
])
def test_a_nul_in_a_lookup_is_a_clear_400_not_a_database_error(client, path, data):
    response = client.post(path, data=data) if data else client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_an_import_with_unstorable_text_names_the_line_and_writes_nothing(app, runner,
                                                                          tmp_path):
    path = tmp_path / "practices.jsonl"
    lines = [json.dumps(practice_record()), json.dumps(practice_record(title="Bad \ud800")),
             '{"title": ' + DEEP + "}", json.dumps({"\ud800": 1, **practice_record()})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=["practices", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert "line 2: title: contains \\ud800" in result.output
    assert "line 3: is nested too deeply" in result.output
    assert "line 4: \\ud800: unknown field" in result.output
    assert _practices(app) == 0


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAX_CONTENT_LENGTH": 16384}


def _chunked(app, path, body: bytes, headers: dict):
    """Send `body` with Transfer-Encoding: chunked (no Content-Length), as a WSGI server
    that reassembles chunks does; return (status line, body)."""
    environ = EnvironBuilder(path=path, method="POST", input_stream=io.BytesIO(body),
                             content_type="application/json",
                             headers={"Transfer-Encoding": "chunked", **headers}).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input_terminated"] = True
    answer, status, _ = run_wsgi_app(app.wsgi_app, environ)
    return status, b"".join(answer)


def test_a_body_over_the_limit_is_413_stating_the_limit_chunked_or_not(app, client, api_auth):
    big = json.dumps(practice_record(body="x" * 40_000)).encode()
    plain = _submit(client, api_auth, big)
    status, chunked = _chunked(app, "/api/v1/practices", big, api_auth)
    assert plain.status_code == 413 and status.startswith("413")
    for answer in (plain.get_json(), json.loads(chunked)):
        assert "16 KiB" in answer["error"] and "16384 bytes" in answer["error"]
    assert _practices(app) == 0


def test_a_chunked_body_within_the_limit_is_read_whole(app, api_auth):
    status, answer = _chunked(app, "/api/v1/practices",
                              json.dumps(practice_record(title="Chunked garden")).encode(),
                              api_auth)
    assert status.startswith("201"), answer
    assert json.loads(answer)["title"] == "Chunked garden"


def test_a_form_over_the_limit_is_a_page_in_the_visitors_language(app, client):
    _, editor = school_and_editor(app, country="KE")
    login_as(client, editor)
    response = client.post("/submit", data={"title": "t", "body": "x" * 40_000},
                           headers={"Accept-Language": "fr"})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "trop volumineuse" in page and "16 KiB" in page
