"""Work lists: a school's own practices, the review queue, the promotion queue."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session, contains_eager, selectinload

from practices.errors import PermissionDenied
from practices.i18n import Message
from practices.models import Institution, Practice, PracticeRevision, User, utcnow
from practices.permissions import Actor, require
from practices.roles import Role
from practices.services.pages import Page, paginate
from practices.visibility import visible_clause
from practices.workflow import Status


@dataclass(frozen=True)
class ReviewItem:
    """A submission waiting for review: a first submission or an edit of a public practice."""

    practice: Practice
    revision: PracticeRevision
    submitted_at: datetime
    waiting: timedelta

    @property
    def is_revision(self) -> bool:
        """True for an edit of a public practice (the public version stays online meanwhile)."""
        return self.revision.number != self.practice.current_revision_no


def own_practices(session: Session, *, actor: Actor, status: str | None = None) -> list[Practice]:
    """Return the practices of the actor's institution, most recently changed first.

    Raises:
        PermissionDenied: the actor is not a school editor with an institution.
    """
    require(actor, "view_own_practices")
    stmt = (
        select(Practice)
        .where(Practice.institution_id == actor.institution_id)
        .options(selectinload(Practice.revisions))
        .order_by(Practice.updated_at.desc(), Practice.id.desc())
    )
    if status:
        stmt = stmt.where(Practice.status == status)
    return list(session.scalars(stmt))


def review_queue(
    session: Session,
    *,
    actor: Actor,
    country: str | None = None,
    now: datetime | None = None,
) -> list[ReviewItem]:
    """Return the submissions waiting for review, oldest first, with their waiting time.

    A National Coordinator sees their own country's; a curator sees every country's, or
    `country`'s. Practices of the actor's own institution are left out (they cannot review
    them).

    Raises:
        PermissionDenied: the actor may not review, or asks for another country's queue.
    """
    now = now or utcnow()
    return [
        ReviewItem(r.practice, r, r.submitted_at, now - r.submitted_at)  # type: ignore[operator]
        for r in _queued(session, actor, country, Status.SUBMITTED,
                         PracticeRevision.submitted_at)
    ]


@dataclass(frozen=True)
class SchoolWaitItem:
    """A submission sent back to its school with a request for changes, not yet resubmitted."""

    practice: Practice
    revision: PracticeRevision
    requested_at: datetime
    waiting: timedelta


def waiting_for_school(
    session: Session,
    *,
    actor: Actor,
    country: str | None = None,
    now: datetime | None = None,
) -> list[SchoolWaitItem]:
    """Return the submissions whose school was asked for changes, longest waiting first.

    Same scope as review_queue (a National Coordinator: their country; a curator: every
    country or `country`); the waiting time counts from the revision's last change (the
    request for changes, or the school's last edit since).

    Raises:
        PermissionDenied: as review_queue.
    """
    now = now or utcnow()
    return [SchoolWaitItem(r.practice, r, r.updated_at, now - r.updated_at)
            for r in _queued(session, actor, country, Status.CHANGES_REQUESTED,
                             PracticeRevision.updated_at)]


def _queued(session: Session, actor: Actor, country: str | None, status: Status,
            since) -> list[PracticeRevision]:
    # The revisions in `status` a reviewer may act on (not their own institution's), of the
    # queue's country, oldest `since` first, with their practice and institution loaded.
    require(actor, "view_review_queue")
    country = _queue_country(actor, country)
    stmt = (
        select(PracticeRevision)
        .join(PracticeRevision.practice)
        .outerjoin(Practice.institution)
        .where(PracticeRevision.status == status, _not_own(actor))
        .options(contains_eager(PracticeRevision.practice).contains_eager(Practice.institution))
        .order_by(since, PracticeRevision.id)
    )
    if country is not None:
        stmt = stmt.where(_country_of_practice() == country)
    return list(session.scalars(stmt))


def promotion_queue(
    session: Session,
    *,
    actor: Actor,
    country: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[Practice]:
    """Return publicly shown practices that are published but not promoted, longest
    published first, leaving out the actor's own institution's.

    Raises:
        PermissionDenied: the actor is not a curator.
        ValidationError: bad page or per_page.
    """
    require(actor, "view_promotion_queue")
    stmt = (
        select(Practice)
        .outerjoin(Practice.institution)
        .where(Practice.status == Status.PUBLISHED, visible_clause(), _not_own(actor))
        .order_by(Practice.published_at, Practice.id)
    )
    if country:
        stmt = stmt.where(_country_of_practice() == country.upper())
    return paginate(session, stmt, page, per_page)


def _queue_country(actor: Actor, country: str | None) -> str | None:
    if not isinstance(actor, User) or actor.role != Role.NATIONAL_COORDINATOR:
        return country.upper() if country else None
    own = actor.scope_country
    if country and country.upper() != own:
        raise PermissionDenied(Message(
            "a National Coordinator may see the review queue of their own country (%(own)s) "
            "only, not %(country)s's", own=own, country=country.upper()))
    return own


def _country_of_practice() -> ColumnElement[str]:
    # Reviews go by the institution's country; a practice without one by its own country.
    return func.coalesce(Institution.country, Practice.country)


def _not_own(actor: Actor) -> ColumnElement[bool]:
    own = getattr(actor, "institution_id", None)
    if own is None:
        return true()
    return or_(Practice.institution_id.is_(None), Practice.institution_id != own)
