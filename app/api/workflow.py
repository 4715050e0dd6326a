"""The review workflow through the API: POST /practices/<id>/transitions, as the token's owner.

The same services and permission table as the pages: a wrong role or country is 403, a wrong
state or a stale `expected_status` (a request sent twice) 409, a missing note or dossier 422;
nothing is changed in any of these cases.
"""
from __future__ import annotations

from flask import jsonify

from app.api import schema
from app.api.auth import require_writer
from app.api.routes import bp
from app.db import get_session
from app.search import get_writer
from practices import TRANSITIONS
from practices.errors import ValidationError
from practices.services import flag_for_policy, get_practice, promote, transition


@bp.post("/practices/<int:practice_id>/transitions")
def take_transition(practice_id: int):
    """Take a workflow action on a practice; 200 with the practice's status after it."""
    user = require_writer()
    body = _body()
    action = _action(body)
    note, expected = _text(body, "note") or "", _text(body, "expected_status")
    session = get_session()
    if action == "promote":
        promote(session, practice_id, _object(body, "dossier"), actor=user, note=note,
                expected_status=expected)
    elif action == "flag_for_policy":
        flag_for_policy(session, practice_id, _object(body, "policy_note"), actor=user,
                        note=note, expected_status=expected)
    else:
        get_writer().prepare_action(session, practice_id, action)  # encodes before writing
        transition(session, practice_id, action, actor=user, note=note,
                   expected_status=expected)
    # The answer is read before the commit: once committed, no further database work may
    # fail and report a done action as failed.
    practice = get_practice(session, practice_id)
    done = {"id": practice.id, "action": action, "status": practice.status,
            "review_status": practice.review_status}
    session.commit()
    return jsonify(done)


def _body() -> dict:
    return schema.request_body("the action")  # checked against TransitionInput


def _action(body: dict) -> str:
    action = body.get("action")
    if action not in TRANSITIONS:
        raise ValidationError({"action": f"{action!r} is not an action; use "
                                         f"{', '.join(TRANSITIONS)}"})
    return action


def _text(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationError({name: "must be a string"})
    return value


def _object(body: dict, name: str) -> dict:
    # A missing one is the service's to report, after the permission and state checks.
    value = body.get(name, {})
    if not isinstance(value, dict):
        raise ValidationError({name: f"must be a JSON object (for {body['action']})"})
    return value
