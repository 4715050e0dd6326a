"""Policy briefs: a curator's saved selection of promising practices, issued as a document."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow


class PolicyBrief(Base):
    """A brief's title, introduction and saved selection (practices.services.briefs reads
    it again each time the brief is issued, so a reissue includes what changed since)."""

    __tablename__ = "policy_briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    introduction: Mapped[str] = mapped_column(Text, default="")
    # {"themes": [...], "countries": [...], "practice_ids": [...]}: see BriefSelection.
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()
