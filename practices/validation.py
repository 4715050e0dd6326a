"""Turn untrusted practice input (form, API, import file) into clean, typed values.

`validate_practice` checks every field and reports every problem at once, as one
ValidationError({field: message}); messages name the bad value and say what would be right.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from practices import codes, vocab
from practices.errors import ValidationError

T = TypeVar("T")

PRACTICE_FIELDS = (
    "external_id", "title", "summary", "body", "language", "country", "institution", "themes",
    "pillars", "levels", "sdg_targets", "emerging_issues", "year", "source_url", "license",
)  # fmt: skip
"""Fields of a practice record, in the order of the import/export format (DESIGN.md)."""
INSTITUTION_FIELDS = ("name", "city", "country", "levels", "sector", "locality")

# Lengths of the database columns (practices/models), so bad input fails here, not at flush.
MAX_TITLE, MAX_EXTERNAL_ID, MAX_URL, MAX_NAME, MAX_CITY = 300, 200, 2000, 300, 200
MAX_SUMMARY = 5_000  # characters; longer is not a summary
MAX_BODY = 200_000  # characters (~30,000 words): a guard against pasted files, not a style rule
FIRST_YEAR = 1945  # UNESCO's founding year; no network practice can start earlier


@dataclass(frozen=True)
class InstitutionData:
    """A validated institution: name and ISO country, optional city, levels, sector, locality."""

    name: str
    country: str
    city: str | None = None
    levels: tuple[str, ...] = ()
    sector: str | None = None
    locality: str | None = None


@dataclass(frozen=True)
class PracticeData:
    """A validated practice. Tag tuples are sorted and free of duplicates, so equal input
    gives equal values (import uses this to leave unchanged practices untouched)."""

    title: str
    body: str
    language: str
    themes: tuple[str, ...]
    summary: str = ""
    external_id: str | None = None
    country: str | None = None
    institution: InstitutionData | None = None
    pillars: tuple[int, ...] = ()
    levels: tuple[str, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    emerging_issues: tuple[str, ...] = ()
    year: int | None = None
    source_url: str | None = None
    license: str | None = None


def validate_practice(data: Mapping[str, Any]) -> PracticeData:
    """Validate one practice record (shape: DESIGN.md "Import/export record format").

    Lists may be lists or ";"-separated strings; empty strings and None mean "not given".

    Raises:
        ValidationError: {field: message} for every bad field; institution fields are
            named "institution.<field>", unknown fields by their own name.
    """
    if not isinstance(data, Mapping):
        raise ValidationError({"": "a practice must be an object of named fields"})
    f = _Fields(data, PRACTICE_FIELDS)
    country = f.get("country", codes.normalise_country)
    values = dict(
        external_id=f.get("external_id", _text(MAX_EXTERNAL_ID)),
        title=f.get("title", _text(MAX_TITLE), required=True),
        summary=f.get("summary", _text(MAX_SUMMARY, one_line=False)) or "",
        body=f.get("body", _body, required=True),
        language=f.get("language", _string(codes.normalise_language), required=True),
        themes=f.get("themes", _codes(vocab.THEMES, "theme"), required=True),
        pillars=f.get("pillars", _list(_pillar)) or (),
        levels=f.get("levels", _codes(vocab.LEVELS, "level")) or (),
        sdg_targets=f.get("sdg_targets", _list(_string(codes.normalise_sdg_target))) or (),
        emerging_issues=f.get("emerging_issues", _codes(vocab.EMERGING_ISSUES, "issue")) or (),
        year=f.get("year", _year),
        source_url=f.get("source_url", _url),
        license=f.get("license", _string(codes.normalise_license)),
    )
    institution = _institution(f, country)
    if f.errors:
        raise ValidationError(f.errors)
    country = country or (institution.country if institution else None)
    return PracticeData(country=country, institution=institution, **values)


class _Fields:
    """Reads fields of one mapping, collecting an error per bad field instead of stopping."""

    def __init__(self, data: Mapping[str, Any], known: tuple[str, ...], prefix: str = "") -> None:
        self.data, self.prefix = data, prefix
        self.errors: dict[str, str] = {}
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"use {', '.join(known)}"
                self.errors[f"{prefix}{key}"] = f"unknown field; {hint}"

    def get(self, name: str, parse: Callable[[Any], T], *, required: bool = False) -> T | None:
        value = self.data.get(name)
        if value is None or (isinstance(value, str | list | tuple) and not _has_content(value)):
            if required:
                self.errors[f"{self.prefix}{name}"] = "is required"
            return None
        try:
            parsed = parse(value)
        except ValueError as exc:
            self.errors[f"{self.prefix}{name}"] = str(exc)
            return None
        if required and not parsed:  # e.g. " ; " is text, but no list items
            self.errors[f"{self.prefix}{name}"] = "is required"
        return parsed


def _has_content(value: str | list | tuple) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return any(v is not None and str(v).strip() for v in value)


def _institution(f: _Fields, country: str | None) -> InstitutionData | None:
    value = f.data.get("institution")
    if isinstance(value, str) and value.strip():
        value = {"name": value}
    elif not value:
        return None
    elif not isinstance(value, Mapping):
        fields = ", ".join(INSTITUTION_FIELDS)
        f.errors["institution"] = f"must be a name or an object with {fields}"
        return None
    sub = _Fields(value, INSTITUTION_FIELDS, prefix="institution.")
    name = sub.get("name", _text(MAX_NAME), required=True)
    inst_country = sub.get("country", codes.normalise_country) or country
    country_failed = "country" in f.errors or "institution.country" in sub.errors
    if inst_country is None and not country_failed:
        sub.errors["institution.country"] = "is required when the practice has no country"
    values = dict(
        city=sub.get("city", _text(MAX_CITY)),
        levels=sub.get("levels", _codes(vocab.LEVELS, "level")) or (),
        sector=sub.get("sector", _code(vocab.INSTITUTION_SECTORS, "sector")),
        locality=sub.get("locality", _code(vocab.INSTITUTION_LOCALITIES, "locality")),
    )
    f.errors.update(sub.errors)
    if sub.errors or name is None or inst_country is None:
        return None
    return InstitutionData(name=name, country=inst_country, **values)


def _string(parse: Callable[[str], T]) -> Callable[[Any], T]:
    """Wrap `parse` so that only text reaches it."""

    def check(value: Any) -> T:
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {type(value).__name__} {value!r}")
        return parse(value)

    return check


def _text(limit: int, *, one_line: bool = True) -> Callable[[Any], str]:
    def clean(value: str) -> str:
        _reject_nul(value)
        # One-line fields (titles, names) lose stray line breaks and doubled spaces.
        text = " ".join(value.split()) if one_line else value.strip()
        if len(text) > limit:
            raise ValueError(f"is {len(text)} characters long; the limit is {limit}")
        return text

    return _string(clean)


@_string
def _body(value: str) -> str:
    # Kept verbatim: the Markdown source is the author's text (only rendering changes it).
    _reject_nul(value)
    if len(value) > MAX_BODY:
        raise ValueError(f"is {len(value)} characters long; the limit is {MAX_BODY}")
    return value


def _reject_nul(value: str) -> None:
    # PostgreSQL text cannot hold NUL; SQLite can. Refuse it on every engine alike.
    if "\x00" in value:
        raise ValueError("contains a NUL character (\\x00); is this a binary file?")


def _list(parse_item: Callable[[Any], T]) -> Callable[[Any], tuple[T, ...]]:
    """Parse a list (or a ";"-separated string) item by item, reporting every bad item."""

    def parse(value: Any) -> tuple[T, ...]:
        good, bad = [], []
        for item in _items(value):
            try:
                good.append(parse_item(item))
            except ValueError as exc:
                bad.append(str(exc))
        if bad:
            raise ValueError("; ".join(bad))
        return tuple(sorted(set(good)))

    return parse


def _items(value: Any) -> Iterable[Any]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list | tuple):
        return [v.strip() if isinstance(v, str) else v for v in value if v is not None and v != ""]
    raise ValueError(f"must be a list or a ';'-separated text, not {value!r}")


def _code(vocabulary: Mapping[str, str], noun: str) -> Callable[[Any], str]:
    """Parse one vocabulary code, given as the code or its label in any case ("ESD")."""
    parse_all = _codes(vocabulary, noun)
    return _string(lambda value: parse_all([value])[0])


def _codes(vocabulary: Mapping[str, str], noun: str) -> Callable[[Any], tuple[str, ...]]:
    """Parse a list of vocabulary codes, naming all unknown ones in one message."""
    lookup = {_key(code): code for code in vocabulary}
    lookup.update({_key(label): code for code, label in vocabulary.items()})

    def parse(value: Any) -> tuple[str, ...]:
        items = _items(value)
        unknown = [item for item in items if not isinstance(item, str) or _key(item) not in lookup]
        if unknown:
            shown = ", ".join(map(repr, unknown))
            raise ValueError(f"unknown {noun} {shown}; choose from {', '.join(vocabulary)}")
        return tuple(sorted({lookup[_key(item)] for item in items}))

    return parse


def _key(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().casefold())


def _integer(value: Any) -> int:
    # bool is an int in Python, but `true` is never a pillar or a year.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    raise ValueError(f"{value!r} is not a whole number")


def _pillar(value: Any) -> int:
    number = _integer(value)
    if number not in vocab.PILLARS:
        raise ValueError(f"there is no pillar {number}; the ASPnet pillars are 1-4")
    return number


def _year(value: Any) -> int:
    year, last = _integer(value), date.today().year + 1
    if not FIRST_YEAR <= year <= last:
        raise ValueError(f"{year} is not a plausible start year ({FIRST_YEAR}-{last})")
    return year


@_string
def _url(value: str) -> str:
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise ValueError(f"{url!r} is not a web address starting with http:// or https://")
    if len(url) > MAX_URL:
        raise ValueError(f"is {len(url)} characters long; the limit is {MAX_URL}")
    return url
