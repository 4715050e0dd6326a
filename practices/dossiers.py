"""Validation of what curators submit: the promotion dossier and the policy note (pure).

Both report every problem at once as ValidationError({field: message}). Field names:
"rubric_version", "scores.<criterion code>", "scores" (the total), "summary", "evidence",
"evidence.<n>.<field>" (n counts from 1), "audience", "key_message", "countries".
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from practices import codes, fields
from practices.errors import ValidationError
from practices.i18n import Message
from practices.rubric import (
    CURRENT_RUBRIC_VERSION,
    EVIDENCE_KINDS,
    MAX_SCORE,
    RUBRIC_VERSIONS,
    Rubric,
)
from practices.validation import REQUIRED

MAX_SUMMARY, MAX_MESSAGE, MAX_LINE, MAX_EVIDENCE = 10_000, 5_000, 300, 50
_NOT_APPLICABLE = frozenset({"na", "n/a", "not applicable", "not_applicable"})


@dataclass(frozen=True)
class EvidenceData:
    """A validated evidence item; `kind` is a key of practices.rubric.EVIDENCE_KINDS."""

    kind: str
    title: str
    source: str
    date: date
    url: str | None = None


@dataclass(frozen=True)
class DossierData:
    """A validated dossier that meets its rubric's minimums; None scores are not applicable."""

    rubric_version: str
    scores: Mapping[str, int | None]
    summary: str
    evidence: tuple[EvidenceData, ...]
    total: int
    maximum: int


@dataclass(frozen=True)
class PolicyNoteData:
    """A validated policy note: who it is for, what to tell them, which countries."""

    audience: str
    key_message: str
    countries: tuple[str, ...]


def validate_dossier(data: Mapping[str, Any]) -> DossierData:
    """Validate a dossier {rubric_version?, scores: {code: 0-3 | "na"}, summary, evidence: [
    {type, title, source, date (YYYY-MM-DD), url?}]} against its rubric's minimums.

    Raises:
        ValidationError: every problem, including scores below a criterion's minimum and a
            total below the rubric's share of the applicable maximum.
    """
    errors: dict[str, str] = {}
    version = data.get("rubric_version") or CURRENT_RUBRIC_VERSION
    rubric = RUBRIC_VERSIONS.get(version)
    if rubric is None:
        raise ValidationError({"rubric_version": Message(
            "unknown version %(version)r; use %(known)s", version=version,
            known=", ".join(RUBRIC_VERSIONS))})
    scores = _scores(rubric, data.get("scores"), errors)
    summary = _text(data, "summary", MAX_SUMMARY, errors, one_line=False)
    evidence = _evidence_list(data.get("evidence"), errors)
    total, maximum = _totals(rubric, scores, errors)
    if errors:
        raise ValidationError(errors)
    return DossierData(version, scores, summary, evidence, total, maximum)


def _scores(rubric: Rubric, given: Any, errors: dict[str, str]) -> dict[str, int | None]:
    given = given if isinstance(given, Mapping) else {}
    codes_ = [c.code for c in rubric.criteria]
    for code in given:
        if code not in codes_:
            errors[f"scores.{code}"] = Message("unknown criterion; the criteria are %(codes)s",
                                               codes=", ".join(codes_))
    scores: dict[str, int | None] = {}
    for criterion in rubric.criteria:
        key = f"scores.{criterion.code}"
        try:
            score = _score(given.get(criterion.code), criterion.may_be_not_applicable)
        except ValueError as exc:
            errors[key] = exc.args[0]
            continue
        scores[criterion.code] = score
        if score is not None and score < criterion.minimum:
            errors[key] = Message("%(score)d is below the minimum of %(minimum)d for %(name)s",
                                  score=score, minimum=criterion.minimum,
                                  name=Message(criterion.name))
    return scores


def _score(value: Any, may_be_not_applicable: bool) -> int | None:
    choices = (Message('0-%(max)d or "na" (not applicable)', max=MAX_SCORE)
               if may_be_not_applicable else f"0-{MAX_SCORE}")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(Message("is required: score it %(choices)s", choices=choices))
    if isinstance(value, str) and value.strip().casefold() in _NOT_APPLICABLE:
        if not may_be_not_applicable:
            raise ValueError(Message("cannot be marked not applicable; score it 0-%(max)d",
                                     max=MAX_SCORE))
        return None
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SCORE:
        raise ValueError(Message("%(value)r is not a score; use %(choices)s", value=value,
                                 choices=choices))
    return value


