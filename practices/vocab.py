"""Controlled vocabularies of the ASPnet Practice Exchange.

Codes are what is stored and exchanged (API, import/export, URLs); labels are for people.
Sources: thematic areas and action pillars from the ASPnet Strategy 2022-2029 (UNESCO);
SDG targets from UN General Assembly resolution A/RES/70/1 (169 targets, numbered N.n for
outcome targets and N.a/N.b/... for means of implementation).
"""
from __future__ import annotations

from types import MappingProxyType

THEMES = MappingProxyType(
    {
        "gced": "Peace through Global Citizenship Education",
        "esd": "Education for Sustainable Development",
        "intercultural": "Intercultural learning and cultural diversity & heritage",
    }
)

PILLARS = MappingProxyType(
    {
        1: "Schools drive innovation",
        2: "Capacity building through pilot projects",
        3: "Communication & advocacy",
        4: "Networking, collaboration & coordination",
    }
)

LEVELS = MappingProxyType(
    {
        "early_childhood": "Early childhood",
        "primary": "Primary",
        "secondary": "Secondary",
        "tvet": "Technical and vocational",
        "teacher_training": "Teacher training",
    }
)

EMERGING_ISSUES = MappingProxyType(
    {
        "ai": "Artificial intelligence",
        "disinformation": "Disinformation",
        "waste": "Waste",
        "climate": "Climate",
        "health_wellbeing": "Health and well-being",
        "media_information_literacy": "Media and information literacy",
    }
)

INSTITUTION_SECTORS = MappingProxyType({"public": "Public", "private": "Private"})
INSTITUTION_LOCALITIES = MappingProxyType({"urban": "Urban", "rural": "Rural"})

# Short names of the 17 Goals (UN SDG icons wording).
SDG_GOALS = MappingProxyType(
    {
        1: "No poverty",
        2: "Zero hunger",
        3: "Good health and well-being",
        4: "Quality education",
        5: "Gender equality",
        6: "Clean water and sanitation",
        7: "Affordable and clean energy",
        8: "Decent work and economic growth",
        9: "Industry, innovation and infrastructure",
        10: "Reduced inequalities",
        11: "Sustainable cities and communities",
        12: "Responsible consumption and production",
        13: "Climate action",
        14: "Life below water",
        15: "Life on land",
        16: "Peace, justice and strong institutions",
        17: "Partnerships for the goals",
    }
)

# (numbered targets, lettered targets) per Goal, as in A/RES/70/1.
_TARGET_SHAPE = {
    1: (5, "ab"),
    2: (5, "abc"),
    3: (9, "abcd"),
    4: (7, "abc"),
    5: (6, "abc"),
    6: (6, "ab"),
    7: (3, "ab"),
    8: (10, "ab"),
    9: (5, "abc"),
    10: (7, "abc"),
    11: (7, "abc"),
    12: (8, "abc"),
    13: (3, "ab"),
    14: (7, "abc"),
    15: (9, "abc"),
    16: (10, "ab"),
    17: (19, ""),
}

SDG_TARGETS: tuple[str, ...] = tuple(
    f"{goal}.{t}"
    for goal, (numbered, lettered) in _TARGET_SHAPE.items()
    for t in [*map(str, range(1, numbered + 1)), *lettered]
)
"""All 169 SDG target codes in official order: "1.1" ... "4.7", "4.a" ... "17.19"."""

_SDG_TARGET_SET = frozenset(SDG_TARGETS)


def is_sdg_target(code: str) -> bool:
    """Tell whether `code` is one of the 169 official SDG target numbers (e.g. "4.7", "4.a")."""
    return code in _SDG_TARGET_SET
