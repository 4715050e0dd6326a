"""Monitoring the network: the annual country report's text, and which practices adapt which."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow


class CountryReport(Base):
    """The free-text section of a country's annual report (one per country and year); the
    figures of the report are computed when it is shown (practices.monitoring.reports)."""

    __tablename__ = "country_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    year: Mapped[int]
    narrative: Mapped[str] = mapped_column(Text, default="")  # plain text, as written
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("country", "year"),)


class Adaptation(Base):
    """A school's practice adapted from another school's (issue 12, "uptake"): one original
    per practice, any language, any country."""

    __tablename__ = "practice_adaptations"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    original_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
