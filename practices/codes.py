"""Standard codes a practice carries: language, country, SDG target and licence.

Each `normalise_*` function returns the canonical form of one code or raises ValueError with a
message a person can act on (without the field name; validation adds it). Lookups are cached:
an import validates thousands of records that repeat the same few codes.
"""
from __future__ import annotations

import re
from functools import lru_cache

import langcodes
import pycountry

from practices import vocab
from practices.i18n import Message

# The `language` column is String(35); RFC 5646 section 4.4.1 advises supporting at least 35.
MAX_LANGUAGE_TAG = 35

# "Undetermined" (ISO 639-2); private-use tags ("x-...") name no language either.
_NO_LANGUAGE = frozenset({"und"})

# ISO 3166/MA "exceptionally reserved" codes people often use for a country whose code differs.
_RESERVED_COUNTRY_CODES = {"UK": "GB", "EL": "GR"}

# SPDX identifiers (spdx.org/licenses) of the licences open educational content mostly uses;
# matched case- and space-insensitively so "cc by-sa 4.0" is stored as "CC-BY-SA-4.0".
SPDX_CONTENT_LICENSES = (
    "CC0-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0",
    "CC-BY-3.0-IGO",
    "CC-BY-SA-3.0-IGO",
    "CC-BY-NC-SA-3.0-IGO",
    "CC-BY-NC-ND-3.0-IGO",
)
MAX_LICENSE = 100  # the `license` column is String(100)
_SPDX_BY_KEY = {re.sub(r"[\s_-]+", "-", s.casefold()): s for s in SPDX_CONTENT_LICENSES}


@lru_cache(maxsize=4096)
def normalise_language(tag: str) -> str:
    """Return the normalised BCP 47 form of `tag` ("EN" -> "en", "pt_BR" -> "pt-BR").

    Deprecated subtags are replaced by their preferred values ("iw" -> "he"), per the IANA
    Language Subtag Registry as shipped with langcodes.

    Raises:
        ValueError: `tag` is not a valid BCP 47 tag, names no language, or is too long.
    """
    not_a_tag = Message("%(tag)r is not a BCP 47 language tag; use e.g. 'en', 'fr', 'pt-BR' "
                        "or 'zh-Hans'", tag=tag)
    try:
        code = langcodes.standardize_tag(tag.strip())
    except ValueError:
        raise ValueError(not_a_tag) from None
    if not langcodes.tag_is_valid(code):
        raise ValueError(not_a_tag)
    language = langcodes.Language.get(code).language
    if language is None or language in _NO_LANGUAGE or language.startswith("x-"):
        raise ValueError(Message("%(tag)r names no language; use e.g. 'en', 'fr', 'pt-BR' or "
                                 "'zh-Hans'", tag=tag))
    if len(code) > MAX_LANGUAGE_TAG:
        raise ValueError(Message("%(tag)r is longer than %(limit)d characters; use e.g. 'en', "
                                 "'fr', 'pt-BR' or 'zh-Hans'", tag=tag, limit=MAX_LANGUAGE_TAG))
    return code


@lru_cache(maxsize=1024)
def normalise_country(code: str) -> str:
    """Return `code` as an upper-case ISO 3166-1 alpha-2 country code ("fr" -> "FR").

    Raises:
        ValueError: not an assigned alpha-2 code; the message suggests the right code when
            `code` is a known alpha-3 code, numeric code, name or reserved code ("UK" -> "GB").
    """
    raw = code.strip()
    upper = raw.upper()
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper) is not None:
        return upper
    suggestion = _RESERVED_COUNTRY_CODES.get(upper)
    if suggestion is None:
        try:
            suggestion = pycountry.countries.lookup(raw).alpha_2
        except LookupError:
            raise ValueError(Message(
                "%(code)r is not an ISO 3166-1 alpha-2 country code; use e.g. 'FR' or 'KE'",
                code=raw)) from None
    name = pycountry.countries.get(alpha_2=suggestion).name
    raise ValueError(Message(
        "%(code)r is not an ISO 3166-1 alpha-2 country code; %(name)s is %(suggestion)r",
        code=raw, name=name, suggestion=suggestion))


@lru_cache(maxsize=512)
def normalise_sdg_target(code: str) -> str:
    """Return `code` as one of the 169 official SDG target numbers ("4.A" -> "4.a").

    Raises:
        ValueError: not a target of A/RES/70/1; the message gives the Goal's valid range.
    """
    canonical = code.strip().lower()
    if vocab.is_sdg_target(canonical):
        return canonical
    goal = canonical.partition(".")[0]
    if not goal.isdigit():
        raise ValueError(Message("%(code)r is not an SDG target number such as '4.7' or '13.a'",
                                 code=code))
    if int(goal) not in vocab.SDG_GOALS:
        raise ValueError(Message("%(code)r: there is no Goal %(goal)d; the SDGs are numbered "
                                 "1-17", code=code, goal=int(goal)))
    raise ValueError(Message("%(code)r is not one of the 169 SDG targets; Goal %(goal)d has "
                             "%(targets)s", code=code, goal=int(goal), targets=_goal_range(goal)))


def _goal_range(goal: str) -> str:
    targets = [t for t in vocab.SDG_TARGETS if t.startswith(f"{int(goal)}.")]
    numbered = [t for t in targets if t.split(".")[1].isdigit()]
    lettered = [t for t in targets if not t.split(".")[1].isdigit()]
    ranges = f"{numbered[0]}-{numbered[-1]}"
    if not lettered:
        return ranges
    letters = f"{lettered[0]}-{lettered[-1]}"
    return Message("%(numbered)s and %(lettered)s", numbered=ranges, lettered=letters)


def normalise_license(text: str) -> str:
    """Return a licence string, with known SPDX ids in their canonical spelling.

    Other short licence names ("UNESCO-Courier-reprint-notice") are kept as given.

    Raises:
        ValueError: the text spans lines or is longer than MAX_LICENSE characters.
    """
    clean = text.strip()
    spdx = _SPDX_BY_KEY.get(re.sub(r"[\s_-]+", "-", clean.casefold()))
    if spdx is not None:
        return spdx
    if "\n" in clean or "\r" in clean or len(clean) > MAX_LICENSE:
        raise ValueError(Message(
            "must be a short licence name (one line, at most %(limit)d characters), "
            "preferably an SPDX id such as 'CC-BY-4.0' or 'CC-BY-SA-3.0-IGO'",
            limit=MAX_LICENSE))
    return clean
