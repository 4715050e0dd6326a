"""Publication status of a practice and the transitions between them (pure: no session)."""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a practice stands; stored as its string value."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"


PUBLIC_STATUSES: frozenset[Status] = frozenset({Status.PUBLISHED})
"""Statuses whose practices search, "similar", feeds and the public API may show."""
