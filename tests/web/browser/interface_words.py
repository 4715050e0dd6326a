"""What a reader of a page or an e-mail in one interface language notices: the catalogue's
words for a message (Words), and what gives away a string left untranslated (common English
words, dates written in digits only). Used by the browser tests that play a day in Arabic and
in Spanish."""
from __future__ import annotations

import re

# Common English words that a sentence of the interface or of an e-mail can hardly avoid, and
# that are no words of Arabic or Spanish: one of them in a page or an e-mail in those languages
# is an untranslated string (names, titles and notes the tests choose never contain them).
# Month and day names catch dates left in English ("may" is Spanish too: "1 may 2026").
_ENGLISH = frozenset("""the your you is are to of and this for with was has have been
    please here there which what when who will can not from into
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split())
_UNREAD = re.compile(r"\S+@\S+|https?://\S+")  # addresses and links are no language


def english_words(text: str) -> set[str]:
    """Return the common English words in `text` (links and e-mail addresses left out)."""
    # Whole words of any script ("íslenska" is no "is"), then the English ones.
    words = re.findall(r"[^\W\d_]+", _UNREAD.sub(" ", text))
    return {w for w in words if w.lower() in _ENGLISH}


def numeric_dates(text: str) -> list[str]:
    """Return the dates written with digits only ("2026-12-05", "12/5/26") in `text` (links
    left out): every language's reader gets the month in letters (app/labels/formats.py)."""
    return re.findall(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
                      _UNREAD.sub(" ", text))


class Words:
    """What the interface says in one language: the app's catalogue translation of an
    English message, as a page or an e-mail in that language should show it."""

    def __init__(self, app, language: str) -> None:
        self.app = app
        self.language = language

    def __call__(self, message: str, **values) -> str:
        """Return `message` (an English msgid) translated, with `values` filled in.

        Raises AssertionError when the catalogue has no translation (it equals the English).
        """
        from flask_babel import force_locale, gettext

        with self.app.test_request_context(), force_locale(self.language):
            text = gettext(message, **values)
        english = message % values if values else message
        assert text != english, f"{message!r} has no {self.language} translation"
        return text
