"""Translatable text of the promotion rubric (practices.rubric) for the curators' pages.

practices/ never imports Flask, so the rubric's English names and definitions are repeated
here inside lazy_gettext calls, which pybabel extracts; a test checks they stay word for word
the same as practices.rubric. A rubric version missing here is shown in its stored English.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from practices.rubric import Criterion

SCORES = {
    0: _l("not evident"),
    1: _l("emerging"),
    2: _l("established"),
    3: _l("exemplary"),
}
EVIDENCE_KINDS = {
    "report": _l("Report"),
    "evaluation": _l("Evaluation"),
    "data": _l("Data"),
    "testimony": _l("Testimony"),
    "media": _l("Media"),
}
# {rubric version: {criterion code: (name, definition)}}
CRITERIA = {
    "2026-1": {
        "relevance": (
            _l("Relevance to the thematic area and SDG 4.7"),
            _l(
                "The practice addresses an ASPnet thematic area (global citizenship and peace, "
                "sustainable development, intercultural learning and heritage) and helps "
                "learners gain the knowledge, skills, values and attitudes of SDG target 4.7."
            ),
        ),
        "impact": (
            _l("Evidence of impact"),
            _l(
                "Changes in learners' knowledge, skills, attitudes or behaviour, or in the "
                "school and its community, are documented by evidence beyond the school's own "
                "account (an evaluation, data, testimonies)."
            ),
        ),
        "replicability": (
            _l("Replicability and scalability"),
            _l(
                "Another school, in another context, could adopt or adapt the practice from "
                "what is documented, and it can grow beyond one class or one school."
            ),
        ),
        "conditions": (
            _l("Conditions and resources needed"),
            _l(
                "The practice states what it needs (time, people, money, materials, partners) "
                "and the conditions under which it works."
            ),
        ),
        "sustainability": (
            _l("Sustainability"),
            _l(
                "The practice has lasted, or can last, beyond one event, one teacher or one "
                "funding period."
            ),
        ),
        "participation": (
            _l("Participation of learners and community"),
            _l(
                "Learners take an active part in designing and running the practice; families "
                "and community partners are involved."
            ),
        ),
    },
}


def criterion_name(version: str, criterion: Criterion) -> str:
    """Return the criterion's name in the interface language."""
    text = CRITERIA.get(version, {}).get(criterion.code)
    return str(text[0]) if text else criterion.name


def criterion_definition(version: str, criterion: Criterion) -> str:
    """Return the criterion's definition in the interface language."""
    text = CRITERIA.get(version, {}).get(criterion.code)
    return str(text[1]) if text else criterion.definition


def score_label(score: int | None) -> str:
    """Return a score in words ("established"), or "not applicable" for None."""
    return str(_l("not applicable")) if score is None else str(SCORES.get(score, score))


def evidence_kind(kind: str) -> str:
    """Return the label of an evidence type (the code if unknown)."""
    return str(EVIDENCE_KINDS.get(kind, kind))
