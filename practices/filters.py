"""The search filters: ONE table. Each entry says how a filter's raw values are read and
checked, which values a practice has, and how the search page offers it.

Everything else derives from FILTERS: the parameters the search page, the feeds and the API
accept (app/openapi.yaml is checked against it by a test), the facet fields of the search
index and each indexed practice's facet values, the filter groups of the results page and
their titles. Adding a filter is one entry here, plus its translation and its OpenAPI
parameter.

Values arrive as query-string values (strings, possibly comma-separated) and are checked
against the controlled vocabularies and code lists of the domain, so a typo such as
theme=esdd is reported instead of silently matching nothing. OR within a filter, AND across
filters.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from practices import codes, fields, vocab
from practices.errors import ValidationError
from practices.i18n import N_, Message
from practices.models import Practice
from practices.workflow import STATUS_LABELS, Status


class Names(StrEnum):
    """How the values of a filter are named for people (by the web layer, in their language)."""

    VOCABULARY = "vocabulary"  # by the filter's own `vocabulary` labels
    PILLAR = "pillar"  # "Pillar 2: Capacity building ...", from the `vocabulary` labels
    COUNTRY = "country"  # ISO 3166-1 alpha-2: the country's name (CLDR)
    LANGUAGE = "language"  # BCP 47: the language's name (CLDR)
    SDG_TARGET = "sdg_target"  # "Target 4.7 (Quality education)"


@dataclass(frozen=True)
class Filter:
    """One search filter, which is also a facet of the results.

    Attributes:
        key: the query parameter, the index's facet field and the key of a result page's
            facet counts.
        label: what people call the filter (marked with N_).
        parse: raw values -> canonical values (as the practices store them), or ValueError
            with a message a person can act on.
        values_of: the canonical values a practice has, as strings.
        names: how a value is named for people.
        vocabulary: code -> label (marked with N_), in the order the page lists the values;
            None lists the values by how many results have them.
        offered: shown as a filter group on the results page (False: accepted in links only).
        open: the group is open by default (the others open when one of their values is
            chosen).
        hidden: values counted but not offered on the page (the API still accepts them).
    """

    key: str
    label: str
    parse: Callable[[Any], tuple[Any, ...]]
    values_of: Callable[[Practice], Iterable[str]]
    names: Names = Names.VOCABULARY
    vocabulary: Mapping[str, str] | None = None
    offered: bool = True
    open: bool = False
    hidden: frozenset[str] = frozenset()


def _status_values(practice: Practice) -> list[str]:
    # A practice flagged for policy was promoted first and stays a promising practice, so it
    # carries both values: the filter status=promising finds it too.
    if practice.status == Status.FLAGGED_FOR_POLICY:
        return [Status.PROMISING.value, Status.FLAGGED_FOR_POLICY.value]
    return [str(practice.status)]


_CURATION_LEVELS = (Status.PUBLISHED, Status.PROMISING, Status.FLAGGED_FOR_POLICY)
_PILLARS = MappingProxyType({str(n): label for n, label in vocab.PILLARS.items()})

_TABLE: dict[str, Filter] = {f.key: f for f in (
    # "published" would only mean "not promoted", which nobody looks for on the page.
    Filter("status", N_("Recognition"),
           fields.vocabulary_codes({s.value: s.value.replace("_", " ") for s in _CURATION_LEVELS},
                                   N_("status")),
           _status_values,
           vocabulary=MappingProxyType({s.value: STATUS_LABELS[s] for s in _CURATION_LEVELS}),
           open=True, hidden=frozenset({Status.PUBLISHED.value})),
    Filter("theme", N_("Thematic area"), fields.vocabulary_codes(vocab.THEMES, N_("theme")),
           lambda p: p.themes, vocabulary=vocab.THEMES, open=True),
    Filter("pillar", N_("Action pillar"), fields.list_of(fields.pillar),
           lambda p: [str(n) for n in p.pillars], names=Names.PILLAR, vocabulary=_PILLARS,
           open=True),
    Filter("level", N_("Education level"), fields.vocabulary_codes(vocab.LEVELS, N_("level")),
           lambda p: p.levels, vocabulary=vocab.LEVELS, open=True),
    Filter("emerging_issue", N_("Emerging issue"),
           fields.vocabulary_codes(vocab.EMERGING_ISSUES, N_("issue")),
           lambda p: p.emerging_issues, vocabulary=vocab.EMERGING_ISSUES),
    Filter("partner_type", N_("Partner"),
           fields.vocabulary_codes(vocab.PARTNER_TYPES, N_("partner type")),
           lambda p: p.partner_types, vocabulary=vocab.PARTNER_TYPES),
    Filter("country", N_("Country"), fields.list_of(fields.string(codes.normalise_country)),
           lambda p: [p.country] if p.country else [], names=Names.COUNTRY),
    # Matches by BCP 47 prefix: "pt" finds "pt-BR" (search_index's language facet).
    Filter("language", N_("Language"), fields.list_of(fields.string(codes.normalise_language)),
           lambda p: [p.language], names=Names.LANGUAGE),
    # Offered as links from a practice's page, not as a group: 169 targets are too many.
    Filter("sdg_target", N_("SDG target"),
           fields.list_of(fields.string(codes.normalise_sdg_target)),
           lambda p: p.sdg_targets, names=Names.SDG_TARGET, offered=False),
)}
FILTERS: Mapping[str, Filter] = MappingProxyType(_TABLE)
"""The search filters, in the order the results page shows them."""


@dataclass(frozen=True)
class SearchFilters:
    """Chosen filter values, checked and canonical ("FR" for country "fr", "4.a" for "4.A",
    "esd" for "Education for Sustainable Development"): {filter key: values}, only keys with
    values, in FILTERS order. Made once per request by `parse`; immutable."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def parse(cls, raw: Mapping[str, Sequence[str] | str]) -> SearchFilters:
        """Check and normalise raw filter values {key: value or values}.

        Each string may hold several values separated by commas (as in ?theme=esd,gced).
        Keys without a value are left out.

        Raises:
            ValidationError: {key: message} for every unknown key or bad value.
        """
        errors: dict[str, str] = {}
        parsed: dict[str, tuple[str, ...]] = {}
        for key, given in raw.items():
            entry = FILTERS.get(key)
            if entry is None:
                errors[key] = Message(N_("unknown filter; use %(keys)s"),
                                      keys=", ".join(FILTERS))
                continue
            items = _split([given] if isinstance(given, str) else given)
            if not items:
                continue
            try:
                parsed[key] = tuple(str(v) for v in entry.parse(items))
            except ValueError as exc:
                errors[key] = exc.args[0]
        if errors:
            raise ValidationError(errors)
        return cls(MappingProxyType({k: parsed[k] for k in FILTERS if k in parsed}))

    def get(self, key: str) -> tuple[str, ...]:
        """Return the chosen values of filter `key` (empty when none)."""
        return self.values.get(key, ())

    def items(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Yield (key, values) of every chosen filter, in FILTERS order."""
        return iter(self.values.items())

    def as_lists(self) -> dict[str, list[str]]:
        """Return {key: [values]} (for the search index and URLs)."""
        return {key: list(values) for key, values in self.values.items()}

    def without(self, key: str, value: str) -> SearchFilters:
        """Return these filters with one value of `key` removed."""
        kept = {k: tuple(v for v in vs if (k, v) != (key, value)) for k, vs in self.items()}
        return SearchFilters(MappingProxyType({k: vs for k, vs in kept.items() if vs}))

    def __bool__(self) -> bool:
        return bool(self.values)

    def __contains__(self, key: object) -> bool:
        return key in self.values


def facet_values(practice: Practice) -> dict[str, list[str]]:
    """Return {filter key: the practice's values} for every filter (its facets in the index)."""
    return {key: list(entry.values_of(practice)) for key, entry in FILTERS.items()}


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for v in values for part in str(v).split(",") if part.strip()]
