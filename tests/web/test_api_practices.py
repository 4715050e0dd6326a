"""GET and POST /api/v1/practices: public records, and submissions with a personal token."""
from __future__ import annotations

import pytest

from app.db import get_session
from practices.permissions import SYSTEM
from practices.services import publish
from tests.factories import practice_record


def _post(client, payload, headers):
    return client.post("/api/v1/practices", json=payload, headers=headers)


def test_a_public_practice_is_returned_in_full(client, add_practice):
    practice_id = add_practice(title="Weather station", body="We *measure* wind.",
                               sdg_targets=["13.3"], year=2022)
    body = client.get(f"/api/v1/practices/{practice_id}").get_json()
    assert body["id"] == practice_id and body["title"] == "Weather station"
    assert body["body"] == "We *measure* wind."
    assert "<em>measure</em>" in body["body_html"]
    assert body["sdg_targets"] == ["13.3"] and body["year"] == 2022
    assert body["status"] == "published" and body["published_at"]


def test_practices_that_are_not_public_are_not_found(client, add_practice):
    hidden = add_practice(status="submitted")
    for address in (f"/api/v1/practices/{hidden}", "/api/v1/practices/424242"):
        response = client.get(address)
        assert response.status_code == 404
        assert response.get_json()["status"] == 404


@pytest.mark.postgres
def test_a_submission_is_stored_for_review_and_public_once_published(app, client, api_auth):
    response = _post(client, practice_record(title="Eco-council", external_id="ext-7"),
                     api_auth)
    assert response.status_code == 201
    assert response.get_json()["status"] == "submitted"
    location = response.headers["Location"]
    assert client.get(location).status_code == 404  # not public before review
    assert client.get("/api/v1/search?q=eco-council").get_json()["total"] == 0
    with app.app_context():
        session = get_session()
        publish(session, response.get_json()["id"], actor=SYSTEM)
        session.commit()
    assert client.get(location).get_json()["external_id"] == "ext-7"
    assert client.get("/api/v1/search?q=eco-council").get_json()["total"] == 1


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "test-token"},
                                     {"Authorization": "Basic dGVzdC10b2tlbg=="}])
def test_a_submission_without_the_right_token_is_refused(client, headers):
    response = _post(client, practice_record(), headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["status"] == 401


@pytest.mark.postgres
def test_a_second_submission_with_the_same_external_id_conflicts(client, api_auth):
    assert _post(client, practice_record(external_id="dup-1"), api_auth).status_code == 201
    again = _post(client, practice_record(external_id="dup-1"), api_auth)
    assert again.status_code == 409 and "dup-1" in again.get_json()["error"]


def test_field_errors_are_listed_by_field(client, api_auth):
    record = practice_record(language="xx-nonsense-tag", themes=["gardening"])
    del record["title"]
    response = _post(client, record, api_auth)
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"title", "language", "themes"}


@pytest.mark.parametrize(("body", "content_type", "status"), [
    ("{not json", "application/json", 400),
    ("[1, 2]", "application/json", 400),
    ('"text"', "application/json", 400),
    (b"\xff\xfe{}", "application/json", 400),
    ("title=x", "application/x-www-form-urlencoded", 415),
    ("{}", "text/plain", 415),
])
def test_a_body_that_is_not_a_json_object_is_refused(client, api_auth, body, content_type,
                                                     status):
    response = client.post("/api/v1/practices", data=body, content_type=content_type,
                           headers=api_auth)
    assert response.status_code == status
    assert response.is_json and response.get_json()["status"] == status


def test_a_body_over_the_size_limit_is_refused(make_app, api_auth):
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    response = _post(client, practice_record(body="x" * 2000), api_auth)
    assert response.status_code == 413 and response.is_json


def test_a_near_empty_submission_is_refused_naming_the_body(client, api_auth):
    response = _post(client, practice_record(summary="", body="🙂🙂 …"), api_auth)
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"body"}
    assert "too little" in response.get_json()["fields"]["body"]
