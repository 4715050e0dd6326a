"""Partner schools: one school telling another it would like to work together."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.practice import Institution, Practice


class PartnerInterest(Base):
    """A school's interest in partnering with another school, about a pair of practices
    (its own and theirs) that made the match. One row per (from, to) pair of schools."""

    __tablename__ = "partner_interests"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    to_institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    own_practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", ondelete="SET NULL"))
    their_practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_institution: Mapped[Institution] = relationship(foreign_keys=[from_institution_id])
    to_institution: Mapped[Institution] = relationship(foreign_keys=[to_institution_id])
    own_practice: Mapped[Practice | None] = relationship(foreign_keys=[own_practice_id])
    their_practice: Mapped[Practice | None] = relationship(foreign_keys=[their_practice_id])
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("from_institution_id", "to_institution_id"),)
