"""What a search returns to the pages and the API (its filters: practices.filters)."""
from __future__ import annotations

from dataclasses import dataclass, field

from practices.models import Practice


@dataclass(frozen=True)
class ResultItem:
    """One found practice and its score: the fused rank score of the query (higher is
    better, only comparable within one result list), or None when listing without a query.

    `passage`: the part of the practice's text that matched the query best, when it is not
    the opening (which the usual snippet shows); None otherwise."""

    practice: Practice
    score: float | None
    passage: str | None = None


@dataclass(frozen=True)
class ResultPage:
    """One page of search results.

    Attributes:
        total: matching public practices in the whole result set.
        page, limit: the page number (from 1) and page size asked for.
        items: this page, best first (newest first when there is no query).
        facets: {filter key (practices.filters.FILTERS): {value: number of matching
            practices}} over the whole result set.
        language_neutral: False when the results were ranked without the language
            neutralizer (not prepared yet: `flask search-index prepare`), so they lean
            towards the query's language.
    """

    total: int
    page: int
    limit: int
    items: list[ResultItem]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    language_neutral: bool = True

    @property
    def pages(self) -> int:
        """Number of pages the result set fills (0 when empty)."""
        return -(-self.total // self.limit) if self.limit else 0
