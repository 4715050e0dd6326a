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

from app.labels import vocab as labels
from app.search import parse_filters

# Filter groups offered on the page, in order. The search also accepts sdg_target (links
# from a practice page use it); it is shown among the active filters when present.
FACET_FIELDS = ("status", "theme", "pillar", "level", "emerging_issue", "country", "language")
FILTER_FIELDS = (*FACET_FIELDS, "sdg_target")

# Small vocabularies are listed in their own order; countries and languages by count.
_VOCABULARY_ORDER = {
    "theme": list(labels.THEMES),
    "pillar": [str(n) for n in labels.PILLARS],
    "level": list(labels.LEVELS),
    "emerging_issue": list(labels.EMERGING_ISSUES),
    "status": ["promising", "flagged_for_policy"],
}
# Values counted by the search but not offered as filters: "published" would only mean
# "not promoted", which nobody looks for (the API still accepts it).
_NOT_OFFERED = {"status": frozenset({"published"})}
# Groups open by default; the long ones open only when one of their values is chosen.
_OPEN_BY_DEFAULT = frozenset({"status", "theme", "pillar", "level"})


@dataclass(frozen=True)
class SearchState:
    """The query, chosen filters ({field: [values]}) and page number of one results page."""

    query: str = ""
    filters: Mapping[str, list[str]] = field(default_factory=dict)
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> SearchState:
        """Read ?q=...&theme=esd&theme=gced&page=2 (a bad or missing page means 1).

        Filter values come back canonical ("fr" -> "FR"), as the facets name them.

        Raises:
            ValidationError: an unknown filter value (parse_filters), shown as a 422 page.
        """
        raw = {f: args.getlist(f) for f in FILTER_FIELDS if args.getlist(f)}
        return cls(
            query=" ".join(args.get("q", "").split()),
            filters=parse_filters(raw),
            page=max(args.get("page", 1, type=int), 1),
        )

    def url(self, page: int = 1) -> str:
        """Return the URL of this state at `page` (filters and query kept)."""
        args = {"q": self.query or None, **self.filters, "page": page if page > 1 else None}
        return url_for("find.search", **{k: v for k, v in args.items() if v})

    def without(self, name: str, value: str) -> SearchState:
        """Return this state with one filter value removed (back to page 1)."""
        kept = {f: [v for v in vs if (f, v) != (name, value)] for f, vs in self.filters.items()}
        return replace(self, filters={f: vs for f, vs in kept.items() if vs}, page=1)

    def without_filters(self) -> SearchState:
        """Return this state with no filters (the query kept, back to page 1)."""
        return replace(self, filters={}, page=1)

    def is_chosen(self, name: str, value: str) -> bool:
        """Tell whether `value` of filter `name` is chosen."""
        return value in self.filters.get(name, ())


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
    """Return the filter groups to show: values with results, and chosen values even at 0."""
    groups = []
    for name in FACET_FIELDS:
        counts = facets.get(name, {})
        values = _ordered(name, counts, state.filters.get(name, []))
        options = [
            FacetOption(v, labels.value_label(name, v), counts.get(v, 0), state.is_chosen(name, v))
            for v in values
        ]
        if options:
            chosen = any(o.chosen for o in options)
            is_open = name in _OPEN_BY_DEFAULT or chosen
            groups.append(FacetGroup(name, str(labels.FIELD_NAMES[name]), options, is_open))
    return groups


def _ordered(name: str, counts: Mapping[str, int], chosen: Iterable[str]) -> list[str]:
    hidden = _NOT_OFFERED.get(name, frozenset())
    present = [v for v, n in counts.items() if n > 0 and v not in hidden]
    wanted = set(present) | set(chosen)
    order = _VOCABULARY_ORDER.get(name)
    if order is not None:
        return [v for v in order if v in wanted] + sorted(wanted - set(order))
    by_count = sorted(present, key=lambda v: (-counts[v], labels.value_label(name, v)))
    return by_count + sorted(set(chosen) - set(present))


def active_filters(state: SearchState) -> list[ActiveFilter]:
    """Return every chosen filter value with the link that removes it."""
    return [
        ActiveFilter(
            name,
            str(labels.FIELD_NAMES[name]),
            labels.value_label(name, value),
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
