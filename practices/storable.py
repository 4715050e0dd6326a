"""Text that no database can store, refused before it is written (issue 8, "bad input").

A lone surrogate ("\\ud800", which JSON allows as an escape) is not Unicode text: encoding it
for the database raised UnicodeEncodeError (a 500). PostgreSQL's text cannot hold NUL either,
while SQLite can. The field parsers (practices/fields.py) refuse both with a message per field;
`before_flush` is the safety net for every other text a service writes (notes, comments,
dossiers, names): whatever the entry point (form, JSON API, CLI import), such text is a
ValidationError, never a half-written row.
"""
from __future__ import annotations

import re

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from practices.errors import ValidationError
from practices.i18n import Message

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> Message | None:
    """Return why `value` cannot be stored (a NUL or a lone surrogate), or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return Message("contains a NUL character (\\x00); is this a binary file?")
    return Message("contains %(char)s, which is not a character (a lone UTF-16 surrogate); "
                   "send the text as UTF-8", char=f"\\u{ord(found.group()):04x}")


def shown(text: str) -> str:
    """Return `text` safe to print or store: each lone surrogate as its \\uXXXX escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def refuse_unstorable_text(session: Session, *_args) -> None:
    """Raise ValidationError({column: message}) if an object about to be flushed holds text
    that cannot be stored (a `before_flush` hook on every session)."""
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            value = state.dict.get(attr.key)
            if isinstance(value, str) and (problem := text_problem(value)):
                raise ValidationError({attr.key: problem})


event.listen(Session, "before_flush", refuse_unstorable_text)
