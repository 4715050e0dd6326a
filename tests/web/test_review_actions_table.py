"""The workflow's tables agree: every transition has a permission rule, a route that answers
POST only and a confirmation; every status a label and a next step."""
from __future__ import annotations

import pytest

from app.labels import workflow as workflow_labels
from app.review.actions import ACTION_ENDPOINTS
from practices import PERMISSIONS, TRANSITIONS, Status
from practices.workflow import STATUS_LABELS

# Actions whose route also shows their form (GET): the form of data they need.
FORM_PAGES = {"promote", "flag_for_policy"}


def test_every_transition_has_a_permission_rule_a_route_and_words():
    assert set(ACTION_ENDPOINTS) == set(TRANSITIONS)
    assert set(TRANSITIONS) <= set(PERMISSIONS)
    assert set(workflow_labels.DONE) == set(TRANSITIONS)


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_transition_route_changes_state_by_post_only(app, action):
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == ACTION_ENDPOINTS[action]]

    methods = rule.methods - {"HEAD", "OPTIONS"}
    assert "POST" in methods
    assert methods == ({"GET", "POST"} if action in FORM_PAGES else {"POST"})


def test_a_get_on_a_transition_route_is_not_allowed(client):
    assert client.get("/review/practices/1/publish").status_code == 405
    assert client.get("/my/practices/1/submit").status_code == 405


def test_every_status_has_a_label_and_a_next_step():
    assert set(STATUS_LABELS) == set(Status)
    assert set(workflow_labels.NEXT_STEPS) == set(Status)
