"""Schools applying to join the network: the application, its recommendation and decision."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.practice import Institution
from practices.roles import ApplicationStatus


class MembershipApplication(Base):
    """A school's application: the institution (an applicant until certified) and its first
    editor's account (inactive until certified; the editor then sets a password by e-mail)."""

    __tablename__ = "membership_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    country: Mapped[str] = mapped_column(String(2), index=True)  # the institution's
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.SUBMITTED,
                                        index=True)
    motivation: Mapped[str] = mapped_column(Text, default="")
    # The interface language the school applied in (BCP 47): the school's messages use it.
    language: Mapped[str] = mapped_column(String(35), default="en")
    recommendation: Mapped[str] = mapped_column(Text, default="")  # the coordinator's words
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was declined
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommended_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    institution: Mapped[Institution] = relationship()
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])
    recommended_by: Mapped[User | None] = relationship(foreign_keys=[recommended_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
