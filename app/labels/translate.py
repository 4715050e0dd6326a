"""The one function that puts the domain's words into the interface language.

The domain (practices/) marks its labels with N_ and writes its sentences as
practices.i18n.Message; `make` extracts both into app/translations (babel.cfg). Pages, forms
and flashes show them through `translate` (or `lazy`, for words fixed when a module is
imported, such as a form's choices); the JSON API keeps the domain's English.
"""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import LazyString, gettext

from practices.errors import PracticeError, ValidationError
from practices.i18n import Message


def translate(text: str) -> str:
    """Return a domain label or Message in the interface language of the request.

    A Message's template is translated and filled with its values; values that are
    themselves Messages are translated too, other values (codes, titles, numbers) are shown
    as they are. A string no catalogue knows is returned unchanged (English).
    """
    if isinstance(text, Message):
        if not text.params:
            return gettext(text.template)
        values = {k: translate(v) if isinstance(v, Message) else v
                  for k, v in text.params.items()}
        return gettext(text.template, **values)
    return gettext(text)


def lazy(text: str) -> LazyString:
    """Return `text` translated when it is shown (in each request's language), not now."""
    return LazyString(translate, text)


def translated_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Return a ValidationError's {field: message} with every message translated."""
    return {field: translate(message) for field, message in errors.items()}


def describe(exc: PracticeError) -> str:
    """Return what a domain error says, in the interface language (a ValidationError: each
    field's message after the field's name)."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{field}: {message}" if field else message
                         for field, message in translated_errors(exc.errors).items())
    return translate(exc.message)
