"""Who may see and what may happen to a practice, by its state alone (no actor involved).

One rule for public visibility, used by the public pages, the API, feeds and search sync:
a practice is shown when its status is public (published, promising, flagged_for_policy) and
its institution, if it has one, is not suspended.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, not_, select
from sqlalchemy.orm import aliased

from practices.i18n import Message
from practices.models import Institution, Practice, PracticeRevision
from practices.roles import MEMBERSHIP_LABELS, Membership
from practices.workflow import EDITABLE_STATUSES, PUBLIC_STATUSES, Status


def is_visible(practice: Practice) -> bool:
    """Tell whether the public may see `practice` (same rule as Practice.is_public)."""
    return practice.is_public


def visible_clause() -> ColumnElement[bool]:
    """Return the SQL condition of is_visible, for `select(Practice).where(visible_clause())`."""
    # An alias, so the subquery never correlates with an Institution the caller joined.
    institution = aliased(Institution)
    suspended = exists(
        select(institution.id).where(
            institution.id == Practice.institution_id,
            institution.membership == Membership.SUSPENDED,
        )
    )
    return and_(Practice.status.in_(PUBLIC_STATUSES), not_(suspended))


def is_publishable(practice: Practice) -> bool:
    """Tell whether `practice` may be published: its institution is a certified member.

    A practice without an institution (imported by an operator from another collection)
    has no membership to check and may be published.
    """
    institution = practice.institution
    return institution is None or institution.membership == Membership.MEMBER


def publish_blocker(practice: Practice) -> str | None:
    """Return why `practice` cannot be published (a sentence), or None when it can."""
    return membership_blocker(practice.institution)


def membership_blocker(institution: Institution | None) -> str | None:
    """Return why a practice of `institution` cannot be published, or None when it can."""
    if institution is None or institution.membership == Membership.MEMBER:
        return None
    return Message("only practices of certified member institutions can be published; "
                   "%(name)s is %(membership)s", name=institution.name,
                   membership=Message(MEMBERSHIP_LABELS[institution.membership]))


def is_unsubmitted(revision: PracticeRevision) -> bool:
    """Tell whether a revision is content its school has not sent for review yet: a draft,
    or one withdrawn before it was ever submitted (practices.permissions: the school's alone).
    """
    return revision.submitted_at is None and revision.status in (Status.DRAFT, Status.WITHDRAWN)


def is_private_draft(practice: Practice) -> bool:
    """Tell whether the whole practice is its school's alone: never public, and its content
    never submitted for review (a draft, or withdrawn before submission)."""
    return practice.status in (Status.DRAFT, Status.WITHDRAWN) and is_unsubmitted(
        practice.current_revision)


def is_editable(practice: Practice) -> bool:
    """Tell whether the school may change the content now.

    Drafts and practices with changes requested are edited in place; a public practice
    takes edits into its pending revision unless that revision is under review.
    """
    if practice.status in EDITABLE_STATUSES:
        return True
    if practice.status not in PUBLIC_STATUSES:
        return False
    pending = practice.pending_revision
    return pending is None or pending.status in EDITABLE_STATUSES
