"""Institutions as members of the network: creating them, certifying, suspending.

A change of membership can change which practices the public sees (a suspended member's
practices leave search) without any practice row changing; the search sync picks it up from
the changed Institution row (app/search/writer.py re-checks all of its practices).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices.errors import NotFound, PermissionDenied, ValidationError
from practices.i18n import Message
from practices.models import Institution
from practices.permissions import Actor, require
from practices.roles import Membership, Role
from practices.services import audit
from practices.services.institutions import Institutions
from practices.services.locking import lock_row
from practices.validation import InstitutionData


def create_institution(
    session: Session,
    data: InstitutionData,
    *,
    actor: Actor,
    membership: Membership = Membership.APPLICANT,
) -> Institution:
    """Add an institution (an applicant unless said otherwise); flush. A National
    Coordinator adds institutions of their own country, as applicants (the Unit certifies).

    Raises:
        PermissionDenied: the actor may not add institutions, or a coordinator names another
            country or another membership than "applicant".
        ValidationError: {"name": ...} an institution of that name exists in that country.
    """
    require(actor, "create_institution")
    if getattr(actor, "role", None) == Role.NATIONAL_COORDINATOR:
        if data.country != actor.scope_country:
            raise PermissionDenied(Message(
                "a National Coordinator adds institutions of their own country (%(own)s) only",
                own=actor.scope_country))
        if membership != Membership.APPLICANT:
            raise PermissionDenied(Message("only the ASPnet Unit certifies members"))
    if Institutions(session).find(data) is not None:
        raise ValidationError({"name": Message("%(name)s (%(country)s) already exists",
                                                name=data.name, country=data.country)})
    institution = Institution(
        name=data.name, country=data.country, city=data.city, levels=list(data.levels),
        sector=data.sector, locality=data.locality, membership=Membership(membership),
    )  # fmt: skip
    session.add(institution)
    session.flush()
    audit.record(
        session, actor=actor, action="create_institution", to_status=institution.membership,
        details={"institution_id": institution.id, "institution": institution.name},
    )  # fmt: skip
    return institution


def list_institutions(
    session: Session, *, actor: Actor, country: str | None = None,
    membership: str | None = None,
) -> list[Institution]:
    """Return institutions by country and name, optionally of one country or membership.

    Raises:
        PermissionDenied: the actor may not change memberships (who else needs the list).
    """
    require(actor, "set_membership")
    stmt = select(Institution).order_by(Institution.country, Institution.name)
    if country:
        stmt = stmt.where(Institution.country == country.upper())
    if membership:
        stmt = stmt.where(Institution.membership == membership)
    return list(session.scalars(stmt))


def get_institution(session: Session, institution_id: int, *, actor: Actor) -> Institution:
    """Return an institution, for those who may change memberships.

    Raises:
        PermissionDenied: the actor may not change memberships. NotFound: no such institution.
    """
    require(actor, "set_membership")
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise NotFound(Message("institution %(id)s does not exist", id=institution_id))
    return institution


def set_membership(
    session: Session, institution_id: int, membership: str, *, actor: Actor, note: str = ""
) -> Institution:
    """Change an institution's membership status; flush.

    Only members' practices can be published; a suspended member's practices stay in their
    status but leave the public pages and search until the suspension is lifted.

    Raises:
        NotFound: no such institution.
        PermissionDenied: the actor may not change memberships.
        ValidationError: {"membership": ...} not a membership status.
    """
    require(actor, "set_membership")
    institution = lock_row(session, Institution, institution_id)
    if institution is None:
        raise NotFound(Message("institution %(id)s does not exist", id=institution_id))
    try:
        wanted = Membership(membership)
    except ValueError:
        raise ValidationError({"membership": Message(
            "%(value)r is not one of %(choices)s", value=membership,
            choices=", ".join(Membership))}) from None
    before = institution.membership
    if before == wanted:
        return institution
    institution.membership = wanted
    audit.record(
        session, actor=actor, action="set_membership", from_status=before, to_status=wanted,
        note=note, details={"institution_id": institution.id, "institution": institution.name},
    )  # fmt: skip
    session.flush()
    return institution


def network_countries(session: Session) -> list[str]:
    """Return the ISO 3166-1 alpha-2 codes of the countries with at least one certified
    member institution (the network's countries, offered first in country pickers)."""
    stmt = (select(Institution.country).where(Institution.membership == Membership.MEMBER)
            .distinct().order_by(Institution.country))
    return list(session.scalars(stmt))
