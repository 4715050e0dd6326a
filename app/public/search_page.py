"""What the search results page is made of: the search state in its URL, the filter groups
with their counts, the active filters and the page links. Plain data for the templates.

The URL is the whole state (query, filters, page), so every view of the results can be
bookmarked, shared and reached without JavaScript: forms are GET forms, links carry the state.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from flask import url_for
from werkzeug.datastructures import MultiDict

from app.bounds import page_number
from app.labels.vocab import field_name, value_label
from practices.filters import FILTERS, Filter, SearchFilters
from search_index import ORDERS


@dataclass(frozen=True)
class SearchState:
    """The query, chosen filters and page number of one results page."""

    query: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    page: int = 1
    sort: str = "relevance"  # a query's results: "relevance" or "newest" (search_index ORDERS)

    @classmethod
    def from_args(cls, args: MultiDict) -> SearchState:
        """Read ?q=...&theme=esd&theme=gced&page=2 (a missing page means 1; app.bounds).

        Filter values come back canonical ("fr" -> "FR"), as the facets name them. Other
        parameters are ignored.

        Raises:
            ValidationError: an unknown filter value (SearchFilters.parse), a 422 page.
            BadRequest: a page that is not a whole number from 1 (app.bounds.page_number).
        """
        raw = {key: args.getlist(key) for key in FILTERS if args.getlist(key)}
        return cls(
            query=" ".join(args.get("q", "").split()),
            filters=SearchFilters.parse(raw),
            page=page_number(args),
            sort=args.get("sort") if args.get("sort") in ORDERS else "relevance",
        )

    def url(self, page: int = 1) -> str:
        """Return the URL of this state at `page` (filters and query kept)."""
        args = {"q": self.query or None, **self.filters.as_lists(),
                "sort": self.sort if self.query and self.sort != "relevance" else None,
                "page": page if page > 1 else None}
        return url_for("find.search", **{k: v for k, v in args.items() if v})

    def without(self, name: str, value: str) -> SearchState:
        """Return this state with one filter value removed (back to page 1)."""
        return replace(self, filters=self.filters.without(name, value), page=1)

    def without_filters(self) -> SearchState:
        """Return this state with no filters (the query kept, back to page 1)."""
        return replace(self, filters=SearchFilters(), page=1)

    def kept_filters(self) -> list[tuple[str, str]]:
        """Return the chosen (filter, value) pairs the filter form has no group for (such as
        sdg_target, reached from a practice's page), for it to send them again."""
        return [(name, value) for name, values in self.filters.items()
                if not FILTERS[name].offered for value in values]

    def is_chosen(self, name: str, value: str) -> bool:
        """Tell whether `value` of filter `name` is chosen."""
        return value in self.filters.get(name)


@dataclass(frozen=True)
class FacetOption:
    """One value of a filter group: what it is, how many results have it, whether chosen."""

    value: str
    label: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class FacetGroup:
    """A filter group of the page (one field) and its options."""

    name: str
    title: str
    options: list[FacetOption]
    open: bool


@dataclass(frozen=True)
class ActiveFilter:
    """A chosen filter value and the URL of the same search without it."""

    name: str
    title: str
    label: str
    remove_url: str


def facet_groups(state: SearchState, facets: Mapping[str, Mapping[str, int]]) -> list[FacetGroup]:
    """Return the filter groups to show (the filters `offered`, in FILTERS order): values with
    results, and chosen values even at 0."""
    groups = []
    for entry in FILTERS.values():
        if not entry.offered:
            continue
        name, counts = entry.key, facets.get(entry.key, {})
        options = [
            FacetOption(v, value_label(name, v), counts.get(v, 0), state.is_chosen(name, v))
            for v in _ordered(entry, counts, state.filters.get(name))
        ]
        if options:
            is_open = entry.open or any(o.chosen for o in options)
            groups.append(FacetGroup(name, field_name(name), options, is_open))
    return groups


def _ordered(entry: Filter, counts: Mapping[str, int], chosen: Iterable[str]) -> list[str]:
    # Small vocabularies are listed in their own order; countries and languages by count.
    present = [v for v, n in counts.items() if n > 0 and v not in entry.hidden]
    wanted = set(present) | set(chosen)
    if entry.vocabulary is not None:
        order = [v for v in entry.vocabulary if v not in entry.hidden]
        return [v for v in order if v in wanted] + sorted(wanted - set(order))
    by_count = sorted(present, key=lambda v: (-counts[v], value_label(entry.key, v)))
    return by_count + sorted(set(chosen) - set(present))


def active_filters(state: SearchState) -> list[ActiveFilter]:
    """Return every chosen filter value with the link that removes it."""
    return [
        ActiveFilter(
            name,
            field_name(name),
            value_label(name, value),
            state.without(name, value).url(),
        )
        for name, values in state.filters.items()
        for value in values
    ]


def page_window(current: int, last: int, radius: int = 2) -> list[int | None]:
    """Return the page numbers to link: first, last and `radius` around the current one.

    None stands for a gap ("…"): page_window(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20];
    a gap of a single page shows that page instead.
    """
    if last <= 0:
        return []
    shown = {1, last, *range(max(1, current - radius), min(last, current + radius) + 1)}
    window: list[int | None] = []
    previous = 0
    for number in sorted(shown):
        if number - previous == 2:  # a gap of one page: show the page, not "…"
            window.append(previous + 1)
        elif number - previous > 2:
            window.append(None)
        window.append(number)
        previous = number
    return window
