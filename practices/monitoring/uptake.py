"""Uptake: a school says its practice adapts another school's (any language, any country); both
practice pages show the link, and the original counts the schools and countries that took it
up, as evidence for scaling."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from practices.errors import NotFound, ValidationError
from practices.i18n import Message
from practices.models import Adaptation, Practice
from practices.monitoring.scope import Scope
from practices.permissions import Actor, require
from practices.services import audit, notify
from practices.services.transitions import load_for_update
from practices.visibility import visible_clause
from practices.workflow import PUBLIC_STATUSES

# A practice named by its number or by the address of its page (".../practices/123").
_REFERENCE = re.compile(r"^\s*(?:\S*/practices/)?(\d{1,12})/?\s*$")


@dataclass(frozen=True)
class Uptake:
    """Who took a practice up: the public practices adapted from it (newest first), and how
    many distinct schools and countries they come from."""

    adaptations: list[Practice]
    schools: int
    countries: int


def parse_reference(text: str) -> int:
    """Return the practice number in "123" or "https://.../practices/123".

    Raises:
        ValidationError: neither a number nor the address of a practice's page.
    """
    match = _REFERENCE.match(text or "")
    if match is None:
        raise ValidationError({"original": Message(
            "give the number of the practice or the address of its page")})
    return int(match.group(1))


def declare_adaptation(session: Session, practice_id: int, original_id: int | None, *,
                       actor: Actor) -> Adaptation | None:
    """Record that the school's practice adapts `original_id` (None: it adapts nothing any
    more), replacing what was said before; write an audit entry; e-mail the original's
    school (kind "adapted"); flush.

    Raises:
        NotFound: no such practice.
        PermissionDenied: only the practice's own school says what it adapts ("edit").
        ValidationError: the original is not public, is this practice, or is of the same
            school.
    """
    practice = load_for_update(session, practice_id)
    require(actor, "edit", practice)
    current = session.get(Adaptation, practice_id)
    if current is not None:
        session.delete(current)
        session.flush()
    made = None
    if original_id is not None:
        original = _public_original(session, original_id)
        if original.id == practice.id or (
                practice.institution_id is not None
                and original.institution_id == practice.institution_id):
            raise ValidationError({"original": Message(
                "a practice adapts another school's practice, not one of its own school")})
        made = Adaptation(practice_id=practice.id, original_id=original.id,
                          created_by_id=getattr(actor, "id", None))
        session.add(made)
        if current is None or current.original_id != original.id:  # tell them once
            notify.after_adaptation(session, practice, original, actor=actor)
    audit.record(session, actor=actor, action="declare_adaptation", practice=practice,
                 details={"original_id": original_id})
    session.flush()
    return made


def adapted_from(session: Session, practice_id: int) -> Practice | None:
    """Return the public practice `practice_id` says it adapts, if any."""
    return session.scalars(
        select(Practice).join(Adaptation, Adaptation.original_id == Practice.id)
        .where(Adaptation.practice_id == practice_id, visible_clause())).first()


def uptake_of(session: Session, original_id: int, limit: int = 50) -> Uptake:
    """Return who took `original_id` up, counting only public adaptations."""
    adapted = (select(Practice).join(Adaptation, Adaptation.practice_id == Practice.id)
               .where(Adaptation.original_id == original_id, visible_clause()))
    counts = session.execute(
        select(func.count(func.distinct(Practice.institution_id)),
               func.count(func.distinct(Practice.country)))
        .join(Adaptation, Adaptation.practice_id == Practice.id)
        .where(Adaptation.original_id == original_id, visible_clause())).one()
    listed = session.scalars(adapted.order_by(Practice.published_at.desc()).limit(limit))
    return Uptake(adaptations=list(listed), schools=counts[0] or 0, countries=counts[1] or 0)


def most_taken_up(session: Session, scope: Scope, limit: int = 20
                  ) -> list[tuple[int, str, str, int, int]]:
    """Return the scope's public practices most taken up: (id, title, language, schools,
    countries) by schools then countries, counting public adaptations from anywhere."""
    adaptation = aliased(Practice)
    original_in_scope = [visible_clause()]
    if scope.countries is not None:
        original_in_scope.append(Practice.country.in_(scope.countries))
    adopting = (select(Adaptation.original_id.label("original_id"),
                       adaptation.institution_id.label("school"),
                       adaptation.country.label("country"))
                .join(adaptation, adaptation.id == Adaptation.practice_id)
                .where(adaptation.status.in_(PUBLIC_STATUSES))
                .subquery())
    schools = func.count(func.distinct(adopting.c.school))
    countries = func.count(func.distinct(adopting.c.country))
    stmt = (select(Practice.id, Practice.title, Practice.language, schools, countries)
            .join(adopting, adopting.c.original_id == Practice.id)
            .where(*original_in_scope)
            .group_by(Practice.id, Practice.title, Practice.language)
            .order_by(schools.desc(), countries.desc(), Practice.id).limit(limit))
    return [tuple(row) for row in session.execute(stmt)]


def _public_original(session: Session, original_id: int) -> Practice:
    original = session.scalars(select(Practice).where(
        Practice.id == original_id, visible_clause())).first()
    if original is None:
        raise ValidationError({"original": Message(
            "practice %(id)s is not a published practice", id=original_id)})
    return original


def adaptation_of(session: Session, practice_id: int, *, actor: Actor
                  ) -> tuple[Practice, Practice | None]:
    """Return (the school's practice, the public practice it says it adapts or None), for
    the school's form.

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor may not edit this practice.
    """
    practice = session.get(Practice, practice_id)
    if practice is None:
        raise NotFound(Message("no practice %(id)s", id=practice_id))
    require(actor, "edit", practice)
    return practice, adapted_from(session, practice_id)
