"""Which of the six UN languages the interface speaks to a person, and how it is remembered.

The interface is in Arabic, Chinese, English, French, Russian and Spanish (the six official
languages of the United Nations, hence of UNESCO), named by BCP 47 tags. The language of a
request is, in this order: the choice made in this browser (the `ui_language` cookie), the
signed-in user's choice (users.ui_language: it follows them to a new browser, and e-mails use
it), the best match of the browser's Accept-Language, English.

Other parts of the app (e-mails sent in the background, for instance) ask `locale_for(user)`
and render with `flask_babel.force_locale(locale_for(user))`.
"""
from __future__ import annotations

from collections.abc import Iterable

# BCP 47 tags of the interface languages, each with a catalogue in app/translations/<tag>
# (tests/web/test_i18n_catalogues.py checks that each is complete). English is the source.
INTERFACE_LANGUAGES: tuple[str, ...] = ("ar", "en", "es", "fr", "ru", "zh")
DEFAULT = "en"
COOKIE = "ui_language"
COOKIE_MAX_AGE = 365 * 24 * 3600  # seconds: a year, renewed at each choice


def interface_language(tag: str | None) -> str | None:
    """Return the interface language a BCP 47 tag names, or None if it names none of the six.

    Case is ignored and a region or script narrows nothing ("ES" -> "es", "zh-Hans-CN" ->
    "zh", "fr-CA" -> "fr"); anything else ("pt", "", "not a tag", None) -> None.
    """
    if not tag or not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in INTERFACE_LANGUAGES else None


def locale_for(user) -> str:
    """Return the interface language (a BCP 47 tag of INTERFACE_LANGUAGES) to speak to `user`.

    `user` is a practices User (or any object with `ui_language`), an anonymous user or None;
    a user who never chose a language gets English. Needs no request: usable from jobs that
    send e-mails, as `with flask_babel.force_locale(locale_for(user)): ...`.
    """
    return interface_language(getattr(user, "ui_language", None)) or DEFAULT


def negotiate(user, cookie: str | None, accept: Iterable[str] | None) -> str:
    """Return the interface language of a request: the cookie's (chosen in this browser),
    else the user's stored choice, else the first of the browser's languages (best first)
    the interface speaks, else English.

    Args:
        user: the signed-in user, or None / an anonymous user.
        cookie: the value of the `ui_language` cookie, if any.
        accept: the browser's language tags, most preferred first (Accept-Language).
    """
    chosen = interface_language(cookie) or interface_language(getattr(user, "ui_language", None))
    if chosen:
        return chosen
    for tag in accept or ():
        found = interface_language(tag)
        if found:
            return found
    return DEFAULT
