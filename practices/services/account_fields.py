"""Checking what is typed into account forms: address, role and the scope each role needs."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices import codes
from practices.i18n import N_, Message
from practices.models import Institution, User
from practices.roles import Role

MAX_EMAIL, MAX_NAME = 254, 200  # RFC 5321 path limit; the name column
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def normalise_email(text: str) -> str:
    """Return the address trimmed and lower-cased (one account per address, whatever case).

    Raises:
        ValueError: not an e-mail address.
    """
    email = (text or "").strip().lower()
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise ValueError(Message("%(text)r is not an e-mail address", text=text))
    return email


def check_email(
    session: Session, email: str, errors: dict[str, str], user: User | None = None
) -> str:
    """Return the normalised address, or "" after adding an "email" error (bad or taken)."""
    try:
        clean = normalise_email(email)
    except ValueError as exc:
        errors["email"] = exc.args[0]
        return ""
    taken = session.scalar(select(User.id).where(User.email == clean))
    if taken is not None and (user is None or taken != user.id):
        errors["email"] = Message("%(email)s already has an account", email=clean)
    return clean


def check_role(role: str, errors: dict[str, str]) -> Role | None:
    """Return the Role named `role`, or None after adding a "role" error."""
    try:
        return Role(role)
    except ValueError:
        errors["role"] = Message("unknown role %(role)r; choose %(roles)s", role=role,
                                 roles=", ".join(Role))
        return None


def check_scope(
    session: Session,
    role: Role | None,
    institution_id: int | None,
    country: str | None,
    errors: dict[str, str],
) -> tuple[Institution | None, str | None]:
    """Return (institution, country) for `role`, adding an error per field the role must
    have, must not have, or got wrong (an unknown institution, a bad country code)."""
    institution = session.get(Institution, institution_id) if institution_id is not None else None
    if institution_id is not None and institution is None:
        errors["institution_id"] = Message("there is no institution %(id)d", id=institution_id)
    cc = _country(country, errors) if country else None
    for field, (needed, problem) in _SCOPE_RULES.get(role, {}).items():
        given = institution_id if field == "institution_id" else country
        if needed == (given is None):
            errors.setdefault(field, Message(problem))
    if role == Role.NATIONAL_COORDINATOR and institution and cc and institution.country != cc:
        errors["institution_id"] = Message("%(name)s is in %(country)s, not %(wanted)s",
                                           name=institution.name, country=institution.country,
                                           wanted=cc)
    return institution, cc


# Per role, what each scope field must be: (True, why it is needed) or (False, why it must
# stay empty); an absent field is optional (an affiliation that only serves the
# conflict-of-interest rule).
_SCOPE_RULES: dict[Role | None, dict[str, tuple[bool, str]]] = {
    Role.SCHOOL_EDITOR: {
        "institution_id": (True, N_("a school editor needs the institution it writes for")),
        "country": (False, N_("a school editor has no country of its own (it is the "
                              "institution's)")),
    },
    Role.NATIONAL_COORDINATOR: {
        "country": (True, N_("a National Coordinator needs the country it coordinates")),
    },
    Role.CURATOR: {
        "country": (False, N_("a curator has no country (curators act in every country)")),
    },
    Role.ADMINISTRATOR: {
        "institution_id": (False, N_("an administrator has no institution")),
        "country": (False, N_("an administrator has no country")),
    },
}


def _country(country: str, errors: dict[str, str]) -> str | None:
    try:
        return codes.normalise_country(country)
    except ValueError as exc:
        errors["country"] = exc.args[0]
        return None


def clean_name(name: str) -> str:
    """Return a person's name on one line, cut to the column's length."""
    return " ".join((name or "").split())[:MAX_NAME]
