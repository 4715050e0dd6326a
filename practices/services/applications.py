"""Joining the network without an administrator: a school applies, its country's National
Coordinator recommends it (or declines it, saying why), and the ASPnet Unit certifies it (or
declines it). Each step tells the next person by e-mail (practices.notifications KINDS
"application_*"), in the same transaction as the step.

The applying school becomes an institution with membership "applicant" and its first editor an
inactive account with no usable password; certification makes the institution a member,
activates the account and sends the editor a link to choose a password.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practices.errors import Conflict, NotFound, PermissionDenied, ValidationError
from practices.i18n import Message
from practices.models import ApplicationStatus, Institution, MembershipApplication, User, utcnow
from practices.passwords import hash_password
from practices.permissions import Actor, require
from practices.roles import Membership, Role
from practices.services import audit
from practices.services.account_fields import check_email, clean_name
from practices.services.institutions import Institutions
from practices.services.locking import lock_row
from practices.services.notify import queue
from practices.validation import InstitutionData, validate_institution

MAX_MOTIVATION = 4000
OPEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED)


@dataclass(frozen=True)
class Applicant:
    """The first editor named in an application: a name and an e-mail address."""

    name: str
    email: str


def apply_to_join(
    session: Session, institution: dict[str, Any], applicant: Applicant, *,
    motivation: str = "", language: str = "en",
) -> MembershipApplication:
    """Record a school's application (anyone may apply; no account needed); flush.

    Args:
        institution: the institution's fields (practices.validation.validate_institution).
        applicant: the first editor; their address must not have an account yet.
        motivation: what the school says about itself (optional, at most 4,000 characters).
        language: the BCP 47 interface language of the form, for the messages to the school.

    Raises:
        ValidationError: {field: message} for bad institution fields (their own names, a
            school of that name already in that country under "name"), a bad or taken
            address ("editor_email"), a missing editor name ("editor_name"), a motivation too
            long ("motivation").
    """
    errors: dict[str, str] = {}
    data = _institution(institution, errors)
    email_errors: dict[str, str] = {}
    email = check_email(session, applicant.email, email_errors)
    if "email" in email_errors:
        errors["editor_email"] = email_errors["email"]
    name = clean_name(applicant.name)
    if not name:
        errors["editor_name"] = Message("is required")
    if len(motivation) > MAX_MOTIVATION:
        errors["motivation"] = Message("at most %(count)d characters", count=MAX_MOTIVATION)
    if data is not None and Institutions(session).find(data) is not None:
        errors["name"] = Message("%(name)s (%(country)s) is already in the "
                                             "network", name=data.name, country=data.country)
    if errors or data is None:
        raise ValidationError(errors)
    school = Institution(name=data.name, country=data.country, city=data.city,
                         levels=list(data.levels), sector=data.sector, locality=data.locality,
                         membership=Membership.APPLICANT)
    # The editor is written to in the language they applied in (users.ui_language).
    editor = User(email=email, name=name, role=Role.SCHOOL_EDITOR, institution=school,
                  active=False, password_hash=hash_password(secrets.token_urlsafe(32)),
                  ui_language=language)
    application = MembershipApplication(institution=school, editor=editor, country=data.country,
                                        motivation=motivation.strip(), language=language)
    session.add_all([school, editor, application])
    session.flush()
    _record(session, editor, "apply", application)
    for coordinator in _coordinators(session, data.country):
        _tell(session, "application_received", coordinator, application)
    return application


def recommend_application(session: Session, application_id: int, *, actor: Actor,
                          note: str) -> MembershipApplication:
    """The National Coordinator recommends a submitted application to the Unit; flush.

    Raises:
        NotFound: no such application (or one of another country, for a coordinator).
        PermissionDenied: the actor may not recommend applications.
        ValidationError: {"note": ...} the recommendation is empty.
        Conflict: the application is no longer waiting for a recommendation (already done).
    """
    require(actor, "recommend_membership")
    application = _locked(session, application_id, actor)
    if not note.strip():
        raise ValidationError({"note": Message("say why you recommend this school")})
    _require_status(application, (ApplicationStatus.SUBMITTED,), "recommend")
    application.status = ApplicationStatus.RECOMMENDED
    application.recommendation = note.strip()
    application.recommended_at = utcnow()
    application.recommended_by = actor if isinstance(actor, User) else None
    _record(session, actor, "recommend_membership", application, note=note.strip())
    for person in _unit(session):
        _tell(session, "application_recommended", person, application, actor=actor,
              note=note.strip())
    return application


def certify_application(session: Session, application_id: int, *, actor: Actor,
                        hours: int) -> MembershipApplication:
    """The Unit certifies a school: the institution becomes a member, its editor's account is
    activated and told how to choose a password (a link valid `hours` hours); flush.

    Raises:
        NotFound: no such application.
        PermissionDenied: the actor may not change memberships.
        Conflict: the application was already certified or declined (already done).
    """
    require(actor, "set_membership")
    application = _locked(session, application_id, actor)
    _require_status(application, OPEN, "certify")
    application.status = ApplicationStatus.CERTIFIED
    _decided(application, actor)
    application.institution.membership = Membership.MEMBER
    _record(session, actor, "certify_membership", application)
    if application.editor is not None:
        application.editor.active = True
        _tell(session, "application_certified", application.editor, application, hours=hours)
    return application


def decline_application(session: Session, application_id: int, *, actor: Actor,
                        reason: str) -> MembershipApplication:
    """The coordinator (own country) or the Unit declines an open application, saying why;
    the school is told the reason; flush.

    Raises:
        NotFound / PermissionDenied: as recommend_application (coordinators) or
            certify_application (the Unit).
        ValidationError: {"reason": ...} no reason given.
        Conflict: the application was already certified or declined.
    """
    if not _may(actor, "set_membership"):
        require(actor, "recommend_membership")
    application = _locked(session, application_id, actor)
    if not reason.strip():
        raise ValidationError({"reason": Message("say why, the school is told")})
    _require_status(application, OPEN, "decline")
    application.status = ApplicationStatus.DECLINED
    application.reason = reason.strip()
    _decided(application, actor)
    _record(session, actor, "decline_membership", application, note=reason.strip())
    if application.editor is not None:
        _tell(session, "application_declined", application.editor, application,
              note=reason.strip())
    return application


def list_applications(session: Session, *, actor: Actor,
                      status: str | None = None) -> list[MembershipApplication]:
    """Return the applications the actor decides on (a coordinator: their country's), the
    open ones first, oldest first.

    Raises:
        PermissionDenied: the actor may not see applications.
    """
    require(actor, "view_applications")
    stmt = select(MembershipApplication).order_by(
        MembershipApplication.status.not_in(OPEN), MembershipApplication.submitted_at)
    if _country_scoped(actor):
        stmt = stmt.where(MembershipApplication.country == actor.scope_country)
    if status:
        stmt = stmt.where(MembershipApplication.status == status)
    return list(session.scalars(stmt))


def count_applications(session: Session, *, actor: Actor) -> dict[str, int]:
    """Return {status: count} of the applications the actor sees (list_applications)."""
    require(actor, "view_applications")
    stmt = select(MembershipApplication.status, func.count()).group_by(
        MembershipApplication.status)
    if _country_scoped(actor):
        stmt = stmt.where(MembershipApplication.country == actor.scope_country)
    return {status: 0 for status in ApplicationStatus} | dict(session.execute(stmt).all())


def get_application(session: Session, application_id: int, *,
                    actor: Actor) -> MembershipApplication:
    """Return one application the actor may see.

    Raises:
        NotFound: no such application, or one of another country for a coordinator.
        PermissionDenied: the actor may not see applications.
    """
    require(actor, "view_applications")
    application = session.get(MembershipApplication, application_id)
    return _visible(application, application_id, actor)


def _institution(fields: dict[str, Any], errors: dict[str, str]) -> InstitutionData | None:
    try:
        return validate_institution(fields)
    except ValidationError as exc:
        errors.update(exc.errors)
        return None


def _locked(session: Session, application_id: int, actor: Actor) -> MembershipApplication:
    # Lock, then read, then decide: a second click waits and then sees the first's status.
    application = lock_row(session, MembershipApplication, application_id)
    return _visible(application, application_id, actor)


def _visible(application: MembershipApplication | None, application_id: int,
             actor: Actor) -> MembershipApplication:
    if application is None or (_country_scoped(actor)
                                and application.country != actor.scope_country):
        raise NotFound(Message("application %(id)s does not exist", id=application_id))
    return application


def _country_scoped(actor: Actor) -> bool:
    return getattr(actor, "role", None) == Role.NATIONAL_COORDINATOR


def _may(actor: Actor, action: str) -> bool:
    try:
        require(actor, action)
    except PermissionDenied:
        return False
    return True


def _require_status(application: MembershipApplication, allowed: tuple[str, ...],
                    action: str) -> None:
    if application.status not in allowed:
        raise Conflict(Message("this application is already %(status)s",
                               status=application.status))


def _decided(application: MembershipApplication, actor: Actor) -> None:
    application.decided_at = utcnow()
    application.decided_by = actor if isinstance(actor, User) else None


def _coordinators(session: Session, country: str) -> list[User]:
    return list(session.scalars(select(User).where(
        User.role == Role.NATIONAL_COORDINATOR, User.country == country,
        User.active.is_(True)).order_by(User.id)))


def _unit(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(
        User.role == Role.CURATOR, User.active.is_(True)).order_by(User.id)))


def _record(session: Session, actor: Actor | User, action: str,
            application: MembershipApplication, *, note: str = "") -> None:
    school = application.institution
    details = {"application_id": application.id, "institution_id": school.id,
               "institution": school.name, "country": school.country}
    audit.record(session, actor=actor, action=action, to_status=application.status,
                 note=note, details=details)
    session.flush()


def _tell(session: Session, kind: str, recipient: User, application: MembershipApplication,
          *, actor: Actor | None = None, note: str = "", hours: int = 0) -> None:
    school = application.institution
    params = {"application_id": application.id, "school": school.name,
              "city": school.city or "", "country": school.country, "note": note,
              "actor": getattr(actor, "name", "") or getattr(actor, "email", ""),
              "hours": hours}
    if recipient.id == application.editor_id:
        params["language"] = application.language  # the school's language, not the actor's
    queue(session, kind, recipient, event=f"application{application.id}:{application.status}",
          params=params)

