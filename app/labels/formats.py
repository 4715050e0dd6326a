"""Dates, times and numbers as the interface language writes them (Unicode CLDR, by Babel).

One way for every page: a date is written with the month in letters, so that no reader
mistakes 12/5/26 for the 12th of May ("Dec 5, 2026", "5 déc. 2026", "5 ديسمبر 2026",
"2026年12月5日"); a moment adds the time of day in UTC, the network's one clock; numbers get
the language's digit grouping ("12,345", "12 345"). The templates use them as the filters
`dateformat`, `datetimeformat` (which replace Flask-Babel's, so a template cannot pick a
numeric format by mistake), `number`, and `hours` (a duration in the language's plural forms;
e-mails use it for how long a link works).
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal
from flask_babel import get_locale, ngettext

_DATE_SKELETON = "yMMMd"  # year, abbreviated month name, day: ordered as each language does


def date_label(value: date | datetime | None, _format: str | None = None) -> str:
    """Return a date (or the date of a UTC moment) as the interface language writes it,
    month in letters ("Dec 5, 2026"); "" for None. `_format` is accepted and ignored, so
    templates written for Flask-Babel's `dateformat("long")` keep working."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _utc(value).date()
    return format_skeleton(_DATE_SKELETON, value, locale=_locale())


def datetime_label(value: datetime | None, _format: str | None = None) -> str:
    """Return a moment as the interface language writes it: its date (as date_label), its
    time of day in UTC, hours and minutes ("Dec 5, 2026, 4:30 PM UTC"); "" for None."""
    if value is None:
        return ""
    locale = _locale()
    moment = _utc(value)
    time_part = format_time(moment.time(), "short", locale=locale) + " UTC"
    pattern = locale.datetime_formats["medium"]  # "{1}, {0}": date, then time, or the reverse
    return str(pattern).replace("{1}", date_label(moment)).replace("{0}", time_part)


def number_label(value: int | float | None) -> str:
    """Return a number with the interface language's grouping and decimal signs."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale())


def _locale():
    return get_locale() or "en"


def _utc(value: datetime) -> datetime:
    # Stored moments are UTC; naive ones (SQLite) are UTC too.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def hours_label(hours: int) -> str:
    """Return a number of hours with the interface language's plural form, as said after
    "for" or "within" ("1 hour", "2 hours"; Arabic "ساعتين" for 2, "5 ساعات"; Russian, after
    "в течение", "1 часа", "2 часов"): how long a link works."""
    return ngettext("%(num)d hour", "%(num)d hours", hours)
