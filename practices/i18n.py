"""Words for people, marked in the domain and translated by the web layer (pure Python).

The domain never imports Flask or Babel. It marks its human strings with `N_` (GNU gettext's
gettext_noop: the string is returned unchanged) and writes sentences with values as a
`Message` (the English template and the values); `pybabel extract -k N_ -k Message` finds
both (babel.cfg). The web layer translates them with one function, app.labels.translate.
Everywhere else (the CLI, logs, the API's English messages) a Message simply is its English
text: it is a str.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any


def N_(text: str) -> str:  # noqa: N802 - the conventional name of gettext_noop
    """Mark `text` for translation and return it unchanged."""
    return text


class Message(str):
    """A sentence for people: its English text (the str value), the template it was made from
    and the template's values, so that the web layer can say it in the reader's language.

    Args:
        template: English, with Python %-style named placeholders ("%(code)s is not ...").
        params: the placeholders' values; a value may itself be a Message or a marked label
            (the web layer translates those too).

    Raises:
        KeyError: a placeholder has no value (a programming error).
    """

    template: str
    params: Mapping[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        text = template % params if params else template
        made = super().__new__(cls, text)
        made.template = template
        made.params = MappingProxyType(params)
        return made

    def __reduce__(self):
        return (_rebuild, (self.template, dict(self.params)))


def joined(parts: Sequence[str]) -> str:
    """Return messages joined by "; " as one Message (each part stays translatable).

    Raises:
        ValueError: `parts` is empty.
    """
    if not parts:
        raise ValueError("nothing to join")
    if len(parts) == 1:
        return parts[0]
    return Message("%(first)s; %(others)s", first=parts[0], others=joined(parts[1:]))


def _rebuild(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)
