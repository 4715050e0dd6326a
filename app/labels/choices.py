"""Choices of the select fields: {value: label} as WTForms choices, and every language and
country of the standard code lists named in the interface language, sorted for a reader."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import pycountry
from babel.localedata import locale_identifiers
from wtforms import SelectChoice

from app.labels.display import autonym, country_name, language_name
from app.labels.translate import lazy


def choices(options: Mapping) -> list[SelectChoice]:
    """Return WTForms choices from {value: label}, in the mapping's order."""
    return [SelectChoice(value, label) for value, label in options.items()]


def vocabulary_choices(vocabulary: Mapping) -> list[SelectChoice]:
    """Return WTForms choices from a domain table {code: marked label}, each label translated
    when the form is shown (so a form class made once speaks every request's language)."""
    return choices({code: lazy(label) for code, label in vocabulary.items()})


@lru_cache(maxsize=16)
def language_choices(ui: str) -> dict[str, str]:
    """Return {tag: "Name (autonym)"} for every language with CLDR data, sorted by name."""
    del ui  # part of the cache key: names come from the interface language
    tags = {i for i in locale_identifiers() if "_" not in i and i != "root"}
    return dict(sorted(((t, _language_label(t)) for t in tags), key=lambda c: _sort_key(c[1])))


def _language_label(tag: str) -> str:
    name, own = language_name(tag), autonym(tag)
    return f"{name} ({own})" if own and own.casefold() != name.casefold() else name


@lru_cache(maxsize=16)
def country_choices(ui: str) -> dict[str, str]:
    """Return {alpha-2: name} for every ISO 3166-1 country, sorted by name."""
    del ui
    pairs = [(c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries]
    return dict(sorted(pairs, key=lambda c: _sort_key(c[1])))


def _sort_key(name: str) -> str:
    # Accents aside ("Égypte" among the E's); Babel has no collation, this is close enough.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