def _totals(
    rubric: Rubric, scores: Mapping[str, int | None], errors: dict[str, str]
) -> tuple[int, int]:
    applicable = [s for s in scores.values() if s is not None]
    total, maximum = sum(applicable), MAX_SCORE * len(applicable)
    needed = rubric.min_total(len(applicable))
    complete = not any(k.startswith("scores.") for k in errors)
    if complete and total < needed:
        errors["scores"] = Message(
            "the total %(total)d of %(maximum)d is below the minimum of %(needed)d (%(share)s "
            "of the maximum over the applicable criteria)", total=total, maximum=maximum,
            needed=needed, share=str(rubric.min_share))
    return total, maximum


def _evidence_list(items: Any, errors: dict[str, str]) -> tuple[EvidenceData, ...]:
    if not isinstance(items, list | tuple) or not items:
        errors["evidence"] = Message("give at least one evidence item (report, evaluation, "
                                     "data, ...)")
        return ()
    if len(items) > MAX_EVIDENCE:
        errors["evidence"] = Message("%(count)d items; the limit is %(limit)d",
                                     count=len(items), limit=MAX_EVIDENCE)
        return ()
    parsed = [_evidence(n, item, errors) for n, item in enumerate(items, 1)]
    return tuple(item for item in parsed if item is not None)


def _evidence(n: int, item: Any, errors: dict[str, str]) -> EvidenceData | None:
    prefix = f"evidence.{n}."
    if not isinstance(item, Mapping):
        errors[f"evidence.{n}"] = Message("must be an object with type, title, source, date "
                                          "and url")
        return None
    before = len(errors)
    kind = _choice(item.get("type"), prefix + "type", errors)
    title = _text(item, "title", MAX_LINE, errors, prefix=prefix)
    source = _text(item, "source", MAX_LINE, errors, prefix=prefix)
    when = _date(item.get("date"), prefix + "date", errors)
    url = _optional_url(item.get("url"), prefix + "url", errors)
    if len(errors) > before:
        return None
    return EvidenceData(kind, title, source, when, url)  # type: ignore[arg-type]


def _choice(value: Any, key: str, errors: dict[str, str]) -> str | None:
    if not isinstance(value, str) or value.strip().casefold() not in EVIDENCE_KINDS:
        errors[key] = Message("%(value)r is not an evidence type; use %(kinds)s", value=value,
                              kinds=", ".join(EVIDENCE_KINDS))
        return None
    return value.strip().casefold()


def _date(value: Any, key: str, errors: dict[str, str]) -> date | None:
    try:
        when = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    except ValueError:
        errors[key] = Message("%(value)r is not a date; use YYYY-MM-DD", value=value)
        return None
    if not fields.FIRST_YEAR <= when.year or when > date.today():
        errors[key] = Message("%(date)s is not a plausible date for existing evidence",
                              date=when.isoformat())
        return None
    return when


def _optional_url(value: Any, key: str, errors: dict[str, str]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return fields.web_address(value)
    except ValueError as exc:
        errors[key] = exc.args[0]
        return None


def _text(
    data: Mapping[str, Any],
    name: str,
    limit: int,
    errors: dict[str, str],
    *,
    prefix: str = "",
    one_line: bool = True,
) -> str:
    value = data.get(name)
    try:
        text = fields.text(limit, one_line=one_line)(value) if value is not None else ""
    except ValueError as exc:
        errors[prefix + name] = exc.args[0]
        return ""
    if not text:
        errors[prefix + name] = REQUIRED
    return text


def validate_policy_note(data: Mapping[str, Any]) -> PolicyNoteData:
    """Validate a policy note {audience, key_message, countries: ISO alpha-2 list or "A;B"}.

    Raises:
        ValidationError: every problem at once.
    """
    errors: dict[str, str] = {}
    audience = _text(data, "audience", MAX_LINE, errors)
    message = _text(data, "key_message", MAX_MESSAGE, errors, one_line=False)
    countries: tuple[str, ...] = ()
    try:
        parse = fields.list_of(fields.string(codes.normalise_country))
        countries = parse(data.get("countries") or [])
    except ValueError as exc:
        errors["countries"] = exc.args[0]
    if not countries and "countries" not in errors:
        errors["countries"] = Message("name at least one country (ISO 3166-1 alpha-2, e.g. KE)")
    if errors:
        raise ValidationError(errors)
    return PolicyNoteData(audience, message, countries)
