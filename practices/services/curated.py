"""The curators' list of promising and flagged practices, its exports and dossier pages."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from practices.errors import NotFound, ValidationError
from practices.i18n import Message
from practices.models import PolicyNote, Practice, PracticeTag, PromotionDossier
from practices.permissions import Actor, require
from practices.rubric import RUBRIC_VERSIONS, SCORE_LABELS, Criterion, Rubric
from practices.services.pages import Page, paginate
from practices.services.queries import get_practice
from practices.workflow import Status

CURATED_STATUSES = (Status.PROMISING, Status.FLAGGED_FOR_POLICY)


@dataclass(frozen=True)
class CuratedFilters:
    """What the curated list is narrowed to; None means no restriction."""

    status: str | None = None  # promising or flagged_for_policy
    country: str | None = None  # the practice's country, ISO alpha-2
    theme: str | None = None  # a code of practices.vocab.THEMES
    level: str | None = None  # a code of practices.vocab.LEVELS
    min_total: int | None = None  # rubric total of the promotion dossier at least this
    rubric_version: str | None = None
    ids: tuple[int, ...] | None = None  # an explicit selection


def list_curated(
    session: Session,
    *,
    actor: Actor,
    filters: CuratedFilters | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[Practice]:
    """Return promising and flagged practices matching `filters`, most recently promoted first.

    Raises:
        PermissionDenied: the actor is not a curator.
        ValidationError: a status outside promising/flagged_for_policy, bad page or per_page.
    """
    require(actor, "view_curated")
    return paginate(session, _query(filters or CuratedFilters()), page, per_page)


def export_curated(
    session: Session, *, actor: Actor, filters: CuratedFilters | None = None
) -> list[dict[str, Any]]:
    """Return the selection as JSON-ready records: the practice, its latest dossier (scores,
    evidence) and policy note.

    Raises:
        PermissionDenied: the actor is not a curator.
    """
    require(actor, "view_curated")
    stmt = _query(filters or CuratedFilters()).options(
        selectinload(Practice.dossiers).selectinload(PromotionDossier.evidence),
        selectinload(Practice.policy_notes),
        selectinload(Practice.institution),
        selectinload(Practice.tags),
    )
    return [curated_record(p) for p in session.scalars(stmt)]


def curated_rows(records: Iterable[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """Flatten export_curated records for CSV: (columns, rows). Scores get one column per
    criterion of every rubric version present ("na" = not applicable); lists are joined."""
    records = list(records)
    codes: list[str] = []
    for record in records:
        for code in (record["dossier"] or {}).get("scores", {}):
            if code not in codes:
                codes.append(code)
    rows = [_row(record, codes) for record in records]
    columns = [*_BASE_COLUMNS, *(f"score_{c}" for c in codes), *_TAIL_COLUMNS]
    return columns, rows


@dataclass(frozen=True)
class ScoreLine:
    """One line of a printed dossier: the criterion as defined in the dossier's rubric."""

    criterion: Criterion
    score: int | None  # None: not applicable

    @property
    def label(self) -> str:
        """The score in words ("established"), or "not applicable"."""
        return "not applicable" if self.score is None else SCORE_LABELS[self.score]


@dataclass(frozen=True)
class DossierReport:
    """Everything the printable dossier page shows, under the rubric the scores were given."""

    practice: Practice
    dossier: PromotionDossier
    rubric: Rubric
    lines: tuple[ScoreLine, ...]
    min_total: int


def dossier_report(session: Session, practice_id: int, *, actor: Actor) -> DossierReport:
    """Return the printable dossier of a promoted practice.

    Raises:
        NotFound: no such practice, or it was never promoted.
        PermissionDenied: the actor is not a curator.
    """
    require(actor, "view_curated")
    practice = get_practice(session, practice_id)
    dossier = practice.dossier
    if dossier is None:
        raise NotFound(Message("practice %(id)s has no promotion dossier", id=practice_id))
    rubric = RUBRIC_VERSIONS[dossier.rubric_version]
    lines = tuple(ScoreLine(c, dossier.scores.get(c.code)) for c in rubric.criteria)
    applicable = sum(1 for line in lines if line.score is not None)
    return DossierReport(practice, dossier, rubric, lines, rubric.min_total(applicable))


