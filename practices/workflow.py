"""Publication status of a practice and the transitions between them (pure: no session).

The workflow is a table (invenio-requests' status_from/status_to): each action names the
statuses it may start from and the one it leads to. Services, permissions and routes share
the action names; nothing else decides whether a status change is allowed.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from practices.errors import InvalidTransition


class Status(StrEnum):
    """Where a practice stands; stored as its string value."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"


PUBLIC_STATUSES: frozenset[Status] = frozenset({Status.PUBLISHED})
"""Statuses whose practices search, "similar", feeds and the public API may show."""


@dataclass(frozen=True)
class Transition:
    """A workflow action: allowed from any status in `source`, leading to `target`."""

    name: str
    source: frozenset[Status]
    target: Status


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", frozenset({Status.DRAFT}), Status.SUBMITTED),
        Transition("publish", frozenset({Status.SUBMITTED}), Status.PUBLISHED),
    )
}


def apply(status: str, action: str) -> Status:
    """Return the status `action` leads to from `status`.

    Raises:
        InvalidTransition: the action is unknown or not allowed from `status`.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or status not in transition.source:
        raise InvalidTransition(action, str(status))
    return transition.target


def available_actions(status: str) -> list[str]:
    """Return the names of the actions allowed from `status`, in table order."""
    return [t.name for t in TRANSITIONS.values() if status in t.source]
