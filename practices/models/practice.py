"""Institutions (member schools) and the practices they publish."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.base import Base, UTCDateTime, utcnow
from practices.workflow import PUBLIC_STATUSES, Status

# Kinds of multi-valued tags a practice carries (values come from practices.vocab).
TAG_KINDS = ("theme", "pillar", "level", "sdg_target", "emerging_issue")


class Institution(Base):
    """A school (or teacher-training institution) of the network."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    city: Mapped[str | None] = mapped_column(String(200))
    # Education levels taught (codes of practices.vocab.LEVELS), a JSON list.
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    sector: Mapped[str | None] = mapped_column(String(20))  # INSTITUTION_SECTORS
    locality: Mapped[str | None] = mapped_column(String(20))  # INSTITUTION_LOCALITIES
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practices: Mapped[list[Practice]] = relationship(back_populates="institution")


class Practice(Base):
    """A good practice: Markdown source kept verbatim plus its sanitised HTML, and its tags."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identifier in the source system; re-importing the same one updates instead of duplicating.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35), index=True)  # BCP 47, normalised
    country: Mapped[str | None] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL"), index=True
    )
    start_year: Mapped[int | None]
    source_url: Mapped[str | None] = mapped_column(String(2000))
    license: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(32), default=Status.DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    institution: Mapped[Institution | None] = relationship(back_populates="practices")
    tags: Mapped[list[PracticeTag]] = relationship(
        back_populates="practice",
        cascade="all, delete-orphan",
        order_by="(PracticeTag.kind, PracticeTag.value)",
    )

    @property
    def is_public(self) -> bool:
        """True when search, "similar" and the public API may show this practice."""
        return self.status in PUBLIC_STATUSES

    def tag_values(self, kind: str) -> list[str]:
        """Return the values of one tag kind (see TAG_KINDS), sorted."""
        return sorted(t.value for t in self.tags if t.kind == kind)

    @property
    def themes(self) -> list[str]:
        return self.tag_values("theme")

    @property
    def pillars(self) -> list[int]:
        return sorted(int(v) for v in self.tag_values("pillar"))

    @property
    def levels(self) -> list[str]:
        return self.tag_values("level")

    @property
    def sdg_targets(self) -> list[str]:
        return self.tag_values("sdg_target")

    @property
    def emerging_issues(self) -> list[str]:
        return self.tag_values("emerging_issue")


class PracticeTag(Base):
    """One tag of a practice: (kind, value), e.g. ("theme", "esd") or ("sdg_target", "4.7")."""

    __tablename__ = "practice_tags"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)

    practice: Mapped[Practice] = relationship(back_populates="tags")

    __table_args__ = (Index("ix_practice_tags_kind_value", "kind", "value"),)
