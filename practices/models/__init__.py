"""All tables of Practice Exchange; `Base.metadata` is what Alembic migrates."""
from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.practice import TAG_KINDS, Institution, Practice, PracticeTag
from practices.models.search import PracticeVector, SearchChange

__all__ = [
    "Base",
    "UTCDateTime",
    "utcnow",
    "TAG_KINDS",
    "Institution",
    "Practice",
    "PracticeTag",
    "PracticeVector",
    "SearchChange",
]
