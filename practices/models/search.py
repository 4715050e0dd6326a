"""Tables behind the search cache: stored vectors and the change sequence.

The database is the source of truth: every practice's chunk vectors are stored here with the
model id, so any process can (re)build its FAISS index without re-encoding, and the change
sequence tells each process which practices changed since it last looked.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from practices.models.base import Base, UTCDateTime, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
_BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class PracticeVector(Base):
    """One chunk's embedding: float32 little-endian bytes, L2-normalised, as the model gave it."""

    __tablename__ = "practice_vectors"

    id: Mapped[int] = mapped_column(_BigIntPK, primary_key=True)  # the FAISS id of the chunk
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    model: Mapped[str] = mapped_column(String(200), index=True)
    chunk_no: Mapped[int]
    # sha256 of the searchable text the chunk came from: unchanged text is never re-encoded.
    content_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (UniqueConstraint("practice_id", "model", "chunk_no"),)


class SearchChange(Base):
    """A practice whose searchable content or visibility changed, in commit order."""

    __tablename__ = "search_changes"

    seq: Mapped[int] = mapped_column(_BigIntPK, primary_key=True)
    # No foreign key: the change must outlive a deleted practice.
    practice_id: Mapped[int] = mapped_column(index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
