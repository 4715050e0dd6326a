"""The README's workflow table is checked against the one transition table and the one
permission table, so the documentation cannot drift from the code (datasette test_docs)."""
import re
from pathlib import Path

from practices.permissions import PERMISSIONS
from practices.roles import Role
from practices.workflow import TRANSITIONS

README = Path(__file__).resolve().parents[2] / "README.md"
ROLE_WORDS = {
    Role.SCHOOL_EDITOR: "school editor",
    Role.NATIONAL_COORDINATOR: "National Coordinator",
    Role.CURATOR: "curator",
    Role.ADMINISTRATOR: "administrator",
}


def workflow_rows() -> dict[str, tuple[set[str], str, str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Workflow", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`(\w+)`", cells[0]) if len(cells) == 4 else None
        if match:
            sources = {s.strip() for s in cells[1].split(",")}
            rows[match.group(1)] = (sources, cells[2], cells[3])
    return rows


def test_the_readme_lists_every_transition_with_its_states():
    rows = workflow_rows()

    assert {name: (sources, target) for name, (sources, target, _) in rows.items()} == {
        t.name: ({str(s) for s in t.source}, str(t.target)) for t in TRANSITIONS.values()
    }


def test_the_readme_names_who_may_take_each_transition():
    for name, (_, _, who) in workflow_rows().items():
        rule = PERMISSIONS[name]
        named = {role for role, word in ROLE_WORDS.items() if word in who}
        assert named == set(rule.roles), name
        assert ("not for their own institution" in who) == rule.not_own_institution, name
        assert ("note required" in who) == TRANSITIONS[name].needs_note, name
