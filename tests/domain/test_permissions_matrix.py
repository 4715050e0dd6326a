"""Every role x action x (own institution / own country / elsewhere), against a matrix written
out by hand from issue 3. The National Coordinator and the curator are affiliated with the
"own" institution, so the rule "nobody publishes or promotes their own institution's practice"
is exercised, not vacuous."""
from __future__ import annotations

import pytest
from factories import make_institution, make_practice, make_user

from practices.errors import PermissionDenied
from practices.permissions import PERMISSIONS, SYSTEM, can, require
from practices.roles import Role
from practices.services import transition
from practices.workflow import TRANSITIONS, Status

pytestmark = pytest.mark.postgres

ROLES = ["school_editor", "national_coordinator", "curator", "administrator"]
POSITIONS = ["own_institution", "own_country", "elsewhere"]

# One cell per role: three marks for the practice's position (own institution, own country,
# elsewhere); y = allowed, - = refused.
ON_A_PRACTICE = """
action           school_editor national_coordinator curator administrator
submit           y--           ---                  ---     ---
withdraw         y--           ---                  ---     ---
request_changes  ---           -y-                  -yy     ---
publish          ---           -y-                  -yy     ---
decline          ---           -y-                  -yy     ---
promote          ---           ---                  -yy     ---
flag_for_policy  ---           ---                  -yy     ---
archive          ---           ---                  yyy     ---
edit             y--           ---                  ---     ---
view             y--           yy-                  yyy     yyy
comment          y--           yy-                  yyy     ---
"""

# Actions concerning no single practice: y/- per role.
WITHOUT_A_PRACTICE = """
action               school_editor national_coordinator curator administrator
create               y             -                    -       -
view_own_practices   y             -                    -       -
view_review_queue    -             y                    y       -
view_promotion_queue -             -                    y       -
view_curated         -             -                    y       -
view_dashboard       -             y                    y       -
write_briefs         -             -                    y       -
write_country_report -             y                    -       -
view_audit           -             -                    y       y
export_audit         -             -                    y       y
manage_users         -             -                    -       y
set_membership       -             -                    y       y
view_applications    -             y                    y       y
recommend_membership -             y                    -       -
create_institution   -             y                    y       y
manage_tokens        y             y                    y       y
import               -             y                    y       -
transfer             -             -                    -       -
"""


def parse(table: str) -> dict[str, dict[str, str]]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    assert header[1:] == ROLES
    return {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in rows}


# A draft nobody has submitted yet ("Only your school sees this draft"): the same positions.
ON_A_DRAFT = """
action           school_editor national_coordinator curator administrator
view             y--           ---                  ---     ---
comment          y--           ---                  ---     ---
edit             y--           ---                  ---     ---
submit           y--           ---                  ---     ---
withdraw         y--           ---                  ---     ---
"""

PRACTICE_MATRIX = parse(ON_A_PRACTICE)
PLAIN_MATRIX = parse(WITHOUT_A_PRACTICE)
DRAFT_MATRIX = parse(ON_A_DRAFT)


@pytest.fixture
def world(session):
    """Actors affiliated with institution A (FR); practices at A, at B (FR) and at C (DE)."""
    own = make_institution(session, "A", "FR")
    same_country = make_institution(session, "B", "FR")
    elsewhere = make_institution(session, "C", "DE")
    actors = {
        "school_editor": make_user(session, Role.SCHOOL_EDITOR, institution=own),
        "national_coordinator": make_user(
            session, Role.NATIONAL_COORDINATOR, institution=own, country="FR"
        ),
        "curator": make_user(session, Role.CURATOR, institution=own),
        "administrator": make_user(session, Role.ADMINISTRATOR),
    }
    practices = {
        "own_institution": make_practice(session, status=Status.SUBMITTED, institution=own),
        "own_country": make_practice(session, status=Status.SUBMITTED,
                                     institution=same_country),
        "elsewhere": make_practice(session, status=Status.SUBMITTED, institution=elsewhere),
    }
    return actors, practices


