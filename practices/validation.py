"""Turn untrusted practice input (form, API, import file) into clean, typed values.

`validate_practice` checks every field and reports every problem at once, as one
ValidationError({field: message}); messages name the bad value and say what would be right.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import unescape
from typing import Any

from practices import codes, fields, rendering, vocab
from practices.errors import ValidationError
from practices.i18n import N_, Message
from practices.storable import shown

PRACTICE_FIELDS = (
    "external_id", "title", "summary", "body", "language", "country", "institution", "themes",
    "pillars", "levels", "sdg_targets", "emerging_issues", "partner_types", "year", "source_url",
    "license",
)  # fmt: skip
"""Fields of a practice record, in the order of the import/export format (DESIGN.md)."""
INSTITUTION_FIELDS = ("name", "city", "country", "levels", "sector", "locality")

REQUIRED = Message("is required")
"""The message of a required field left empty (forms say it in their own words)."""

# Lengths of the database columns (practices/models), so bad input fails here, not at flush.
MAX_TITLE, MAX_EXTERNAL_ID, MAX_NAME, MAX_CITY = 300, 200, 300, 200
MAX_SUMMARY = 5_000  # characters; longer is not a summary


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
    partner_types: tuple[str, ...] = ()
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
    return _validate(data, _REQUIRED)


def _validate(data: Mapping[str, Any], required: frozenset[str]) -> PracticeData:
    if not isinstance(data, Mapping):
        raise ValidationError({"": Message("a practice must be an object of named fields")})
    f = _Fields(data, PRACTICE_FIELDS, _PRACTICE_PARSERS)
    values = {name: f.get(name, required=name in required) for name in _PRACTICE_PARSERS}
    institution = _institution(f, values["country"])
    if f.errors:
        raise ValidationError(f.errors)
    if values["country"] is None and institution is not None:
        values["country"] = institution.country
    given = {name: value for name, value in values.items() if value is not None}
    given = {**_EMPTY, **given}  # what a draft may leave out is stored empty
    return PracticeData(institution=institution, **given)


def validate_draft(data: Mapping[str, Any]) -> PracticeData:
    """Validate a school's draft: like validate_practice, but only the title is required.

    Fields that are given are checked as strictly as for a full practice; a missing body,
    language or thematic area is stored empty (body "", language "", no theme) until the
    school completes it. Submitting checks completeness (require_complete).

    Raises:
        ValidationError: {field: message} for every bad field (a missing title included).
    """
    return _validate(data, _DRAFT_REQUIRED)


def require_complete(data: PracticeData) -> None:
    """Check that a practice holds everything a submitted one needs (the fields
    validate_practice requires: title, body, language, thematic areas).

    Raises:
        ValidationError: {field: REQUIRED} for every missing field, in form order.
    """
    missing = {name: REQUIRED for name in PRACTICE_FIELDS
               if name in _REQUIRED and not getattr(data, name)}
    if missing:
        raise ValidationError(missing)


def validate_institution(data: Mapping[str, Any]) -> InstitutionData:
    """Validate an institution on its own (a school applying to join, a page that creates
    one): name and country required; city, levels, sector, locality optional.

    Raises:
        ValidationError: {field: message} for every bad field (unprefixed names).
    """
    f = _Fields(data, INSTITUTION_FIELDS, _INSTITUTION_PARSERS)
    values = {name: f.get(name, required=name in {"name", "country"})
              for name in _INSTITUTION_PARSERS}
    if f.errors:
        raise ValidationError(f.errors)
    return InstitutionData(**{k: v for k, v in values.items() if v is not None})


class _Fields:
    """Reads fields of one mapping, collecting an error per bad field instead of stopping."""

    def __init__(
        self,
        data: Mapping[str, Any],
        known: tuple[str, ...],
        parsers: Mapping[str, Callable[[Any], Any]],
        prefix: str = "",
    ) -> None:
        self.data, self.parsers, self.prefix = data, parsers, prefix
        self.errors: dict[str, str] = {}
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                self.errors[f"{prefix}{shown(str(key))}"] = (
                    Message("unknown field; did you mean %(close)r?", close=close[0]) if close
                    else Message("unknown field; use %(fields)s", fields=", ".join(known)))

    def get(self, name: str, *, required: bool = False) -> Any:
        """Return the parsed value of field `name`, or None when absent or bad."""
        value = self.data.get(name)
        if value is None or (isinstance(value, str | list | tuple) and not _has_content(value)):
            if required:
                self.errors[f"{self.prefix}{name}"] = REQUIRED
            return None
        try:
            parsed = self.parsers[name](value)
        except ValueError as exc:
            self.errors[f"{self.prefix}{name}"] = exc.args[0]
            return None
        if required and not parsed:  # e.g. " ; " is text, but no list items
            self.errors[f"{self.prefix}{name}"] = REQUIRED
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
        f.errors["institution"] = Message("must be a name or an object with %(fields)s",
                                          fields=", ".join(INSTITUTION_FIELDS))
        return None
    sub = _Fields(value, INSTITUTION_FIELDS, _INSTITUTION_PARSERS, prefix="institution.")
    name = sub.get("name", required=True)
    inst_country = sub.get("country") or country
    country_failed = "country" in f.errors or "institution.country" in sub.errors
    if inst_country is None and not country_failed:
        sub.errors["institution.country"] = Message("is required when the practice has no "
                                                    "country")
    details = {k: sub.get(k) for k in ("city", "levels", "sector", "locality")}
    f.errors.update(sub.errors)
    if sub.errors or name is None or inst_country is None:
        return None
    given = {k: v for k, v in details.items() if v is not None}
    return InstitutionData(name=name, country=inst_country, **given)


# Parsers per field, built once: the vocabulary lookups are dictionaries made at import time.
_PRACTICE_PARSERS: dict[str, Callable[[Any], Any]] = {
    "external_id": fields.text(MAX_EXTERNAL_ID),
    "title": fields.text(MAX_TITLE),
    "summary": fields.text(MAX_SUMMARY, one_line=False),
    "body": fields.markdown_body,
    "language": fields.string(codes.normalise_language),
    "country": fields.string(codes.normalise_country),
    "themes": fields.vocabulary_codes(vocab.THEMES, N_("theme")),
    "pillars": fields.list_of(fields.pillar),
    "levels": fields.vocabulary_codes(vocab.LEVELS, N_("level")),
    "sdg_targets": fields.list_of(fields.string(codes.normalise_sdg_target)),
    "emerging_issues": fields.vocabulary_codes(vocab.EMERGING_ISSUES, N_("issue")),
    "partner_types": fields.vocabulary_codes(vocab.PARTNER_TYPES, N_("partner type")),
    "year": fields.start_year,
    "source_url": fields.web_address,
    "license": fields.string(codes.normalise_license),
}
_REQUIRED = frozenset({"title", "body", "language", "themes"})
# What a draft may leave out (validate_draft), and the empty value it then stores.
_EMPTY: dict[str, Any] = {"body": "", "language": "", "themes": ()}
_DRAFT_REQUIRED = _REQUIRED - set(_EMPTY)
_INSTITUTION_PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": fields.text(MAX_NAME),
    "city": fields.text(MAX_CITY),
    "country": fields.string(codes.normalise_country),
    "levels": fields.vocabulary_codes(vocab.LEVELS, N_("level")),
    "sector": fields.vocabulary_code(vocab.INSTITUTION_SECTORS, N_("sector")),
    "locality": fields.vocabulary_code(vocab.INSTITUTION_LOCALITIES, N_("locality")),
}


# A practice sent for review must say something: its summary and body together hold at least
# MIN_WORDS words and MIN_CHARACTERS letters or digits. A word is a run of letters, digits and
# combining marks; in scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar)
# each character is a word. So "...", emoji, zero-width characters, "xx" and "test" are
# refused, and "Worm farm." or "学生们经营学校菜园" pass (issue 10: near-empty submissions ranked
# high for ordinary queries).
MIN_WORDS = 2
MIN_CHARACTERS = 6
_UNSPACED = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x3040, 0x30FF),
             (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
NEARLY_EMPTY = Message(
    "says too little to be reviewed or found: write at least a sentence about what the "
    "school did (emoji, dots and invisible characters do not count)")


def content_size(text: str, *, enough: bool = False) -> tuple[int, int]:
    """Return (words, letters or digits) of `text`, as MIN_WORDS and MIN_CHARACTERS count
    them (see the comment above them).

    enough: stop counting once both reach MIN_WORDS and MIN_CHARACTERS (the counts returned
    are then those minimums or a little more): enough to judge, in a few characters.
    """
    words = characters = 0
    in_word = False
    for ch in text:
        code = ord(ch)
        if code >= _UNSPACED[0][0] and any(low <= code <= high for low, high in _UNSPACED):
            words, characters, in_word = words + 1, characters + 1, False
        elif ch.isalnum():
            characters += 1
            words += not in_word
            in_word = True
        elif not (in_word and unicodedata.category(ch) in ("Mn", "Mc")):
            in_word = False
        if enough and words >= MIN_WORDS and characters >= MIN_CHARACTERS:
            break
    return words, characters


def substance_problem(summary: str, body: str, *, html: str | None = None) -> Message | None:
    """Return why a practice with this summary and Markdown body is too empty to submit,
    or None when it says enough (MIN_WORDS, MIN_CHARACTERS).

    html: the body as stored rendered (Practice.body_html), if at hand. The search checks
    every hit, and rendering the Markdown took 1-2 ms a hit (half the p95 of a search at
    10,000 practices): the summary, then the text of `html` are tried first, and only when
    neither says enough is the Markdown rendered. Both are sound shortcuts: the text they
    count is part of what the full check counts (tags are removed, not replaced by spaces,
    so words are never split: at worst joined), and counts only grow with more text.
    """
    if _says_enough(summary) or (html is not None and _says_enough(_html_text(html))):
        return None
    words, characters = content_size(f"{summary}\n{rendering.plain_text(body)}", enough=True)
    if words < MIN_WORDS or characters < MIN_CHARACTERS:
        return NEARLY_EMPTY
    return None


_HTML_TAG = re.compile(r"<[^>]*>")


def _html_text(html: str) -> str:
    # bleach's output is well formed: every "<" of the text is escaped, so this strips tags.
    return unescape(_HTML_TAG.sub("", html))


def _says_enough(text: str) -> bool:
    words, characters = content_size(text, enough=True)
    return words >= MIN_WORDS and characters >= MIN_CHARACTERS


def require_substance(data: Any) -> None:
    """Refuse a practice (anything with `summary` and `body`) that is too empty to submit.

    Raises:
        ValidationError: {"body": NEARLY_EMPTY}.
    """
    problem = substance_problem(data.summary or "", data.body or "")
    if problem is not None:
        raise ValidationError({"body": problem})
