"""Parsers of single field values, the building blocks of practices.validation.

Each parser takes raw input (from a form, JSON or a CSV cell) and returns a clean value, or
raises ValueError with a message that names the bad value and what would be right; the caller
adds the field name.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from practices import vocab
from practices.i18n import Message, joined
from practices.storable import text_problem

T = TypeVar("T")

MAX_URL = 2000  # the source_url column
MAX_BODY = 200_000  # characters (~30,000 words): a guard against pasted files, not a style rule
FIRST_YEAR = 1945  # UNESCO's founding year; no network practice can start earlier


def string(parse: Callable[[str], T]) -> Callable[[Any], T]:
    """Wrap `parse` so that only text a database can store reaches it."""

    def check(value: Any) -> T:
        if not isinstance(value, str):
            raise ValueError(Message("must be text, not %(kind)s %(value)r",
                                     kind=type(value).__name__, value=value))
        _reject_nul(value)
        return parse(value)

    return check


def text(limit: int, *, one_line: bool = True) -> Callable[[Any], str]:
    """Return a parser of trimmed text of at most `limit` characters.

    One-line fields (titles, names) also lose stray line breaks and doubled spaces.
    """

    def clean(value: str) -> str:
        _reject_nul(value)
        cleaned = " ".join(value.split()) if one_line else value.strip()
        if len(cleaned) > limit:
            raise ValueError(_too_long(len(cleaned), limit))
        return cleaned

    return string(clean)


@string
def markdown_body(value: str) -> str:
    """Return a Markdown body verbatim (it is the author's text), if not too long."""
    _reject_nul(value)
    if len(value) > MAX_BODY:
        raise ValueError(_too_long(len(value), MAX_BODY))
    return value


def _reject_nul(value: str) -> None:
    # PostgreSQL text cannot hold NUL (SQLite can) and no database a lone surrogate: refuse
    # both on every engine alike (practices/storable.py).
    if problem := text_problem(value):
        raise ValueError(problem)


def _too_long(length: int, limit: int) -> Message:
    return Message("is %(length)d characters long; the limit is %(limit)d",
                   length=length, limit=limit)


def list_of(parse_item: Callable[[Any], T]) -> Callable[[Any], tuple[T, ...]]:
    """Parse a list (or a ";"-separated string) item by item, reporting every bad item."""

    def parse(value: Any) -> tuple[T, ...]:
        good, bad = [], []
        for item in _items(value):
            try:
                good.append(parse_item(item))
            except ValueError as exc:
                bad.append(exc.args[0])
        if bad:
            raise ValueError(joined(bad))
        return tuple(sorted(set(good)))

    return parse


def _items(value: Any) -> Iterable[Any]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list | tuple):
        return [v.strip() if isinstance(v, str) else v for v in value if v is not None and v != ""]
    raise ValueError(Message("must be a list or a ';'-separated text, not %(value)r",
                             value=value))


def vocabulary_code(vocabulary: Mapping[str, str], noun: str) -> Callable[[Any], str]:
    """Parse one vocabulary code, given as the code or its label in any case ("ESD").

    `noun` names what a code is in messages ("theme"), marked with N_."""
    parse_all = vocabulary_codes(vocabulary, noun)
    return string(lambda value: parse_all([value])[0])


def vocabulary_codes(vocabulary: Mapping[str, str], noun: str) -> Callable[[Any], tuple[str, ...]]:
    """Parse a list of vocabulary codes, naming all unknown ones in one message."""
    lookup = {_key(code): code for code in vocabulary}
    lookup.update({_key(label): code for code, label in vocabulary.items()})

    def parse(value: Any) -> tuple[str, ...]:
        items = _items(value)
        unknown = [item for item in items if not isinstance(item, str) or _key(item) not in lookup]
        if unknown:
            shown = ", ".join(map(repr, unknown))
            raise ValueError(Message("unknown %(noun)s %(values)s; choose from %(codes)s",
                                     noun=Message(noun), values=shown,
                                     codes=", ".join(vocabulary)))
        return tuple(sorted({lookup[_key(item)] for item in items}))

    return parse


def _key(value: str) -> str:
    return re.sub(r"[\s_-]+", "_", value.strip().casefold())


def _integer(value: Any) -> int:
    # bool is an int in Python, but `true` is never a pillar or a year.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    raise ValueError(Message("%(value)r is not a whole number", value=value))


def pillar(value: Any) -> int:
    """Return an ASPnet action pillar number (1-4), given as a number or as text."""
    number = _integer(value)
    if number not in vocab.PILLARS:
        raise ValueError(Message("there is no pillar %(number)d; the ASPnet pillars are 1-4",
                                 number=number))
    return number


def start_year(value: Any) -> int:
    """Return a start year between FIRST_YEAR and next year."""
    year, last = _integer(value), date.today().year + 1
    if not FIRST_YEAR <= year <= last:
        raise ValueError(Message("%(year)d is not a plausible start year (%(first)d-%(last)d)",
                                 year=year, first=FIRST_YEAR, last=last))
    return year


@string
def web_address(value: str) -> str:
    """Return an absolute http(s) address; other schemes (javascript:, ftp:) are refused."""
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise ValueError(Message("%(url)r is not a web address starting with http:// or "
                                 "https://", url=url))
    if len(url) > MAX_URL:
        raise ValueError(_too_long(len(url), MAX_URL))
    return url
