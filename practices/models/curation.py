"""What curators record: the promotion dossier (rubric scores and evidence) and policy notes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.practice import Practice


class PromotionDossier(Base):
    """The curator's assessment that made a practice "promising".

    Scores are stored with the rubric version they were given under (practices.rubric), so a
    later rubric never rewrites history. `scores` maps each criterion code to 0-3, or to None
    for "not applicable"; `total` and `maximum` are over the applicable criteria.
    """

    __tablename__ = "promotion_dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    revision_no: Mapped[int]  # the content that was assessed
    rubric_version: Mapped[str] = mapped_column(String(20))
    scores: Mapped[dict[str, int | None]] = mapped_column(JSON)
    total: Mapped[int]
    maximum: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)  # the curator's reasons, in prose
    curator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="dossiers")
    curator: Mapped[User | None] = relationship()
    evidence: Mapped[list[EvidenceItem]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="EvidenceItem.position"
    )


class EvidenceItem(Base):
    """One piece of evidence behind a dossier: a report, evaluation, data, testimony or media."""

    __tablename__ = "promotion_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("promotion_dossiers.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]  # order given by the curator
    kind: Mapped[str] = mapped_column(String(20))  # practices.rubric.EVIDENCE_KINDS
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300))  # who produced it
    date: Mapped[date] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(2000))

    dossier: Mapped[PromotionDossier] = relationship(back_populates="evidence")


class PolicyNote(Base):
    """Why a promising practice is flagged for policy dissemination, and to whom."""

    __tablename__ = "policy_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[str] = mapped_column(String(300))
    key_message: Mapped[str] = mapped_column(Text)
    countries: Mapped[list[str]] = mapped_column(JSON)  # ISO 3166-1 alpha-2 codes
    curator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="policy_notes")
    curator: Mapped[User | None] = relationship()