def test_every_permission_is_in_one_of_the_expected_matrices():
    assert set(PERMISSIONS) == set(PRACTICE_MATRIX) | set(PLAIN_MATRIX)


def test_every_transition_has_a_permission_entry():
    assert set(TRANSITIONS) <= set(PERMISSIONS)
    assert set(TRANSITIONS) <= set(PRACTICE_MATRIX)


def test_the_permission_table_matches_the_matrix_cell_by_cell(world):
    actors, practices = world
    wrong = []
    for action, cells in PRACTICE_MATRIX.items():
        for role, marks in cells.items():
            for position, mark in zip(POSITIONS, marks, strict=True):
                allowed = can(actors[role], action, practices[position])
                if allowed != (mark == "y"):
                    wrong.append((action, role, position, "allowed" if allowed else "refused"))
    assert wrong == []


@pytest.mark.parametrize("how", ["draft", "withdrawn before submission"])
def test_a_draft_nobody_submitted_is_its_schools_alone(session, world, how):
    actors, _ = world
    own, same_country, elsewhere = (make_institution(session, n, c)
                                    for n, c in [("A2", "FR"), ("B2", "FR"), ("C2", "DE")])
    actors["school_editor"].institution = own
    actors["national_coordinator"].institution = own
    status = Status.DRAFT if how == "draft" else Status.WITHDRAWN
    drafts = {}
    for position, institution in zip(POSITIONS, (own, same_country, elsewhere), strict=True):
        practice = make_practice(session, status=Status.DRAFT, institution=institution)
        if status == Status.WITHDRAWN:
            transition(session, practice.id, "withdraw", actor=SYSTEM)
        drafts[position] = practice
    session.flush()
    wrong = [
        (action, role, position)
        for action, cells in DRAFT_MATRIX.items()
        for role, marks in cells.items()
        for position, mark in zip(POSITIONS, marks, strict=True)
        if can(actors[role], action, drafts[position]) != (mark == "y")
    ]
    assert wrong == []


def test_a_practice_withdrawn_after_submission_stays_visible_to_its_reviewers(session, world):
    actors, practices = world
    submitted = practices["own_country"]
    transition(session, submitted.id, "withdraw", actor=SYSTEM)
    assert can(actors["national_coordinator"], "view", submitted)
    assert can(actors["curator"], "view", submitted)


def test_actions_without_a_practice_match_the_matrix(world):
    actors, _ = world
    wrong = [
        (action, role)
        for action, cells in PLAIN_MATRIX.items()
        for role, mark in cells.items()
        if can(actors[role], action) != (mark == "y")
    ]
    assert wrong == []


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_nobody_signed_out_or_deactivated_may_do_anything(session, world, action):
    actors, practices = world
    editor = actors["school_editor"]
    editor.active = False
    for actor in (None, object(), editor):
        assert not can(actor, action, practices["own_institution"])


def test_the_system_may_do_everything(world):
    _, practices = world
    assert all(can(SYSTEM, action, practices["elsewhere"]) for action in PERMISSIONS)


def test_refusals_say_who_may_do_what_where(world):
    actors, practices = world
    messages = {}
    for role, position, action in [
        ("school_editor", "elsewhere", "publish"),
        ("school_editor", "own_country", "submit"),
        ("national_coordinator", "elsewhere", "publish"),
        ("curator", "own_institution", "promote"),
    ]:
        with pytest.raises(PermissionDenied) as caught:
            require(actors[role], action, practices[position])
        messages[(role, action)] = str(caught.value)
    assert messages == {
        ("school_editor", "publish"): "a school editor may not publish practices",
        ("school_editor", "submit"): "a school editor may submit practices of their own "
        "institution only",
        ("national_coordinator", "publish"): "a National Coordinator may publish practices of "
        "their own country (FR) only; this practice is from DE",
        ("curator", "promote"): "nobody may promote practices of their own institution",
    }


def test_a_school_editor_without_an_institution_cannot_create(world):
    actors, _ = world
    editor = actors["school_editor"]
    editor.institution_id, editor.institution = None, None
    with pytest.raises(PermissionDenied, match="needs an institution"):
        require(editor, "create")
