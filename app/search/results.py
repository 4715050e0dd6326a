"""What a search returns to the pages and the API, and the filters it accepts.

Filter values arrive as query-string values (strings, possibly comma- or ";"-separated) and
are checked against the controlled vocabularies and code lists of the domain, so a typo such
as theme=esdd is reported instead of silently matching nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from practices import codes, fields, vocab
from practices.errors import ValidationError
from practices.models import Practice
from practices.workflow import Status

# Filter key -> parser of a list of raw values, returning the stored (canonical) values.
_PARSERS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "theme": fields.vocabulary_codes(vocab.THEMES, "theme"),
    "pillar": fields.list_of(fields.pillar),
    "level": fields.vocabulary_codes(vocab.LEVELS, "level"),
    "country": fields.list_of(fields.string(codes.normalise_country)),
    "language": fields.list_of(fields.string(codes.normalise_language)),
    "sdg_target": fields.list_of(fields.string(codes.normalise_sdg_target)),
    "emerging_issue": fields.vocabulary_codes(vocab.EMERGING_ISSUES, "issue"),
    "status": fields.vocabulary_codes(
        {s.value: s.value.replace("_", " ") for s in (Status.PUBLISHED, Status.PROMISING,
                                                      Status.FLAGGED_FOR_POLICY)},
        "status",
    ),
}
FILTER_KEYS: tuple[str, ...] = tuple(_PARSERS)
"""The filters of search(): OR within a key, AND across keys; `language` matches by prefix
("pt" finds "pt-BR"). The same names are the facet fields of a ResultPage.

`status` is the curation level (documents.status_facet): "promising" matches the promising
practices, those flagged for policy included (they were promoted first); "flagged_for_policy"
only those; "published" the public practices not promoted."""


@dataclass(frozen=True)
class ResultItem:
    """One found practice and its score: the fused rank score of the query (higher is
    better, only comparable within one result list), or None when listing without a query."""

    practice: Practice
    score: float | None


@dataclass(frozen=True)
class ResultPage:
    """One page of search results.

    Attributes:
        total: matching public practices in the whole result set.
        page, limit: the page number (from 1) and page size asked for.
        items: this page, best first (newest first when there is no query).
        facets: {filter key: {value: number of matching practices}} over the whole result set.
    """

    total: int
    page: int
    limit: int
    items: list[ResultItem]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """Number of pages the result set fills (0 when empty)."""
        return -(-self.total // self.limit) if self.limit else 0


def parse_filters(raw: Mapping[str, Sequence[str] | str]) -> dict[str, list[str]]:
    """Check and normalise filter values; return {key: canonical values as strings}.

    Each value may be a list of strings, and each string may hold several values separated
    by commas (as in ?theme=esd,gced). Keys with no value are left out. Values come back in
    the form the practices store them: "FR" for country "fr", "4.a" for "4.A", "esd" for
    "Education for Sustainable Development".

    Raises:
        ValidationError: {key: message} for every unknown key or bad value.
    """
    errors: dict[str, str] = {}
    parsed: dict[str, list[str]] = {}
    for key, values in raw.items():
        if key not in _PARSERS:
            errors[key] = f"unknown filter; use {', '.join(FILTER_KEYS)}"
            continue
        items = _split([values] if isinstance(values, str) else values)
        if not items:
            continue
        try:
            parsed[key] = [str(v) for v in _PARSERS[key](items)]
        except ValueError as exc:
            errors[key] = str(exc)
    if errors:
        raise ValidationError(errors)
    return parsed


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]
