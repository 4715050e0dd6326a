"""The publication workflow as a table: which actions lead where, and what is refused."""
from __future__ import annotations

import pytest

from practices.errors import InvalidTransition
from practices.workflow import (
    PUBLIC_STATUSES,
    TRANSITIONS,
    Status,
    applies_to_revision,
    apply,
    available_actions,
)

# The workflow of issue 3, written out by hand: (status, action) -> status.
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("changes_requested", "submit"): "submitted",
    ("submitted", "request_changes"): "changes_requested",
    ("submitted", "publish"): "published",
    ("submitted", "decline"): "declined",
    ("changes_requested", "decline"): "declined",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",
    ("changes_requested", "withdraw"): "withdrawn",
    ("published", "promote"): "promising",
    ("promising", "flag_for_policy"): "flagged_for_policy",
    ("published", "archive"): "archived",
    ("promising", "archive"): "archived",
    ("flagged_for_policy", "archive"): "archived",
}
STATUSES = [s.value for s in Status]
ACTIONS = [
    "submit", "request_changes", "publish", "decline", "withdraw", "promote",
    "flag_for_policy", "archive",
]  # fmt: skip


def test_the_table_has_exactly_the_actions_of_the_issue():
    assert list(TRANSITIONS) == ACTIONS


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_and_action_pair_leads_where_the_issue_says_or_is_refused(status, action):
    expected = ALLOWED.get((status, action))
    if expected is None:
        with pytest.raises(InvalidTransition) as caught:
            apply(status, action)
        assert str(caught.value) == f"cannot {action.replace('_', ' ')} a practice that is {status}"
    else:
        assert apply(status, action) == expected


def test_an_unknown_action_is_refused_like_a_forbidden_one():
    with pytest.raises(InvalidTransition):
        apply("draft", "teleport")


def test_available_actions_are_what_apply_accepts():
    assert available_actions("draft") == ["submit", "withdraw"]
    assert available_actions("submitted") == ["request_changes", "publish", "decline", "withdraw"]
    assert available_actions("published") == ["promote", "archive"]
    assert available_actions("archived") == []


def test_withdrawn_declined_and_archived_are_final():
    for status in ("withdrawn", "declined", "archived"):
        assert available_actions(status) == []


def test_published_promising_and_flagged_practices_are_public():
    assert PUBLIC_STATUSES == {"published", "promising", "flagged_for_policy"}


def test_review_actions_on_a_public_practice_with_a_pending_edit_concern_the_edit():
    assert applies_to_revision("published", True, "submit")
    assert applies_to_revision("promising", True, "publish")
    assert not applies_to_revision("published", False, "submit")
    assert not applies_to_revision("published", True, "archive")
    assert not applies_to_revision("submitted", True, "publish")


def test_changes_requested_and_decline_need_a_note():
    assert {name for name, t in TRANSITIONS.items() if t.needs_note} == {
        "request_changes",
        "decline",
    }
