"""The publication workflow as a table: which actions lead where, and what is refused."""
from __future__ import annotations

import pytest

from practices.errors import InvalidTransition
from practices.workflow import PUBLIC_STATUSES, TRANSITIONS, Status, apply, available_actions


def test_submit_sends_a_draft_for_review():
    assert apply("draft", "submit") == Status.SUBMITTED


def test_publish_makes_a_submitted_practice_published():
    assert apply(Status.SUBMITTED, "publish") == Status.PUBLISHED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "publish"),
        ("submitted", "submit"),
        ("published", "submit"),
        ("published", "publish"),
    ],
)
def test_actions_are_refused_outside_their_source_statuses(status, action):
    with pytest.raises(InvalidTransition) as caught:
        apply(status, action)
    assert str(caught.value) == f"cannot {action} a practice that is {status}"


def test_an_unknown_action_is_refused_like_a_forbidden_one():
    with pytest.raises(InvalidTransition):
        apply("draft", "teleport")


def test_available_actions_are_what_apply_accepts():
    assert available_actions("draft") == ["submit"]
    assert available_actions("submitted") == ["publish"]
    assert available_actions("published") == []


def test_every_transition_leads_to_a_known_status():
    assert {t.target for t in TRANSITIONS.values()} <= set(Status)
    assert all(name == t.name for name, t in TRANSITIONS.items())


def test_only_published_practices_are_public():
    assert PUBLIC_STATUSES == {Status.PUBLISHED}
