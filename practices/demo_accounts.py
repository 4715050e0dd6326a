"""Demo accounts of every role, and demo practices in every workflow state.

Run after seed_demo (the accounts belong to demo institutions). Every state is reached by
the real services acting as the demo users, so the audit log, the queues and the
conversation threads look as they would after real use.

Passwords are generated per account and returned, once: `make run` prints them on first
start. Nothing is ever created with a well-known password, so a demo instance reachable from
a network is not open to anyone who read this file. Tests may pass one `password` for all.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices.errors import NotFound
from practices.i18n import Message
from practices.models import Practice, User
from practices.passwords import generate_password
from practices.permissions import Actor
from practices.records import JSONL, read_records
from practices.roles import Role
from practices.services import (
    add_comment,
    create_draft,
    create_user,
    edit_practice,
    flag_for_policy,
    promote,
    transition,
)
from practices.services.mapping import to_data
from practices.validation import validate_practice

WORKFLOW_FILE: Traversable = files("practices") / "data" / "demo_workflow.jsonl"
DEMO_DOMAIN = "practice-exchange.example"  # RFC 2606 reserved: mail to it goes nowhere

# (local part, role, demo practice whose institution the account belongs to, or country).
_ACCOUNTS = (
    ("admin", Role.ADMINISTRATOR, None, None),
    ("curator", Role.CURATOR, None, None),
    ("nc-fr", Role.NATIONAL_COORDINATOR, None, "FR"),
    ("nc-ke", Role.NATIONAL_COORDINATOR, None, "KE"),
    ("nc-br", Role.NATIONAL_COORDINATOR, None, "BR"),
    ("school-fr", Role.SCHOOL_EDITOR, "demo-fr-002", None),
    ("school-ke", Role.SCHOOL_EDITOR, "demo-sw-001", None),
    ("school-br", Role.SCHOOL_EDITOR, "demo-pt-001", None),
)


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as created: its address, role, password and what it acts for."""

    email: str
    role: str
    password: str
    scope: str


def seed_demo_accounts(session: Session, *, actor: Actor,
                       password: str | None = None) -> list[DemoAccount]:
    """Create the demo accounts (as `actor`, who may manage users: the system) and move demo
    practices into every workflow state, each step taken by a demo account; flush.

    Does nothing and returns [] when any account exists already (passwords are shown once).

    Raises:
        PermissionDenied: the actor may not manage users.
        NotFound: the demo practices are missing (run seed_demo first).
    """
    if session.scalar(select(User.id).limit(1)) is not None:
        return []
    accounts, users = _create_accounts(session, password, actor)
    _walk_states(session, users)
    return accounts


def _create_accounts(
    session: Session, password: str | None, actor: Actor
) -> tuple[list[DemoAccount], dict[str, User]]:
    accounts, users = [], {}
    for local, role, practice_ref, country in _ACCOUNTS:
        institution = _demo_practice(session, practice_ref).institution if practice_ref else None
        secret = password or generate_password()
        email = f"{local}@{DEMO_DOMAIN}"
        users[local] = create_user(
            session, email, role, password=secret, name=f"Demo {local}",
            institution_id=institution.id if institution else None, country=country,
            actor=actor,
        )  # fmt: skip
        scope = f"{institution.name} ({institution.country})" if institution else country or "all"
        accounts.append(DemoAccount(email, role, secret, scope))
    return accounts, users


def _walk_states(session: Session, u: dict[str, User]) -> None:
    drafts = {r["external_id"]: r for r in _workflow_records()}

    def draft(ref: str, school: str) -> int:
        return create_draft(session, validate_practice(drafts[ref]), actor=u[school]).id

    def act(pid: int, action: str, who: str, note: str = "") -> None:
        transition(session, pid, action, actor=u[who], note=note)

    draft("demo-wf-fr-001", "school-fr")  # stays a draft
    act(draft("demo-wf-sw-001", "school-ke"), "submit", "school-ke")  # waits in KE's queue
    pid = draft("demo-wf-pt-001", "school-br")
    act(pid, "submit", "school-br")
    act(pid, "request_changes", "nc-br", "Please add how many students took part.")
    add_comment(session, pid, "Thank you, we will add the numbers.", actor=u["school-br"])
    pid = draft("demo-wf-fr-002", "school-fr")
    act(pid, "submit", "school-fr")
    act(pid, "withdraw", "school-fr", "We will resubmit next year with the partner school.")
    pid = draft("demo-wf-sw-002", "school-ke")
    act(pid, "submit", "school-ke")
    act(pid, "decline", "nc-ke", "Too short to help another school; describe the steps.")
    _pending_revision(session, _demo_practice(session, "demo-fr-002"), u["school-fr"])
    promising = _demo_practice(session, "demo-es-002").id
    promote(session, promising, DEMO_DOSSIERS["demo-es-002"], actor=u["curator"])
    flagged = _demo_practice(session, "demo-en-003").id
    promote(session, flagged, DEMO_DOSSIERS["demo-en-003"], actor=u["curator"])
    flag_for_policy(session, flagged, DEMO_POLICY_NOTE, actor=u["curator"])
    act(_demo_practice(session, "demo-de-002").id, "archive", "curator", "Superseded.")


def _pending_revision(session: Session, practice: Practice, school: User) -> None:
    data = to_data(practice)
    summary = data.summary + " Depuis 2025, les élèves de 4e animent les séances."
    edit_practice(session, practice.id, replace(data, summary=summary), actor=school)
    transition(session, practice.id, "submit", actor=school)


def _demo_practice(session: Session, external_id: str) -> Practice:
    practice = session.scalar(select(Practice).where(Practice.external_id == external_id))
    if practice is None:
        raise NotFound(Message("demo practice %(id)s is missing: run seed_demo first",
                               id=external_id))
    return practice


def _workflow_records() -> list[dict[str, Any]]:
    with WORKFLOW_FILE.open("rb") as stream:
        return [record for _, record in read_records(stream, JSONL)]  # type: ignore[misc]


DEMO_DOSSIERS: dict[str, dict[str, Any]] = {
    "demo-es-002": {
        "scores": {
            "relevance": 3, "impact": 2, "replicability": 3, "conditions": 2,
            "sustainability": "na", "participation": 3,
        },
        "summary": "Grandparents and pupils record oral memory together; an external "
        "evaluation found gains in pupils' pride in Quechua and in their writing.",
        "evidence": [
            {"type": "evaluation", "title": "Evaluation of the oral memory project",
             "source": "Regional education office", "date": "2024-11-15"},
            {"type": "testimony", "title": "Grandparents' testimonies (recorded)",
             "source": "Parents' association", "date": "2024-06-30"},
        ],
    },
    "demo-en-003": {
        "scores": {
            "relevance": 3, "impact": 3, "replicability": 3, "conditions": 3,
            "sustainability": 2, "participation": 3,
        },
        "summary": "Students audit the school's energy use and halved it in two years; "
        "the meter readings are published and the method is simple to copy.",
        "evidence": [
            {"type": "data", "title": "Monthly electricity meter readings 2022-2024",
             "source": "School business office", "date": "2024-12-20"},
            {"type": "media", "title": "Local newspaper article on the student auditors",
             "source": "Regional newspaper", "date": "2024-03-02",
             "url": "https://news.example/energy-auditors"},
        ],
    },
}  # fmt: skip
DEMO_POLICY_NOTE: dict[str, Any] = {
    "audience": "Ministries of education and national ESD focal points",
    "key_message": "Student energy audits cut school energy use and teach data literacy; "
    "they need only meters and a timetable slot.",
    "countries": ["AU", "NZ", "FJ"],
}
