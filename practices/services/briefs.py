"""Policy briefs: a curator selects promising practices (those flagged for policy included) by
thematic area, by country or by hand, and the product writes a brief for policy-makers: what
each practice does, the evidence and the conditions for scaling from its dossier, its policy
note, and a citation (title, school, country, permanent link, date).

The selection is saved (practices.models.PolicyBrief) and read again each time the brief is
issued: a reissue includes practices promoted since, and the dossiers as they are now.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices import codes
from practices.errors import NotFound, ValidationError
from practices.i18n import Message
from practices.models import PolicyBrief, PolicyNote, Practice, PracticeTag, PromotionDossier, User
from practices.permissions import Actor, require
from practices.rubric import RUBRIC_VERSIONS, Criterion
from practices.services import audit
from practices.visibility import visible_clause
from practices.vocab import THEMES
from practices.workflow import Status

MAX_TITLE = 300
MAX_INTRODUCTION = 5000
MAX_PRACTICES = 100  # a brief is read by people: more is a catalogue, not a brief
# The rubric criteria a policy-maker asks about before scaling a practice up.
SCALING_CRITERIA = ("replicability", "conditions", "sustainability")
RECOGNISED = (Status.PROMISING, Status.FLAGGED_FOR_POLICY)


@dataclass(frozen=True)
class BriefSelection:
    """Which practices a brief covers: promising (or flagged) public practices of any of
    `themes` and any of `countries` (empty: any), or exactly `practice_ids` when given."""

    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    practice_ids: tuple[int, ...] = ()

    def as_json(self) -> dict[str, list]:
        """Return the selection as stored with the brief."""
        return {"themes": list(self.themes), "countries": list(self.countries),
                "practice_ids": list(self.practice_ids)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BriefSelection:
        """Read a stored selection back."""
        return cls(tuple(data.get("themes", ())), tuple(data.get("countries", ())),
                   tuple(int(i) for i in data.get("practice_ids", ())))


@dataclass(frozen=True)
class BriefItem:
    """One practice of a brief with what the brief says of it.

    Attributes:
        scaling: [(criterion, score or None when not applicable)] of SCALING_CRITERIA.
    """

    practice: Practice
    dossier: PromotionDossier | None
    note: PolicyNote | None
    scaling: list[tuple[Criterion, int | None]]


def check_selection(themes: list[str], countries: list[str],
                    practice_ids: list[int]) -> BriefSelection:
    """Return a valid selection.

    Raises:
        ValidationError: {"themes" | "countries" | "practice_ids": why}.
    """
    errors: dict[str, str] = {}
    bad_themes = [t for t in themes if t not in THEMES]
    if bad_themes:
        errors["themes"] = Message("unknown thematic area %(code)s", code=bad_themes[0])
    clean_countries = []
    for country in countries:
        try:
            clean_countries.append(codes.normalise_country(country))
        except ValueError as exc:
            errors["countries"] = exc.args[0]
    if len(practice_ids) > MAX_PRACTICES:
        errors["practice_ids"] = Message("at most %(count)d practices", count=MAX_PRACTICES)
    if errors:
        raise ValidationError(errors)
    return BriefSelection(tuple(sorted(set(themes))), tuple(sorted(set(clean_countries))),
                          tuple(dict.fromkeys(practice_ids)))


def selected_practices(session: Session, selection: BriefSelection) -> list[Practice]:
    """Return the public promising or flagged practices of a selection, newest first."""
    stmt = select(Practice).where(visible_clause(), Practice.status.in_(RECOGNISED))
    if selection.practice_ids:
        stmt = stmt.where(Practice.id.in_(selection.practice_ids))
    else:
        if selection.themes:
            stmt = stmt.where(Practice.id.in_(select(PracticeTag.practice_id).where(
                PracticeTag.kind == "theme", PracticeTag.value.in_(selection.themes))))
        if selection.countries:
            stmt = stmt.where(Practice.country.in_(selection.countries))
    stmt = stmt.order_by(Practice.published_at.desc(), Practice.id.desc()).limit(MAX_PRACTICES)
    return list(session.scalars(stmt))


def save_brief(session: Session, title: str, selection: BriefSelection, *, actor: Actor,
               introduction: str = "") -> PolicyBrief:
    """Save a brief's title, introduction and selection; flush.

    Raises:
        PermissionDenied: the actor may not write policy briefs.
        ValidationError: {"title": ...} empty or too long; {"introduction": ...} too long;
            {"": ...} the selection holds no promising practice.
    """
    require(actor, "write_briefs")
    errors: dict[str, str] = {}
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        errors["title"] = Message("give the brief a title of at most %(count)d characters",
                                  count=MAX_TITLE)
    if len(introduction) > MAX_INTRODUCTION:
        errors["introduction"] = Message("at most %(count)d characters", count=MAX_INTRODUCTION)
    if not errors and not selected_practices(session, selection):
        errors[""] = Message("no promising practice matches this selection")
    if errors:
        raise ValidationError(errors)
    brief = PolicyBrief(title=title, introduction=introduction.strip(),
                        selection=selection.as_json(),
                        created_by=actor if isinstance(actor, User) else None)
    session.add(brief)
    session.flush()
    audit.record(session, actor=actor, action="write_brief",
                 details={"brief_id": brief.id, "title": title})
    return brief


def list_briefs(session: Session, *, actor: Actor) -> list[PolicyBrief]:
    """Return the saved briefs, newest first.

    Raises:
        PermissionDenied: the actor may not write policy briefs.
    """
    require(actor, "write_briefs")
    return list(session.scalars(select(PolicyBrief).order_by(PolicyBrief.id.desc())))


def issue_brief(session: Session, brief_id: int, *,
                actor: Actor) -> tuple[PolicyBrief, list[BriefItem]]:
    """Return a saved brief and its items as they are now (its selection read again).

    Raises:
        PermissionDenied: the actor may not write policy briefs.
        NotFound: no such brief.
    """
    require(actor, "write_briefs")
    brief = session.get(PolicyBrief, brief_id)
    if brief is None:
        raise NotFound(Message("policy brief %(id)s does not exist", id=brief_id))
    practices = selected_practices(session, BriefSelection.from_json(brief.selection))
    return brief, [_item(p) for p in practices]


def _item(practice: Practice) -> BriefItem:
    dossier = practice.dossier
    scaling: list[tuple[Criterion, int | None]] = []
    if dossier is not None and dossier.rubric_version in RUBRIC_VERSIONS:
        rubric = RUBRIC_VERSIONS[dossier.rubric_version]
        for code in SCALING_CRITERIA:
            try:
                criterion = rubric.criterion(code)
            except KeyError:
                continue
            scaling.append((criterion, (dossier.scores or {}).get(code)))
    note = practice.policy_note if practice.status == Status.FLAGGED_FOR_POLICY else None
    return BriefItem(practice, dossier, note, scaling)
