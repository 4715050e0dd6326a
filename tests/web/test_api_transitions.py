"""POST /api/v1/practices/<id>/transitions: the review workflow with a personal token, under
the same rules as the pages (403 wrong role or country, 409 wrong state or sent twice, 422
missing note or dossier), nothing changed when refused, every answer as documented."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from practices.services import create_token
from tests.factories import VALID_DOSSIER, VALID_POLICY_NOTE, make_institution, make_user
from tests.web.helpers import audit_actions, committed, new_practice, practice_state

SPEC_URI = "urn:practice-exchange:openapi"


def token_of(app, role: str, **options) -> dict:
    """Return the Authorization header of a new account's personal token."""

    def make(session):
        user = make_user(session, role, **options)
        return create_token(session, "tests", actor=user)[1]

    return {"Authorization": f"Bearer {committed(app, make)}"}


def act(client, practice_id: int, headers: dict, **body):
    return client.post(f"/api/v1/practices/{practice_id}/transitions", json=body,
                       headers=headers)


@pytest.fixture
def documented(client):
    """Check an answer against its documented schema (app/openapi.yaml)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    responses = spec["paths"]["/practices/{practice_id}/transitions"]["post"]["responses"]

    def check(response):
        entry = responses[str(response.status_code)]
        if "$ref" in entry:
            entry = spec["components"]["responses"][entry["$ref"].rsplit("/", 1)[1]]
        schema = entry["content"]["application/json"]["schema"]
        schema = {"$ref": SPEC_URI + schema["$ref"]} if "$ref" in schema else schema
        validator = Draft202012Validator(schema, registry=registry)
        assert [e.message for e in validator.iter_errors(response.get_json())] == []
        return response.get_json()

    return check


@pytest.fixture
def nc_fr(app):
    return token_of(app, "national_coordinator", country="FR")


def test_a_coordinator_publishes_with_a_token(app, client, nc_fr, documented):
    practice_id = new_practice(app, "submitted")  # a French school's

    response = act(client, practice_id, nc_fr, action="publish", expected_status="submitted")

    assert response.status_code == 200
    assert documented(response) == {"id": practice_id, "action": "publish",
                                    "status": "published", "review_status": "published"}
    assert audit_actions(app, practice_id)[-1] == "publish"
    assert client.get(f"/api/v1/practices/{practice_id}").get_json()["status"] == "published"


@pytest.mark.postgres
def test_the_same_request_sent_twice_is_a_conflict_the_second_time(app, client, nc_fr,
                                                                   documented):
    practice_id = new_practice(app, "submitted")

    first = act(client, practice_id, nc_fr, action="publish", expected_status="submitted")
    second = act(client, practice_id, nc_fr, action="publish", expected_status="submitted")

    assert first.status_code == 200 and second.status_code == 409
    assert "now published, not submitted" in documented(second)["error"]
    assert audit_actions(app, practice_id).count("publish") == 1


def test_an_action_from_the_wrong_state_is_a_conflict(app, client, nc_fr, documented):
    practice_id = new_practice(app, "draft")
    before = practice_state(app, practice_id)

    response = act(client, practice_id, nc_fr, action="publish")

    assert response.status_code == 409
    assert documented(response)["error"] == "cannot publish a practice that is draft"
    assert practice_state(app, practice_id) == before


def test_a_coordinator_of_another_country_is_forbidden(app, client, documented):
    practice_id = new_practice(app, "submitted")
    before = practice_state(app, practice_id)

    response = act(client, practice_id, token_of(app, "national_coordinator", country="KE"),
                   action="publish")

    assert response.status_code == 403
    assert "own country (KE) only" in documented(response)["error"]
    assert practice_state(app, practice_id) == before


def test_a_school_may_not_publish_its_own_practice(app, client, documented):
    def make(session):
        from tests.factories import make_practice

        school = make_institution(session)
        editor = make_user(session, "school_editor", institution=school)
        practice = make_practice(session, status="submitted", author=editor)
        return practice.id, create_token(session, "t", actor=editor)[1]

    practice_id, secret = committed(app, make)

    response = act(client, practice_id, {"Authorization": f"Bearer {secret}"}, action="publish")

    assert response.status_code == 403
    assert practice_state(app, practice_id)["status"] == "submitted"
    withdrawn = act(client, practice_id, {"Authorization": f"Bearer {secret}"},
                    action="withdraw", expected_status="submitted")
    assert documented(withdrawn)["status"] == "withdrawn"


def test_changes_cannot_be_requested_without_a_note(app, client, nc_fr, documented):
    practice_id = new_practice(app, "submitted")
    before = practice_state(app, practice_id)

    response = act(client, practice_id, nc_fr, action="request_changes", note="")

    assert response.status_code == 422
    assert "note" in documented(response)["fields"]
    assert practice_state(app, practice_id) == before
    noted = act(client, practice_id, nc_fr, action="request_changes", note="Add photos.")
    assert noted.get_json()["status"] == "changes_requested"
    assert practice_state(app, practice_id)["comments"] == 1


@pytest.mark.postgres
def test_a_curator_promotes_with_a_dossier_and_flags_with_a_policy_note(app, client,
                                                                        documented):
    practice_id = new_practice(app, "published")
    curator = token_of(app, "curator")

    low = {**VALID_DOSSIER, "scores": {**VALID_DOSSIER["scores"], "impact": 1}}
    refused = act(client, practice_id, curator, action="promote", dossier=low)
    assert refused.status_code == 422
    assert "below the minimum" in documented(refused)["fields"]["scores.impact"]
    assert practice_state(app, practice_id)["status"] == "published"

    promoted = act(client, practice_id, curator, action="promote", dossier=VALID_DOSSIER)
    assert documented(promoted)["status"] == "promising"
    flagged = act(client, practice_id, curator, action="flag_for_policy",
                  policy_note=VALID_POLICY_NOTE, expected_status="promising")
    assert documented(flagged)["status"] == "flagged_for_policy"


def test_a_promotion_without_its_dossier_names_what_is_missing(app, client, documented):
    practice_id = new_practice(app, "published")

    response = act(client, practice_id, token_of(app, "curator"), action="promote")

    assert response.status_code == 422
    assert {"scores.relevance", "summary", "evidence"} <= set(documented(response)["fields"])


@pytest.mark.parametrize("body, status", [
    ({"action": "fly"}, 422),
    ({"action": "publish", "colour": "red"}, 422),  # unknown field: the schema's, as for /practices
    ({"action": "publish", "note": 5}, 422),
])  # fmt: skip
def test_malformed_requests_are_refused(app, client, nc_fr, documented, body, status):
    practice_id = new_practice(app, "submitted")

    response = client.post(f"/api/v1/practices/{practice_id}/transitions", json=body,
                           headers=nc_fr)

    assert response.status_code == status
    documented(response)
    assert practice_state(app, practice_id)["status"] == "submitted"


def test_the_body_must_be_json(app, client, nc_fr, documented):
    practice_id = new_practice(app, "submitted")

    response = client.post(f"/api/v1/practices/{practice_id}/transitions",
                           data="action=publish", headers=nc_fr)

    assert response.status_code == 415
    documented(response)


def test_an_unknown_practice_is_not_found(app, client, nc_fr, documented):
    assert documented(act(client, 999, nc_fr, action="publish"))["status"] == 404


def test_without_a_valid_token_nothing_happens(app, client, documented):
    practice_id = new_practice(app, "submitted")

    for headers in ({}, {"Authorization": "Bearer pxt_not-a-token"}):
        response = act(client, practice_id, headers, action="withdraw")
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        documented(response)
    assert practice_state(app, practice_id)["status"] == "submitted"


def test_publishing_an_edit_replaces_the_public_version(app, client, nc_fr, documented):
    def make(session):
        from practices.services import edit_practice
        from tests.factories import make_practice, practice_data

        practice = make_practice(session, status="published")
        editor = practice.revisions[0].author
        edit_practice(session, practice.id, practice_data(1, title="Second edition"),
                      actor=editor)
        return practice.id, create_token(session, "t", actor=editor)[1]

    practice_id, school = committed(app, make)
    submitted = act(client, practice_id, {"Authorization": f"Bearer {school}"},
                    action="submit", expected_status="draft")
    assert documented(submitted)["review_status"] == "submitted"
    assert client.get(f"/api/v1/practices/{practice_id}").get_json()["title"] != "Second edition"

    published = act(client, practice_id, nc_fr, action="publish", expected_status="submitted")

    assert documented(published) == {"id": practice_id, "action": "publish",
                                     "status": "published", "review_status": "published"}
    assert client.get(f"/api/v1/practices/{practice_id}").get_json()["title"] == "Second edition"
