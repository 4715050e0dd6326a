"""Creating and editing practices, and moving them through the workflow."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices import workflow
from practices.errors import Conflict
from practices.models import Institution, Practice, utcnow
from practices.services.institutions import Institutions
from practices.services.mapping import fill, same_content
from practices.services.queries import get_practice
from practices.validation import PracticeData
from practices.workflow import Status


def create_practice(
    session: Session, data: PracticeData, *, status: Status = Status.SUBMITTED
) -> Practice:
    """Add a practice (body rendered to body_html, institution found or created) and flush.

    Args:
        status: where the practice starts; PUBLISHED also stamps published_at.

    Raises:
        Conflict: another practice already has data.external_id.
    """
    _require_free_external_id(session, data.external_id)
    published_at = utcnow() if status == Status.PUBLISHED else None
    practice = Practice(status=status, published_at=published_at)
    fill(practice, data, _institution(session, data))
    session.add(practice)
    session.flush()
    return practice


def update_practice(session: Session, practice_id: int, data: PracticeData) -> Practice:
    """Replace a practice's content with `data`; its status does not change.

    updated_at moves only when something actually changed (tags included).

    Raises:
        NotFound: no such practice.
        Conflict: data.external_id belongs to another practice.
    """
    practice = get_practice(session, practice_id)
    if data.external_id not in (None, practice.external_id):
        _require_free_external_id(session, data.external_id)
    institution = _institution(session, data)
    if not same_content(practice, data, institution):
        fill(practice, data, institution)
        practice.updated_at = utcnow()
    session.flush()
    return practice


def submit(session: Session, practice_id: int) -> Practice:
    """Send a draft for review (workflow action "submit").

    Raises:
        NotFound: no such practice.
        InvalidTransition: the practice is not a draft.
    """
    return transition(get_practice(session, practice_id), "submit")


def publish(session: Session, practice_id: int) -> Practice:
    """Make a submitted practice public (workflow action "publish") and stamp published_at.

    Raises:
        NotFound: no such practice.
        InvalidTransition: the practice is not submitted.
    """
    return transition(get_practice(session, practice_id), "publish")


def transition(practice: Practice, action: str) -> Practice:
    """Apply one action of workflow.TRANSITIONS to a loaded practice.

    Raises:
        InvalidTransition: the action is not allowed from the practice's status.
    """
    practice.status = workflow.apply(practice.status, action)
    if practice.status == Status.PUBLISHED:
        practice.published_at = utcnow()
    return practice


def _institution(session: Session, data: PracticeData) -> Institution | None:
    return Institutions(session).resolve(data.institution) if data.institution else None


def _require_free_external_id(session: Session, external_id: str | None) -> None:
    if external_id is None:
        return
    taken = session.scalar(select(Practice.id).where(Practice.external_id == external_id))
    if taken is not None:
        raise Conflict(f"practice {taken} already has external_id {external_id!r}")
