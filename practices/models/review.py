"""The review trail of a practice: revisions of its content, the conversation, the audit log."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.practice import Practice
from practices.workflow import Status

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
_BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class PracticeRevision(Base):
    """One numbered version of a practice's content, with its own review status.

    Revision 1 is the content as first written; its status follows the practice's until the
    practice is published. Each edit of a public practice opens the next revision, which is
    reviewed on its own (practices.workflow) while the public version stays online.
    """

    __tablename__ = "practice_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(32), default=Status.DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    country: Mapped[str | None] = mapped_column(String(2))
    # {"themes": [...], "pillars": [...], "levels": [...], "sdg_targets": [...],
    #  "emerging_issues": [...], "partner_types": [...]}: the tags as they were in this revision.
    tags: Mapped[dict[str, list[Any]]] = mapped_column(JSON, default=dict)
    start_year: Mapped[int | None]
    source_url: Mapped[str | None] = mapped_column(String(2000))
    license: Mapped[str | None] = mapped_column(String(100))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last submission
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # published or declined

    practice: Mapped[Practice] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("practice_id", "number"),)


class ReviewComment(Base):
    """A message in the conversation between a school and its reviewers about a practice.

    Notes given with a transition (e.g. the changes requested) appear here too, with `action`.
    """

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    revision_no: Mapped[int]  # the revision under discussion
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(String(40))  # the transition it came with
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship()
    author: Mapped[User | None] = relationship()


class AuditEntry(Base):
    """Who did what, when: every transition, edit and account change, written in the same
    transaction as the change itself. An empty actor is the system (CLI, import, migration)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(_BigIntPK, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The actor's e-mail address at the time ("system" for none): survives account changes.
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", ondelete="SET NULL"), index=True
    )
    revision_no: Mapped[int | None]
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
    practice: Mapped[Practice | None] = relationship()
