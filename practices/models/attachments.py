"""Files attached to a revision of a practice (worksheets, lesson plans, photos)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.practice import Practice


class Attachment(Base):
    """One file of one revision of a practice. The bytes live in the blob store under
    `blob_key` (practices.blobs); `name` is for display only and never a path.

    A revision opened to edit a public practice starts with copies of the public revision's
    rows (same blobs), so the public page keeps its files while the edit is reviewed.
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    revision_no: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)  # bytes, as stored
    blob_key: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of the stored bytes
    thumbnail_key: Mapped[str | None] = mapped_column(String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    practice: Mapped[Practice] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("practice_id", "revision_no", "blob_key"),
        Index("ix_attachments_practice_revision", "practice_id", "revision_no"),
    )

    @property
    def is_image(self) -> bool:
        """True for re-encoded images (shown with their thumbnail)."""
        return self.media_type.startswith("image/")
