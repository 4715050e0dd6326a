"""Reading practices: by id, public only, in bulk for search hits, counts and id lists, and
the practices under work a person may see."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session, joinedload

from practices.errors import no_practice
from practices.models import Institution, Practice
from practices.permissions import can
from practices.visibility import visible_clause


def get_practice(session: Session, practice_id: int) -> Practice:
    """Return the practice with this id, whatever its status.

    Raises:
        NotFound: no such practice.
    """
    practice = session.get(Practice, practice_id)
    if practice is None:
        raise no_practice(practice_id)
    return practice


def get_public_practice(session: Session, practice_id: int) -> Practice:
    """Return the practice if the public may see it.

    Raises:
        NotFound: no such practice, or it is not public (status, or a suspended member's);
            the cases are indistinguishable so that practices under review are never revealed.
    """
    practice = session.get(Practice, practice_id)
    if practice is None or not practice.is_public:
        raise no_practice(practice_id)
    return practice


def get_practices(session: Session, ids: Iterable[int]) -> dict[int, Practice]:
    """Return {id: practice} for the ids that exist, with tags and institution loaded.

    One query (joined eager loading), for mapping search hits back to practices; ids that
    do not exist are simply absent. Visibility is the caller's business (the index holds
    public practices only).
    """
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = (
        select(Practice)
        .where(Practice.id.in_(wanted))
        .options(joinedload(Practice.tags), joinedload(Practice.institution))
    )
    return {p.id: p for p in session.scalars(stmt).unique()}


def count_practices(session: Session) -> int:
    """Return the number of practices in every status."""
    return session.scalar(select(func.count()).select_from(Practice)) or 0


def public_practice_ids(session: Session) -> list[int]:
    """Return the ids of all practices the public may see (practices.visibility), ascending."""
    stmt = select(Practice.id).where(visible_clause()).order_by(Practice.id)
    return list(session.scalars(stmt))


def unpublished_seen_by(session: Session, actor: Any, *,
                        country: str | None = None) -> list[Practice]:
    """Return the practices the public may not see that `actor` may ("view" in
    practices.permissions): those of the actor's own institution, and those of `country`
    (a reviewer's). A draft nobody submitted stays its school's alone; a school never sees
    another school's practice under work.
    """
    where = []
    if getattr(actor, "institution_id", None) is not None:
        where.append(Practice.institution_id == actor.institution_id)
    if country:
        where.append(Institution.country == country)
        where.append(and_(Practice.institution_id.is_(None), Practice.country == country))
    if not where:
        return []
    stmt = (select(Practice).outerjoin(Institution, Practice.institution_id == Institution.id)
            .where(not_(visible_clause()), or_(*where))
            .options(joinedload(Practice.institution)).order_by(Practice.id))
    return [p for p in session.scalars(stmt).unique() if can(actor, "view", p)]
