"""Controlled vocabularies of the ASPnet Practice Exchange.

Codes are what is stored and exchanged (API, import/export, URLs); labels are for people,
marked with N_ and translated by the web layer (practices.i18n).
Sources: thematic areas and action pillars from the ASPnet Strategy 2022-2029 (UNESCO);
SDG targets from UN General Assembly resolution A/RES/70/1 (169 targets, numbered N.n for
outcome targets and N.a/N.b/... for means of implementation).
"""
from __future__ import annotations

from types import MappingProxyType

from practices.i18n import N_

THEMES = MappingProxyType(
    {
        "gced": N_("Peace through Global Citizenship Education"),
        "esd": N_("Education for Sustainable Development"),
        "intercultural": N_("Intercultural learning and cultural diversity & heritage"),
    }
)

PILLARS = MappingProxyType(
    {
        1: N_("Schools drive innovation"),
        2: N_("Capacity building through pilot projects"),
        3: N_("Communication & advocacy"),
        4: N_("Networking, collaboration & coordination"),
    }
)

LEVELS = MappingProxyType(
    {
        "early_childhood": N_("Early childhood"),
        "primary": N_("Primary"),
        "secondary": N_("Secondary"),
        "tvet": N_("Technical and vocational"),
        "teacher_training": N_("Teacher training"),
    }
)

EMERGING_ISSUES = MappingProxyType(
    {
        "ai": N_("Artificial intelligence"),
        "disinformation": N_("Disinformation"),
        "waste": N_("Waste"),
        "climate": N_("Climate"),
        "health_wellbeing": N_("Health and well-being"),
        "media_information_literacy": N_("Media and information literacy"),
    }
)

# Who a practice was carried out with (issue 12): the UNESCO networks and designations the
# ASPnet Strategy 2022-2029 names for partnerships, then other kinds of partner.
PARTNER_TYPES = MappingProxyType(
    {
        "unesco_chair": N_("UNESCO Chair or UNITWIN network"),
        "global_geopark": N_("UNESCO Global Geopark"),
        "biosphere_reserve": N_("Biosphere Reserve"),
        "world_heritage_site": N_("World Heritage site"),
        "creative_city": N_("UNESCO Creative City"),
        "learning_city": N_("UNESCO Learning City"),
        "memory_of_the_world": N_("Memory of the World"),
        "field_office": N_("UNESCO field office"),
        "ngo": N_("Non-governmental organisation"),
        "university": N_("University"),
        "other": N_("Other partner"),
    }
)

INSTITUTION_SECTORS = MappingProxyType({"public": N_("Public"), "private": N_("Private")})
INSTITUTION_LOCALITIES = MappingProxyType({"urban": N_("Urban"), "rural": N_("Rural")})

# Short names of the 17 Goals (UN SDG icons wording).
SDG_GOALS = MappingProxyType(
    {
        1: N_("No poverty"),
        2: N_("Zero hunger"),
        3: N_("Good health and well-being"),
        4: N_("Quality education"),
        5: N_("Gender equality"),
        6: N_("Clean water and sanitation"),
        7: N_("Affordable and clean energy"),
        8: N_("Decent work and economic growth"),
        9: N_("Industry, innovation and infrastructure"),
        10: N_("Reduced inequalities"),
        11: N_("Sustainable cities and communities"),
        12: N_("Responsible consumption and production"),
        13: N_("Climate action"),
        14: N_("Life below water"),
        15: N_("Life on land"),
        16: N_("Peace, justice and strong institutions"),
        17: N_("Partnerships for the goals"),
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
