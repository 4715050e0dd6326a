"""Translatable labels of the controlled vocabularies (practices.vocab) for the web pages.

practices/ never imports Flask, so its English labels cannot be marked for translation there.
They are repeated here inside lazy_gettext calls, which pybabel extracts; a test checks that
the codes and the English wording stay the same as practices.vocab.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.labels.display import country_name, language_name
from app.labels.translate import translate
from practices import vocab
from practices.filters import FILTERS, Names
from practices.workflow import Status

THEMES = {
    "gced": _l("Peace through Global Citizenship Education"),
    "esd": _l("Education for Sustainable Development"),
    "intercultural": _l("Intercultural learning and cultural diversity & heritage"),
}
PILLARS = {
    1: _l("Schools drive innovation"),
    2: _l("Capacity building through pilot projects"),
    3: _l("Communication & advocacy"),
    4: _l("Networking, collaboration & coordination"),
}
LEVELS = {
    "early_childhood": _l("Early childhood"),
    "primary": _l("Primary"),
    "secondary": _l("Secondary"),
    "tvet": _l("Technical and vocational"),
    "teacher_training": _l("Teacher training"),
}
EMERGING_ISSUES = {
    "ai": _l("Artificial intelligence"),
    "disinformation": _l("Disinformation"),
    "waste": _l("Waste"),
    "climate": _l("Climate"),
    "health_wellbeing": _l("Health and well-being"),
    "media_information_literacy": _l("Media and information literacy"),
}
INSTITUTION_SECTORS = {"public": _l("Public"), "private": _l("Private")}
INSTITUTION_LOCALITIES = {"urban": _l("Urban"), "rural": _l("Rural")}
SDG_GOALS = {
    1: _l("No poverty"),
    2: _l("Zero hunger"),
    3: _l("Good health and well-being"),
    4: _l("Quality education"),
    5: _l("Gender equality"),
    6: _l("Clean water and sanitation"),
    7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"),
    9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"),
    11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"),
    13: _l("Climate action"),
    14: _l("Life below water"),
    15: _l("Life on land"),
    16: _l("Peace, justice and strong institutions"),
    17: _l("Partnerships for the goals"),
}

# Workflow statuses (practices.workflow.Status), as badges, lists and the search filter.
STATUSES = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted for review"),
    Status.CHANGES_REQUESTED: _l("Changes requested"),
    Status.PUBLISHED: _l("Published"),
    Status.PROMISING: _l("Promising practice"),
    Status.FLAGGED_FOR_POLICY: _l("Flagged for policy"),
    Status.WITHDRAWN: _l("Withdrawn"),
    Status.DECLINED: _l("Declined"),
    Status.ARCHIVED: _l("Archived"),
}

# Titles of the tag lists on a practice page (plural).
TAG_TITLES = {
    "theme": _l("Thematic areas"),
    "pillar": _l("Action pillars"),
    "level": _l("Education levels"),
    "emerging_issue": _l("Emerging issues"),
    "sdg_target": _l("SDG targets"),
}

# Mirrors of practices.vocab, checked against it by tests/web/test_i18n_rtl.py.
VOCABULARIES = {
    "THEMES": (THEMES, vocab.THEMES),
    "PILLARS": (PILLARS, vocab.PILLARS),
    "LEVELS": (LEVELS, vocab.LEVELS),
    "EMERGING_ISSUES": (EMERGING_ISSUES, vocab.EMERGING_ISSUES),
    "INSTITUTION_SECTORS": (INSTITUTION_SECTORS, vocab.INSTITUTION_SECTORS),
    "INSTITUTION_LOCALITIES": (INSTITUTION_LOCALITIES, vocab.INSTITUTION_LOCALITIES),
    "SDG_GOALS": (SDG_GOALS, vocab.SDG_GOALS),
}


def pillar_label(number: int | str) -> str:
    """Return "Pillar 2: Capacity building through pilot projects" (translated)."""
    name = PILLARS.get(int(number))
    if name is None:
        return str(number)
    return str(_l("Pillar %(number)s: %(name)s", number=number, name=name))


def sdg_target_label(code: str) -> str:
    """Return "Target 4.7 (Quality education)": the target number and its Goal's short name."""
    goal = SDG_GOALS.get(int(code.split(".")[0])) if code.split(".")[0].isdigit() else None
    if goal is None:
        return code
    return str(_l("Target %(code)s (%(goal)s)", code=code, goal=goal))


def practice_tags(practice) -> list[tuple[str, list[str]]]:
    """Return the practice's tags to show, [(field, values)], each list in its vocabulary's
    order (SDG targets as in A/RES/70/1: 4.7 before 12.5); empty fields left out."""
    fields = (
        ("theme", practice.themes, list(THEMES)),
        ("pillar", [str(p) for p in practice.pillars], [str(p) for p in PILLARS]),
        ("level", practice.levels, list(LEVELS)),
        ("emerging_issue", practice.emerging_issues, list(EMERGING_ISSUES)),
        ("sdg_target", practice.sdg_targets, list(vocab.SDG_TARGETS)),
    )
    return [(name, sorted(values, key=_position_in(order))) for name, values, order in fields
            if values]


def _position_in(order: list[str]):
    rank = {code: n for n, code in enumerate(order)}
    return lambda code: (rank.get(code, len(rank)), code)


def field_name(key: str) -> str:
    """Return the name of a search filter (practices.filters.FILTERS) in the interface language."""
    return translate(FILTERS[key].label)


def value_label(field: str, value: str) -> str:
    """Return how a filter or tag value is shown: a label for codes, a name for countries."""
    entry = FILTERS.get(field)
    if entry is None:
        return str(_CODE_LABELS.get(field, {}).get(value, value))
    if entry.names is Names.PILLAR:
        return pillar_label(value) if str(value).isdigit() else str(value)
    if entry.names is Names.SDG_TARGET:
        return sdg_target_label(value)
    if entry.names is Names.COUNTRY:
        return country_name(value)
    if entry.names is Names.LANGUAGE:
        return language_name(value)
    vocabulary = entry.vocabulary or {}
    return translate(vocabulary[value]) if value in vocabulary else str(value)


# Codes of the institutions' fields, which are not search filters.
_CODE_LABELS = {"sector": INSTITUTION_SECTORS, "locality": INSTITUTION_LOCALITIES}
