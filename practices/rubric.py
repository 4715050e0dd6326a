"""The rubric curators score a practice with before promoting it to "promising" (pure).

Rubrics are versioned: a dossier stores the version it was scored under, and a version, once
used, is never edited; a changed rubric is a new entry in RUBRIC_VERSIONS.

Scoring rule (version "2026-1"): each criterion gets 0-3, or "not applicable" where the
criterion allows it. A practice qualifies when every applicable criterion reaches its own
minimum AND the total over the applicable criteria reaches `min_share` of their maximum
(rounded up), so leaving a criterion out neither helps nor hurts: with all six applicable the
total must reach 12 of 18; with five, 10 of 15.

The criteria follow the questions the ASPnet Strategy 2022-2029 asks of a practice worth
sharing (thematic relevance, SDG 4.7), the criteria of HundrED's selection (impact,
scalability) and eTwinning's quality label (learner participation), and PANORAMA's solution
template ("conditions and resources", "sustainability").
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

from practices.i18n import N_

MAX_SCORE = 3
SCORE_LABELS = MappingProxyType(
    {0: N_("not evident"), 1: N_("emerging"), 2: N_("established"), 3: N_("exemplary")}
)
"""What each score means, for every criterion."""

EVIDENCE_KINDS = MappingProxyType(
    {
        "report": N_("Report"),
        "evaluation": N_("Evaluation"),
        "data": N_("Data"),
        "testimony": N_("Testimony"),
        "media": N_("Media"),
    }
)


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion: a code (stored), a name and definition (shown, marked with N_),
    a minimum score.

    Attributes:
        may_be_not_applicable: the curator may mark it "not applicable" instead of scoring it.
    """

    code: str
    name: str
    definition: str
    minimum: int
    may_be_not_applicable: bool = False


@dataclass(frozen=True)
class Rubric:
    """A version of the rubric: its criteria and the share of the maximum the total needs."""

    version: str
    criteria: tuple[Criterion, ...]
    min_share: Fraction

    def criterion(self, code: str) -> Criterion:
        """Return the criterion with this code.

        Raises:
            KeyError: no such criterion in this version.
        """
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(code)

    def min_total(self, applicable: int) -> int:
        """Return the total needed when `applicable` criteria are scored."""
        return math.ceil(self.min_share * MAX_SCORE * applicable)


RUBRIC_2026_1 = Rubric(
    version="2026-1",
    criteria=(
        Criterion(
            "relevance",
            N_("Relevance to the thematic area and SDG 4.7"),
            N_(
                "The practice addresses an ASPnet thematic area (global citizenship and peace, "
                "sustainable development, intercultural learning and heritage) and helps learners "
                "gain the knowledge, skills, values and attitudes of SDG target 4.7."
            ),
            minimum=2,
        ),
        Criterion(
            "impact",
            N_("Evidence of impact"),
            N_(
                "Changes in learners' knowledge, skills, attitudes or behaviour, or in the school "
                "and its community, are documented by evidence beyond the school's own account "
                "(an evaluation, data, testimonies)."
            ),
            minimum=2,
        ),
        Criterion(
            "replicability",
            N_("Replicability and scalability"),
            N_(
                "Another school, in another context, could adopt or adapt the practice from what "
                "is documented, and it can grow beyond one class or one school."
            ),
            minimum=1,
            may_be_not_applicable=True,
        ),
        Criterion(
            "conditions",
            N_("Conditions and resources needed"),
            N_(
                "The practice states what it needs (time, people, money, materials, partners) "
                "and the conditions under which it works."
            ),
            minimum=1,
        ),
        Criterion(
            "sustainability",
            N_("Sustainability"),
            N_(
                "The practice has lasted, or can last, beyond one event, one teacher or one "
                "funding period."
            ),
            minimum=1,
            may_be_not_applicable=True,
        ),
        Criterion(
            "participation",
            N_("Participation of learners and community"),
            N_(
                "Learners take an active part in designing and running the practice; families "
                "and community partners are involved."
            ),
            minimum=1,
        ),
    ),
    min_share=Fraction(2, 3),
)

RUBRIC_VERSIONS: Mapping[str, Rubric] = MappingProxyType({RUBRIC_2026_1.version: RUBRIC_2026_1})
CURRENT_RUBRIC_VERSION = RUBRIC_2026_1.version
"""The version new dossiers are scored under."""
