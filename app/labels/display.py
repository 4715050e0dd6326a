"""How codes are shown to people: language and country names, and the writing direction.

Names come from the Unicode CLDR data shipped with Babel, in the interface language of the
request, so a French page says "arabe" and "Allemagne". Writing direction comes from the
script of the language tag, made explicit by langcodes' likely-subtags data ("ar" -> Arab).
"""
from __future__ import annotations

from functools import lru_cache

import langcodes
import pycountry
from babel import Locale, UnknownLocaleError
from flask_babel import get_locale, pgettext
from markupsafe import Markup, escape

from practices import plain_text

# Scripts written right to left: the "RTL" column of CLDR's scriptMetadata.txt
# (unicode-org/cldr common/properties/scriptMetadata.txt), living and historic scripts alike.
RTL_SCRIPTS = frozenset(
    {
        "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Hatr", "Hebr", "Hung",
        "Khar", "Lydi", "Mand", "Mani", "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo", "Orkh",
        "Ougr", "Palm", "Phli", "Phlp", "Phnx", "Prti", "Rohg", "Samr", "Sarb", "Sogd", "Sogo",
        "Syrc", "Thaa", "Yezi",
    }
)  # fmt: skip


@lru_cache(maxsize=1024)
def text_direction(language_tag: str | None) -> str:
    """Return "rtl" or "ltr": the direction of the script `language_tag` is written in.

    The script is the tag's own ("az-Arab") or its likely one ("ar" -> Arab, "ku" -> Latn),
    per CLDR likely subtags. Missing or malformed tags give "ltr".
    """
    if not language_tag:
        return "ltr"
    try:
        script = langcodes.Language.get(language_tag).maximize().script
    except ValueError:
        return "ltr"
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def lang_attrs(language_tag: str | None) -> Markup:
    """Return the `lang` and `dir` attributes for a piece of text in `language_tag`.

    Used on every element holding user text: `<h2 {{ practice.language|lang_attrs }}>`.
    """
    if not language_tag:
        return Markup('dir="auto"')
    return Markup('lang="{}" dir="{}"').format(escape(language_tag), text_direction(language_tag))


def language_name(language_tag: str | None) -> str:
    """Return the name of a language in the interface language ("pt-BR" -> "Portuguese (Brazil)").

    Unknown tags are returned as they are.
    """
    if not language_tag:
        return ""
    return _language_name(language_tag, str(get_locale() or "en"))


def country_name(code: str | None) -> str:
    """Return the name of an ISO 3166-1 alpha-2 country in the interface language ("DE")."""
    if not code:
        return ""
    return _country_name(code.upper(), str(get_locale() or "en"))


def autonym(language_tag: str) -> str:
    """Return a language's name in itself ("ar" -> "العربية"), or "" when CLDR has none."""
    try:
        return Locale.parse(language_tag, sep="-").get_display_name() or ""
    except (ValueError, UnknownLocaleError):
        return ""


@lru_cache(maxsize=4096)
def _language_name(tag: str, ui: str) -> str:
    ui_locale = Locale.parse(ui)
    try:
        name = Locale.parse(tag, sep="-").get_display_name(ui_locale)
    except (ValueError, UnknownLocaleError):
        # Languages without CLDR locale data ("syr") still have a name in the UI language.
        name = ui_locale.languages.get(tag.split("-")[0].lower())
    return name or tag


@lru_cache(maxsize=2048)
def _country_name(code: str, ui: str) -> str:
    name = Locale.parse(ui).territories.get(code)
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country is not None else code


def snippet(practice, limit: int = 280) -> str:
    """Return the practice's summary (or the start of its text), cut at a word under `limit`."""
    return shorten(practice.summary or plain_text(practice.body or ""), limit)


def shorten(text: str, limit: int = 400) -> str:
    """Return `text` on one line, cut at a word under `limit` characters (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:.-–—") + "…"


def comma() -> str:
    """Return what separates the items of a list in the interface language: ", " ("Cusco,
    Perú"), Arabic "، " ("فاس، المغرب"), Chinese "，"."""
    return pgettext("list separator", ", ")