def _query(filters: CuratedFilters) -> Select[tuple[Practice]]:
    statuses = [filters.status] if filters.status else list(CURATED_STATUSES)
    if not set(statuses) <= set(CURATED_STATUSES):
        raise ValidationError({"status": Message("choose promising or flagged_for_policy")})
    latest = (
        select(PromotionDossier.created_at)
        .where(PromotionDossier.practice_id == Practice.id)
        .order_by(PromotionDossier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = select(Practice).where(Practice.status.in_(statuses))
    if filters.country:
        stmt = stmt.where(Practice.country == filters.country.upper())
    if filters.theme:
        theme = (PracticeTag.kind == "theme") & (PracticeTag.value == filters.theme)
        stmt = stmt.where(Practice.tags.any(theme))
    if filters.level:
        level = (PracticeTag.kind == "level") & (PracticeTag.value == filters.level)
        stmt = stmt.where(Practice.tags.any(level))
    if filters.min_total is not None:
        # A practice is promoted once (promising never returns to published), so its one
        # dossier is the latest.
        stmt = stmt.where(Practice.dossiers.any(PromotionDossier.total >= filters.min_total))
    if filters.rubric_version:
        version = PromotionDossier.rubric_version == filters.rubric_version
        stmt = stmt.where(Practice.dossiers.any(version))
    if filters.ids is not None:
        stmt = stmt.where(Practice.id.in_(filters.ids))
    return stmt.order_by(latest.desc(), Practice.id.desc())


def curated_record(practice: Practice) -> dict[str, Any]:
    """Return one practice with its latest dossier and policy note, JSON-ready."""
    dossier, note = practice.dossier, practice.policy_note
    return {
        "id": practice.id,
        "external_id": practice.external_id,
        "title": practice.title,
        "language": practice.language,
        "country": practice.country,
        "institution": practice.institution.name if practice.institution else None,
        "status": practice.status,
        "themes": practice.themes,
        "published_at": practice.published_at.isoformat() if practice.published_at else None,
        "dossier": _dossier_record(dossier) if dossier else None,
        "policy_note": _note_record(note) if note else None,
    }


def _dossier_record(dossier: PromotionDossier) -> dict[str, Any]:
    return {
        "rubric_version": dossier.rubric_version,
        "revision": dossier.revision_no,
        "scores": dict(dossier.scores),
        "total": dossier.total,
        "maximum": dossier.maximum,
        "summary": dossier.summary,
        "curator": dossier.curator.email if dossier.curator else None,
        "created_at": dossier.created_at.isoformat(),
        "evidence": [
            {"type": e.kind, "title": e.title, "source": e.source,
             "date": e.date.isoformat(), "url": e.url}
            for e in dossier.evidence
        ],
    }  # fmt: skip


def _note_record(note: PolicyNote) -> dict[str, Any]:
    return {
        "audience": note.audience,
        "key_message": note.key_message,
        "countries": list(note.countries),
        "created_at": note.created_at.isoformat(),
    }


_BASE_COLUMNS = [
    "id", "external_id", "title", "language", "country", "institution", "status", "themes",
    "published_at", "rubric_version", "total", "maximum",
]  # fmt: skip
_TAIL_COLUMNS = ["evidence", "policy_audience", "policy_key_message", "policy_countries"]


def _row(record: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    dossier, note = record["dossier"] or {}, record["policy_note"] or {}
    row = {k: record.get(k) for k in _BASE_COLUMNS if k in record}
    row["themes"] = ";".join(record["themes"])
    row.update({k: dossier.get(k) for k in ("rubric_version", "total", "maximum")})
    scores = dossier.get("scores", {})
    for code in codes:
        row[f"score_{code}"] = "" if code not in scores else _score_cell(scores[code])
    row["evidence"] = " | ".join(
        f"{e['type']}: {e['title']} ({e['source']}, {e['date']})"
        for e in dossier.get("evidence", [])
    )
    row["policy_audience"] = note.get("audience")
    row["policy_key_message"] = note.get("key_message")
    row["policy_countries"] = ";".join(note.get("countries", []))
    return row


def _score_cell(score: int | None) -> str | int:
    return "na" if score is None else score
