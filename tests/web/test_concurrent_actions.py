"""The same workflow action sent twice at the same moment (a double click, two tabs, two
curators), and two different decisions on one submission at once: exactly one takes effect,
the audit log holds one decision, and the other sender is told it was already done.

Each request runs in its own thread with its own client, so its own database session and
connection, on SQLite and (TEST_DATABASE_URL) on PostgreSQL. tests/concurrency.py makes
the two meet at their first write: a request that decided before it locked would write too.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import get_session
from practices.models import PolicyNote, PromotionDossier, utcnow
from practices.services import create_token
from tests.concurrency import at_once, writes_wait_for_each_other
from tests.factories import VALID_DOSSIER, make_institution, make_practice, make_user
from tests.web.helpers import audit_actions, committed, flashes, login_as, post_action
from tests.web.html_page import parse
from tests.web.test_curation_pages import dossier_form

pytestmark = pytest.mark.postgres

POLICY_NOTE = {"audience": "Ministries of education", "key_message": "Compost works.",
               "countries": ["KE", "SN"]}

# action: (the practice's status before, who takes it, the rest of the form, status after)
CASES = {
    "submit": ("draft", "school_editor", {}, "submitted"),
    "withdraw": ("submitted", "school_editor", {}, "withdrawn"),
    "request_changes": ("submitted", "national_coordinator", {"note": "Add photos."},
                        "changes_requested"),
    "publish": ("submitted", "national_coordinator", {}, "published"),
    "decline": ("submitted", "national_coordinator", {"note": "Out of scope."}, "declined"),
    "promote": ("published", "curator", dossier_form(), "promising"),
    "flag_for_policy": ("promising", "curator", POLICY_NOTE, "flagged_for_policy"),
    "archive": ("published", "curator", {}, "archived"),
}


def practice_and_people(app, status: str):
    """Return (practice id, {role: account}) of a French school's practice in `status`."""

    def make(session):
        school = make_institution(session, country="FR")
        editor = make_user(session, "school_editor", institution=school)
        practice = make_practice(session, status=status, author=editor)
        return practice.id, {
            "school_editor": editor,
            "national_coordinator": make_user(session, "national_coordinator", country="FR"),
            "curator": make_user(session, "curator"),
        }

    return committed(app, make)


def signed_in(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def count_of(app, model, practice_id: int) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)
                                    .where(model.practice_id == practice_id))


def status_of(app, practice_id: int) -> str:
    with app.app_context():
        from practices.models import Practice

        return get_session().get(Practice, practice_id).review_status


@pytest.mark.parametrize("action", list(CASES))
def test_the_same_action_sent_twice_at_once_takes_effect_once(app, action):
    before, role, form, after = CASES[action]
    practice_id, people = practice_and_people(app, before)
    clients = [signed_in(app, people[role]) for _ in range(2)]

    with writes_wait_for_each_other(app):
        responses = at_once([
            lambda c=c: post_action(c, practice_id, action, before, **form) for c in clients])

    assert status_of(app, practice_id) == after
    assert audit_actions(app, practice_id).count(action) == 1
    if action == "promote":
        assert count_of(app, PromotionDossier, practice_id) == 1
    if action == "flag_for_policy":
        assert count_of(app, PolicyNote, practice_id) == 1
    assert sorted(r.status_code for r in responses) == [303, 303]
    told = [flashes(parse(c.get(r.headers["Location"]).data))
            for c, r in zip(clients, responses, strict=True)]
    already = [t for t in told if "Nothing was changed: this practice is now" in t]
    assert len(already) == 1, told
    assert "sent twice" in already[0]


def test_a_coordinator_publishing_while_a_curator_declines_one_wins(app):
    practice_id, people = practice_and_people(app, "submitted")
    coordinator = signed_in(app, people["national_coordinator"])
    curator = signed_in(app, people["curator"])

    with writes_wait_for_each_other(app):
        at_once([
            lambda: post_action(coordinator, practice_id, "publish", "submitted"),
            lambda: post_action(curator, practice_id, "decline", "submitted",
                                note="Not an ASPnet practice."),
        ])

    decisions = [a for a in audit_actions(app, practice_id) if a in ("publish", "decline")]
    assert len(decisions) == 1
    assert status_of(app, practice_id) == {"publish": "published",
                                           "decline": "declined"}[decisions[0]]


def test_the_api_answers_a_request_sent_twice_at_once_with_one_409(app):
    practice_id, people = practice_and_people(app, "published")

    def token(session):
        made, secret = create_token(session, "tests", actor=session.merge(people["curator"]))
        # Used a moment ago: a first use is stamped (a write), and the first write the two
        # requests meet at must be the action's.
        made.last_used_at = utcnow()
        return secret

    headers = {"Authorization": f"Bearer {committed(app, token)}"}
    body = {"action": "promote", "dossier": VALID_DOSSIER, "expected_status": "published"}
    clients = [app.test_client() for _ in range(2)]

    with writes_wait_for_each_other(app):
        responses = at_once([
            lambda c=c: c.post(f"/api/v1/practices/{practice_id}/transitions", json=body,
                               headers=headers) for c in clients])

    assert sorted(r.status_code for r in responses) == [200, 409]
    refused = next(r for r in responses if r.status_code == 409).get_json()
    assert "now promising, not published" in refused["error"]
    assert count_of(app, PromotionDossier, practice_id) == 1
    assert audit_actions(app, practice_id).count("promote") == 1


def test_a_message_sent_twice_at_once_is_in_the_conversation_once(app):
    practice_id, people = practice_and_people(app, "submitted")
    clients = [signed_in(app, people["national_coordinator"]) for _ in range(2)]
    url = f"/review/practices/{practice_id}/comments"

    with writes_wait_for_each_other(app):
        responses = at_once([lambda c=c: c.post(url, data={"body": "Add photos, please."})
                             for c in clients])

    assert [r.status_code for r in responses] == [303, 303]
    pages = [parse(c.get(r.headers["Location"]).data)
             for c, r in zip(clients, responses, strict=True)]
    told = [flashes(page) for page in pages]
    assert sum("already the last one in the conversation" in t for t in told) == 1, told
    assert pages[0].one("section", id="thread").text.count("Add photos, please.") == 1


def test_a_new_practice_sent_twice_at_once_is_saved_once(app):
    _, people = practice_and_people(app, "draft")
    clients = [signed_in(app, people["school_editor"]) for _ in range(2)]
    external_id = parse(clients[0].get("/submit").data).one("input", name="external_id")["value"]
    form = {"language": "en", "title": "Rain diary", "summary": "Pupils measure the rain.",
            "body": "Every morning.", "themes": ["esd"], "intent": "save",
            "external_id": external_id}

    with writes_wait_for_each_other(app):
        responses = at_once([lambda c=c: c.post("/submit", data=form) for c in clients])

    assert [r.status_code for r in responses] == [303, 303]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    told = [flashes(parse(c.get(r.headers["Location"]).data))
            for c, r in zip(clients, responses, strict=True)]
    assert sum("already saved" in t for t in told) == 1, told
