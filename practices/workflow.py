"""Publication status of a practice and the transitions between them (pure: no session).

The workflow is a table (invenio-requests' status_from/status_to): each action names the
statuses it may start from and the one it leads to. Services, permissions and routes share
the action names; nothing else decides whether a status change is allowed.

Review of edits to public practices: editing a public practice opens a new revision while the
public version stays online. The review actions (`reviews_content` in the table: submit,
request_changes, publish, decline, withdraw) then apply to that pending revision, with the same
source and target statuses as for a first submission; publishing it replaces the public content
and leaves the practice's own status (published, promising, flagged_for_policy) unchanged.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from practices.errors import InvalidTransition
from practices.i18n import N_


class Status(StrEnum):
    """Where a practice (or one revision of its content) stands; stored as its string value."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    PROMISING = "promising"
    FLAGGED_FOR_POLICY = "flagged_for_policy"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"
    ARCHIVED = "archived"


STATUS_LABELS: Mapping[Status, str] = MappingProxyType({
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted for review"),
    Status.CHANGES_REQUESTED: N_("Changes requested"),
    Status.PUBLISHED: N_("Published"),
    Status.PROMISING: N_("Promising practice"),
    Status.FLAGGED_FOR_POLICY: N_("Flagged for policy"),
    Status.WITHDRAWN: N_("Withdrawn"),
    Status.DECLINED: N_("Declined"),
    Status.ARCHIVED: N_("Archived"),
})
"""What each status is called on badges, in lists and in the search filter."""

PUBLIC_STATUSES: frozenset[Status] = frozenset(
    {Status.PUBLISHED, Status.PROMISING, Status.FLAGGED_FOR_POLICY}
)
"""Statuses whose practices search, "similar", feeds and the public API may show."""

EDITABLE_STATUSES: frozenset[Status] = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
"""Statuses in which the school may change the content (a submitted one is frozen for review)."""

OPEN_STATUSES: frozenset[Status] = EDITABLE_STATUSES | {Status.SUBMITTED}
"""Statuses of content still on its way to a decision (a revision in these is "pending")."""


@dataclass(frozen=True, kw_only=True)
class Transition:
    """A workflow action: allowed from any status in `source`, leading to `target`.

    Attributes:
        label: the action as a button says it (marked with N_).
        reviews_content: on a public practice with a pending revision, the action applies to
            that revision instead of the practice.
        needs_note: the actor must say why (the school reads it in the conversation thread).
    """

    name: str
    source: frozenset[Status]
    target: Status
    label: str
    reviews_content: bool = False
    needs_note: bool = False


_S = Status
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(name="submit", source=frozenset({_S.DRAFT, _S.CHANGES_REQUESTED}),
                   target=_S.SUBMITTED, label=N_("Submit for review"), reviews_content=True),
        Transition(name="request_changes", source=frozenset({_S.SUBMITTED}),
                   target=_S.CHANGES_REQUESTED, label=N_("Request changes"),
                   reviews_content=True, needs_note=True),
        Transition(name="publish", source=frozenset({_S.SUBMITTED}), target=_S.PUBLISHED,
                   label=N_("Publish"), reviews_content=True),
        Transition(name="decline", source=frozenset({_S.SUBMITTED, _S.CHANGES_REQUESTED}),
                   target=_S.DECLINED, label=N_("Decline"), reviews_content=True,
                   needs_note=True),
        Transition(name="withdraw", source=OPEN_STATUSES, target=_S.WITHDRAWN,
                   label=N_("Withdraw"), reviews_content=True),
        Transition(name="promote", source=frozenset({_S.PUBLISHED}), target=_S.PROMISING,
                   label=N_("Promote to promising practice")),
        Transition(name="flag_for_policy", source=frozenset({_S.PROMISING}),
                   target=_S.FLAGGED_FOR_POLICY, label=N_("Flag for policy dissemination")),
        Transition(name="archive", source=PUBLIC_STATUSES, target=_S.ARCHIVED,
                   label=N_("Archive")),
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


def applies_to_revision(practice_status: str, has_pending_revision: bool, action: str) -> bool:
    """Tell whether `action` applies to the pending revision rather than to the practice.

    True for the content-review actions on a public practice that has a pending revision.
    """
    transition = TRANSITIONS.get(action)
    return (
        transition is not None
        and transition.reviews_content
        and has_pending_revision
        and practice_status in PUBLIC_STATUSES
    )
