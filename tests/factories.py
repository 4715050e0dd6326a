"""Test data made through the real services (CKAN's factories): a practice "in status X" has
walked the real transitions, by real accounts, so no test starts from a state the workflow
could not reach. make_practice is the one way tests make practices (the web tests' fixture
add_practice runs it in its own committed session)."""
from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select

from practices.models import Institution, Practice, User
from practices.permissions import SYSTEM
from practices.roles import Membership, Role
from practices.services import (
    create_draft,
    create_institution,
    create_user,
    flag_for_policy,
    promote,
    transition,
)
from practices.validation import InstitutionData, PracticeData, validate_practice
from practices.workflow import TRANSITIONS, Status

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)

VALID_DOSSIER: dict[str, Any] = {
    "scores": {
        "relevance": 3, "impact": 2, "replicability": 2, "conditions": 2,
        "sustainability": 2, "participation": 3,
    },
    "summary": "Well documented, with an external evaluation.",
    "evidence": [
        {"type": "evaluation", "title": "External evaluation", "source": "University of Lyon",
         "date": "2024-05-01"},
    ],
}  # fmt: skip
VALID_POLICY_NOTE: dict[str, Any] = {
    "audience": "Ministries of education",
    "key_message": "Composting at school works with little money.",
    "countries": ["FR", "SN"],
}

# How make_practice reaches each status from a draft: (action, who takes it).
_PATHS: dict[Status, list[tuple[str, str]]] = {
    Status.DRAFT: [],
    Status.SUBMITTED: [("submit", "author")],
    Status.CHANGES_REQUESTED: [("submit", "author"), ("request_changes", "reviewer")],
    Status.WITHDRAWN: [("submit", "author"), ("withdraw", "author")],
    Status.DECLINED: [("submit", "author"), ("decline", "reviewer")],
    Status.PUBLISHED: [("submit", "author"), ("publish", "reviewer")],
    Status.PROMISING: [("submit", "author"), ("publish", "reviewer"), ("promote", "curator")],
    Status.FLAGGED_FOR_POLICY: [
        ("submit", "author"), ("publish", "reviewer"), ("promote", "curator"),
        ("flag_for_policy", "curator"),
    ],
    Status.ARCHIVED: [("submit", "author"), ("publish", "reviewer"), ("archive", "curator")],
}  # fmt: skip


def make_institution(
    session, name: str | None = None, country: str = "FR", membership: str = Membership.MEMBER
) -> Institution:
    """Create an institution (a certified member unless said otherwise)."""
    name = name or f"School {next(_numbers)}"
    data = InstitutionData(name=name, country=country, city="Somewhere")
    return create_institution(session, data, actor=SYSTEM, membership=Membership(membership))


def make_user(
    session,
    role: str,
    *,
    institution: Institution | None = None,
    country: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    """Create an account; a school editor without an institution gets a new one."""
    if role == Role.SCHOOL_EDITOR and institution is None:
        institution = make_institution(session, country=country or "FR")
        country = None
    email = email or f"{role.replace('_', '-')}-{next(_numbers)}@test.example"
    return create_user(
        session, email, role, password=password, name=email.split("@")[0],
        institution_id=institution.id if institution else None, country=country, actor=SYSTEM,
    )  # fmt: skip


def practice_record(n: int | None = None, **overrides: Any) -> dict[str, Any]:
    """Return a valid practice record (import/API shape); `overrides` replace fields.

    It names no country: a practice made by make_practice takes its school's."""
    n = next(_numbers) if n is None else n
    record = {
        "title": f"School garden {n}",
        "summary": f"Pupils of class {n} grow vegetables and compost the canteen's waste.",
        "body": "We built raised beds.\n\n## What changed\n\n- less waste\n- more *salad*",
        "language": "en",
        "themes": ["esd"],
    }
    record.update(overrides)
    return record


def practice_data(n: int | None = None, **overrides: Any) -> PracticeData:
    """Return valid practice content (practice_record, validated); `overrides` replace fields."""
    return validate_practice(practice_record(n, **overrides))


def make_practice(
    session,
    *,
    status: Status = Status.PUBLISHED,
    institution: Institution | str | dict | None = None,
    author: User | None = None,
    data: PracticeData | None = None,
    **fields: Any,
) -> Practice:
    """Create a practice in `status` by walking the real transitions as real accounts.

    The content is `data`, else practice_data(**fields) (record fields: title, language,
    themes...). `institution` is an Institution, or as in a record a name or {name, country,
    ...}: the school of that name, found or made as a certified member. The author is a
    school editor of the institution (made when not given); the reviewer is a National
    Coordinator of the institution's country; the curator an unaffiliated curator. Flushes;
    the caller commits.
    """
    if institution is not None and not isinstance(institution, Institution):
        fields["institution"], institution = institution, None
    if data is None:
        data = practice_data(**fields)
        if institution is None and data.institution is not None:
            institution = _institution(session, data.institution)
    if author is None:
        institution = institution or make_institution(session)
        author = _one(session, Role.SCHOOL_EDITOR, institution=institution)
    practice = create_draft(session, data, actor=author)
    actors = {
        "author": author,
        "reviewer": lambda: _one(session, Role.NATIONAL_COORDINATOR, country=author.scope_country),
        "curator": lambda: _one(session, Role.CURATOR),
    }
    for action, who in _PATHS[Status(status)]:
        actor = actors[who]() if callable(actors[who]) else actors[who]
        _act(session, practice.id, action, actor)
    return practice


def _act(session, practice_id: int, action: str, actor: User) -> None:
    if action == "promote":
        promote(session, practice_id, VALID_DOSSIER, actor=actor)
    elif action == "flag_for_policy":
        flag_for_policy(session, practice_id, VALID_POLICY_NOTE, actor=actor)
    else:
        note = "Reasons given by the factory." if TRANSITIONS[action].needs_note else ""
        transition(session, practice_id, action, actor=actor, note=note)


def _institution(session, data: InstitutionData) -> Institution:
    """Return the institution of that name and country, made (a member) if there is none."""
    found = session.scalars(select(Institution).where(
        Institution.name == data.name, Institution.country == data.country)).first()
    return found or create_institution(session, data, actor=SYSTEM, membership=Membership.MEMBER)


def _one(session, role: Role, *, institution=None, country=None) -> User:
    """Return an existing account with exactly this role and scope, or a new one."""
    stmt = select(User).where(
        User.role == role,
        User.institution_id == institution.id if institution else User.institution_id.is_(None),
        User.country == country if country else User.country.is_(None),
    )
    return session.scalars(stmt).first() or make_user(
        session, role, institution=institution, country=country
    )
