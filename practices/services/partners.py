"""Partner schools (twinning): schools in other countries whose public practices are closest
to a school's own, across languages, and a school telling another it is interested.

Only certified member schools and public practices take part. How close two practices are is
the search's business: the caller passes `neighbours(practice_id)`, the practices most
similar to one practice (app.search's "similar practices", limited to other countries). This
module groups those pairs by school, keeps each school's best pair, says what the two
practices share (thematic areas, SDG targets, levels), and applies the filters.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from practices.errors import Conflict, NotFound, ValidationError
from practices.i18n import Message
from practices.models import Institution, PartnerInterest, Practice, User
from practices.permissions import Actor, require
from practices.roles import Membership, Role
from practices.services import audit
from practices.services.notify import queue
from practices.visibility import visible_clause

MAX_MESSAGE = 2000

Neighbours = Callable[[int], Sequence[tuple[Practice, float]]]
"""practice id -> [(similar public practice of another country, cosine score)], best first."""


@dataclass(frozen=True)
class PartnerFilters:
    """Which partner schools to show: of a country (ISO alpha-2), teaching a level, or
    writing in a language (primary BCP 47 subtag); None means any."""

    country: str | None = None
    level: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class PartnerMatch:
    """A school that could be a partner: the pair of practices that makes the match (the
    school's own and theirs), its cosine score, and what the two share."""

    school: Institution
    own: Practice
    theirs: Practice
    score: float
    shared_themes: tuple[str, ...] = field(default=())
    shared_sdg_targets: tuple[str, ...] = field(default=())
    shared_levels: tuple[str, ...] = field(default=())


def partner_schools(
    session: Session, neighbours: Neighbours, *, actor: Actor,
    filters: PartnerFilters = PartnerFilters(), limit: int = 20,
) -> list[PartnerMatch]:
    """Return member schools of other countries whose public practices are closest to the
    actor's school's public practices, best first, one entry per school.

    Raises:
        PermissionDenied: the actor is not a school editor with an institution.
    """
    require(actor, "view_own_practices")
    own_school = actor.institution  # type: ignore[union-attr]
    own = session.scalars(select(Practice).where(
        Practice.institution_id == own_school.id, visible_clause())).all()
    best: dict[int, PartnerMatch] = {}
    for practice in own:
        for theirs, score in neighbours(practice.id):
            match = _match(practice, theirs, score, own_school, filters)
            if match is not None and (match.school.id not in best
                                      or score > best[match.school.id].score):
                best[match.school.id] = match
    return sorted(best.values(), key=lambda m: -m.score)[:limit]


def express_interest(
    session: Session, to_institution_id: int, *, actor: Actor, own_practice_id: int | None,
    their_practice_id: int | None, message: str = "",
) -> PartnerInterest:
    """Tell another member school that the actor's school would like to work with it; its
    editors are e-mailed (kind "partner_interest"); flush.

    Raises:
        PermissionDenied: the actor is not a school editor with an institution.
        NotFound: no such member school (or the actor's own).
        ValidationError: {"message": ...} longer than MAX_MESSAGE characters.
        Conflict: the school already told that one (already done).
    """
    require(actor, "view_own_practices")
    own_school = actor.institution  # type: ignore[union-attr]
    other = session.get(Institution, to_institution_id)
    if other is None or other.membership != Membership.MEMBER or other.id == own_school.id:
        raise NotFound(Message("school %(id)s is not a member school", id=to_institution_id))
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": Message("at most %(count)d characters",
                                                  count=MAX_MESSAGE)})
    if _existing(session, own_school.id, other.id) is not None:
        raise Conflict(Message("your school already told %(school)s", school=other.name))
    interest = PartnerInterest(
        from_institution_id=own_school.id, to_institution_id=other.id,
        own_practice_id=own_practice_id, their_practice_id=their_practice_id,
        message=message.strip(), created_by=actor if isinstance(actor, User) else None)
    try:
        with session.begin_nested():  # two clicks at once: the unique pair decides
            session.add(interest)
            session.flush()
    except IntegrityError:
        raise Conflict(Message("your school already told %(school)s",
                               school=other.name)) from None
    audit.record(session, actor=actor, action="partner_interest",
                 details={"from": own_school.name, "to": other.name,
                          "interest_id": interest.id})
    _tell(session, interest, actor)
    return interest


def interests_of(session: Session, *, actor: Actor) -> tuple[list[PartnerInterest],
                                                              list[PartnerInterest]]:
    """Return (received, sent) interests of the actor's school, newest first.

    Raises:
        PermissionDenied: the actor is not a school editor with an institution.
    """
    require(actor, "view_own_practices")
    school_id = actor.institution_id  # type: ignore[union-attr]
    rows = session.scalars(select(PartnerInterest).where(or_(
        PartnerInterest.from_institution_id == school_id,
        PartnerInterest.to_institution_id == school_id)).order_by(PartnerInterest.id.desc()))
    received, sent = [], []
    for row in rows:
        (received if row.to_institution_id == school_id else sent).append(row)
    return received, sent


def _match(own: Practice, theirs: Practice, score: float, own_school: Institution,
           filters: PartnerFilters) -> PartnerMatch | None:
    school = theirs.institution
    if (school is None or school.membership != Membership.MEMBER or school.id == own_school.id
            or school.country == own_school.country or not theirs.is_public):
        return None
    if filters.country and school.country != filters.country:
        return None
    if filters.level and filters.level not in (school.levels or []) \
            and filters.level not in theirs.levels:
        return None
    if filters.language and theirs.language.split("-")[0] != filters.language:
        return None
    return PartnerMatch(
        school=school, own=own, theirs=theirs, score=score,
        shared_themes=_shared(own.themes, theirs.themes),
        shared_sdg_targets=_shared(own.sdg_targets, theirs.sdg_targets),
        shared_levels=_shared(own.levels, theirs.levels))


def _shared(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(a) & set(b)))


def _existing(session: Session, from_id: int, to_id: int) -> PartnerInterest | None:
    return session.scalar(select(PartnerInterest).where(
        PartnerInterest.from_institution_id == from_id,
        PartnerInterest.to_institution_id == to_id))


def _tell(session: Session, interest: PartnerInterest, actor: Actor) -> None:
    editors = session.scalars(select(User).where(
        User.role == Role.SCHOOL_EDITOR, User.institution_id == interest.to_institution_id,
        User.active.is_(True)).order_by(User.id))
    school = interest.from_institution
    params = {"school": school.name, "country": school.country, "note": interest.message,
              "actor": getattr(actor, "name", "") or getattr(actor, "email", ""),
              "title": interest.own_practice.title if interest.own_practice else ""}
    for editor in editors:
        queue(session, "partner_interest", editor, event=f"partner{interest.id}",
              practice=interest.own_practice, params=params)
