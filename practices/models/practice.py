"""Institutions (member schools) and the practices they publish."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.base import Base, UTCDateTime, utcnow
from practices.roles import Membership
from practices.workflow import OPEN_STATUSES, PUBLIC_STATUSES, Status

if TYPE_CHECKING:
    from practices.models.curation import PolicyNote, PromotionDossier
    from practices.models.review import PracticeRevision

# Kinds of multi-valued tags a practice carries (values come from practices.vocab).
TAG_KINDS = (
    "theme", "pillar", "level", "sdg_target", "emerging_issue", "partner_type",
)


def new_external_id() -> str:
    """Return a fresh external id for a practice created here: "px-" + 32 hex digits."""
    return f"px-{uuid.uuid4().hex}"


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
    # Membership status (practices.roles.Membership): only members' practices can be
    # published, and a suspended member's practices leave search.
    membership: Mapped[str] = mapped_column(String(20), default=Membership.APPLICANT, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practices: Mapped[list[Practice]] = relationship(back_populates="institution")


class Practice(Base):
    """A good practice: Markdown source kept verbatim plus its sanitised HTML, and its tags."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identifier in the source system; re-importing the same one updates instead of duplicating.
    # Practices written here get "px-<uuid hex>", so an export imports back onto them.
    external_id: Mapped[str] = mapped_column(String(200), unique=True, default=new_external_id)
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
    # Number of the revision whose content the columns above carry: the public version once
    # the practice is public, the working copy before.
    current_revision_no: Mapped[int] = mapped_column(default=1)

    institution: Mapped[Institution | None] = relationship(back_populates="practices")
    tags: Mapped[list[PracticeTag]] = relationship(
        back_populates="practice",
        cascade="all, delete-orphan",
        order_by="(PracticeTag.kind, PracticeTag.value)",
    )
    revisions: Mapped[list[PracticeRevision]] = relationship(
        back_populates="practice",
        cascade="all, delete-orphan",
        order_by="PracticeRevision.number",
        passive_deletes=True,
    )
    dossiers: Mapped[list[PromotionDossier]] = relationship(
        back_populates="practice",
        cascade="all, delete-orphan",
        order_by="PromotionDossier.id",
        passive_deletes=True,
    )
    policy_notes: Mapped[list[PolicyNote]] = relationship(
        back_populates="practice",
        cascade="all, delete-orphan",
        order_by="PolicyNote.id",
        passive_deletes=True,
    )

    @property
    def is_public(self) -> bool:
        """True when search, "similar", feeds and the public API may show this practice.

        The status must be public (PUBLIC_STATUSES) and the institution, if any, not suspended.
        The same rule as practices.visibility.is_visible and visible_clause().
        """
        if self.status not in PUBLIC_STATUSES:
            return False
        return self.institution is None or self.institution.membership != Membership.SUSPENDED

    @property
    def current_revision(self) -> PracticeRevision:
        """The revision whose content the practice shows (see current_revision_no)."""
        return next(r for r in self.revisions if r.number == self.current_revision_no)

    @property
    def pending_revision(self) -> PracticeRevision | None:
        """The edit of a public practice on its way through review, if there is one."""
        return next(
            (
                r
                for r in self.revisions
                if r.number != self.current_revision_no and r.status in OPEN_STATUSES
            ),
            None,
        )

    @property
    def review_status(self) -> str:
        """The status the review actions see: the pending revision's, else the practice's."""
        pending = self.pending_revision
        return pending.status if pending is not None else self.status

    @property
    def dossier(self) -> PromotionDossier | None:
        """The latest promotion dossier, if the practice was ever promoted."""
        return self.dossiers[-1] if self.dossiers else None

    @property
    def policy_note(self) -> PolicyNote | None:
        """The latest policy note, if the practice was flagged for policy dissemination."""
        return self.policy_notes[-1] if self.policy_notes else None

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

    @property
    def partner_types(self) -> list[str]:
        return self.tag_values("partner_type")


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
