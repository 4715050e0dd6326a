"""Who sees what: every page the app serves (read from app.url_map, so a new page is walked
without anyone adding it here) is fetched by every role, for a practice in every state, and
the practice's content may appear only in the answers of those allowed to see it. Every
answer to a signed-in person says `Cache-Control: no-store`.

Expected visibility, written out by hand (not read from practices.permissions):
- a draft nobody has submitted (or withdrawn before submission), and a pending edit not yet
  submitted: its school alone ("Only your school sees this draft");
- under review or closed (submitted, changes requested, declined, withdrawn after
  submission, archived, a submitted edit): its school, its country's National Coordinator,
  curators and administrators;
- public (published, promising, flagged for policy): everyone.
"""
from __future__ import annotations

from flask import url_for
from werkzeug.routing import IntegerConverter

from app.db import get_session
from practices.services import edit_practice, transition
from tests.factories import make_institution, make_practice, make_user, practice_data
from tests.web.helpers import login_as

ROLES = ["school", "other_school", "coordinator", "other_coordinator", "curator",
         "administrator", "anonymous"]
SCHOOL_ONLY = {"school"}
REVIEWERS = {"school", "coordinator", "curator", "administrator"}
EVERYONE = set(ROLES)

# state: (how the practice got there, who may see its content; of the pending edit, if any)
STATES = {
    "draft": (["draft"], SCHOOL_ONLY, None),
    "withdrawn before submission": (["draft", "withdraw"], SCHOOL_ONLY, None),
    "submitted": (["submitted"], REVIEWERS, None),
    "changes requested": (["changes_requested"], REVIEWERS, None),
    "declined": (["declined"], REVIEWERS, None),
    "withdrawn after submission": (["withdrawn"], REVIEWERS, None),
    "published": (["published"], EVERYONE, None),
    "promising": (["promising"], EVERYONE, None),
    "flagged for policy": (["flagged_for_policy"], EVERYONE, None),
    "archived": (["archived"], REVIEWERS, None),
    "published, edit drafted": (["published", "edit"], EVERYONE, SCHOOL_ONLY),
    "published, edit submitted": (["published", "edit", "submit"], EVERYONE, REVIEWERS),
    "promising, edit drafted": (["promising", "edit"], EVERYONE, SCHOOL_ONLY),
}

SKIPPED_ENDPOINTS = {"static"}


def marker(n: int, part: str) -> str:
    return f"QX{n:02d}{part}QX"


def build_world(app):
    """Return ({role: user or None}, [(state, practice id, markers by who may see them)])."""
    with app.app_context():
        session = get_session()
        school = make_institution(session, "École des secrets", "FR")
        people = {
            "school": make_user(session, "school_editor", institution=school),
            "other_school": make_user(session, "school_editor", country="FR"),
            "coordinator": make_user(session, "national_coordinator", country="FR"),
            "other_coordinator": make_user(session, "national_coordinator", country="DE"),
            "curator": make_user(session, "curator"),
            "administrator": make_user(session, "administrator"),
            "anonymous": None,
        }
        author = people["school"]
        practices = []
        for n, (state, (steps, seen_by, edit_seen_by)) in enumerate(STATES.items()):
            data = practice_data(title=f"Title {marker(n, 'T')}",
                                 body=f"Body {marker(n, 'B')} of the practice.")
            practice = make_practice(session, status=steps[0], author=author, data=data)
            markers = {marker(n, "T"): seen_by, marker(n, "B"): seen_by}
            for step in steps[1:]:
                if step == "edit":
                    edit_practice(session, practice.id, practice_data(
                        title=f"Edit {marker(n, 'E')}", body=f"Edited {marker(n, 'F')}."),
                        actor=author)
                    markers.update({marker(n, "E"): edit_seen_by, marker(n, "F"): edit_seen_by})
                else:
                    transition(session, practice.id, step, actor=author)
            practices.append((state, practice.id, markers))
        session.commit()
        for user in people.values():
            if user is not None:
                session.refresh(user)  # readable once the session is closed
        return people, practices


def pages(app, practice_id: int, user_id: int) -> list[str]:
    """Return the address of every GET page of the app, about this practice where a page
    concerns one."""
    # Attached files' own visibility (a draft's files, a pending edit's) is walked by
    # tests/web/test_attachments.py; here a file address answers like the others (404).
    values = {"practice_id": [practice_id], "number": [1, 2], "user_id": [user_id],
              "language": ["fr"], "attachment_id": [1], "name": ["file.pdf"],
              "token": ["not-a-valid-token"], "application_id": [1], "part": [1],
              "code": ["FR"], "year": [2025], "chart": ["themes"], "kind": ["countries"],
              "brief_id": [1], "job_id": ["0123456789abcdef"]}
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
                continue
            combos = [{}]
            for name in sorted(rule.arguments):
                combos = [{**c, name: v} for c in combos for v in _values(rule, name, values)]
            found.extend(url_for(rule.endpoint, **c) for c in combos)
    return sorted(set(found))


def _values(rule, name: str, known: dict) -> list:
    # A parameter this walk does not know yet (a page added later) still gets a value: an
    # integer one the practice's id (most likely to reach the practice), any other a country.
    if name in known:
        return known[name]
    return known["practice_id"] if isinstance(rule._converters[name], IntegerConverter) \
        else ["FR"]


def test_every_page_shows_a_practice_only_to_those_allowed_to_see_it(app):
    people, practices = build_world(app)
    clients = {}
    for role, user in people.items():
        clients[role] = app.test_client()
        if user is not None:
            assert login_as(clients[role], user).status_code == 302
    wrong, errors, stored, seen = [], [], [], {}
    for state, practice_id, markers in practices:
        for url in pages(app, practice_id, people["school"].id):
            for role, client in clients.items():
                response = client.get(url)
                if response.status_code >= 500:
                    errors.append((state, role, url, response.status_code))
                if people[role] is not None and response.cache_control.no_store is not True:
                    stored.append((role, url))  # the Back button would show it after sign-out
                body = response.get_data().decode("utf-8", "replace")  # PDFs too
                for text, allowed in markers.items():
                    if text in body:
                        seen.setdefault((state, text), set()).add(role)
                        if role not in allowed:
                            wrong.append((state, role, url, text))
    assert errors == []
    assert wrong == []
    assert stored == []
    # And each of those allowed finds it somewhere (the check above is not vacuous).
    missing = [(state, text, allowed - seen.get((state, text), set()))
               for state, _, markers in practices for text, allowed in markers.items()
               if allowed - seen.get((state, text), set())]
    assert missing == []
