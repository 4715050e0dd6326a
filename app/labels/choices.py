"""Choices of the select fields: {value: label} as WTForms choices, and every language and
country of the standard code lists named in the interface language, sorted for a reader."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pycountry
from babel.localedata import locale_identifiers
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from app.labels.display import autonym, country_name, language_name
from app.labels.translate import lazy
from practices.services import network_countries

CountryGroups = list[tuple[str, dict[str, str]]]


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


def country_groups(network: Iterable[str], ui: str) -> CountryGroups:
    """Return the country picker's groups: the network's countries (those with member
    institutions) first, then every ISO 3166-1 country, each {alpha-2: name} sorted by name.

    Args:
        network: the network's country codes (practices.services.network_countries).
        ui: the interface language (names and order follow it).
    """
    every = country_choices(ui)
    ours = {code: name for code, name in every.items() if code in set(network)}
    groups = [(_("Countries of the network"), ours)] if ours else []
    return [*groups, (_("All countries"), every)]


def network_first_countries(session: Session) -> CountryGroups:
    """Return country_groups for this request: the network's countries (from the database)
    first, in the interface language."""
    return country_groups(network_countries(session), str(get_locale() or "en"))
