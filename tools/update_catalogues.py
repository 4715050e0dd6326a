"""Bring every interface catalogue up to date with the extracted template, forgetting nothing.

`make translations` runs it after `pybabel extract` wrote app/translations/messages.pot. Like
`pybabel update`, each app/translations/<tag>/LC_MESSAGES/messages.po gets the template's
messages (new ones empty, changed ones fuzzy, with the closest old translation); unlike it, a
message that leaves the template is kept as obsolete (#~) and comes back translated when its
string returns. That is what lets translations made ahead of a merge (or on a branch merged
later) survive a run of `make translations` in between. Output: sorted, no source locations.

Usage: python tools/update_catalogues.py [TRANSLATIONS_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def update(translations: Path) -> None:
    """Update each catalogue under `translations` from its messages.pot; print a summary."""
    with open(translations / "messages.pot", "rb") as source:
        template = read_po(source)
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        locale = po.parents[1].name
        with open(po, "rb") as source:
            catalogue = read_po(source, locale=locale)
        memory = {_key(m.id): m for m in (*catalogue.obsolete.values(), *catalogue)
                  if m.id and _complete(m)}
        catalogue.update(template, update_header_comment=False)
        for message in catalogue:  # back in the template: no longer obsolete
            catalogue.obsolete.pop(_key(message.id), None)
        revived = 0
        for message in catalogue:
            old = memory.get(_key(message.id))
            if message.id and old is not None and (message.fuzzy or not _complete(message)) \
                    and _same_shape(old, message):
                message.string = old.string
                message.flags.discard("fuzzy")
                revived += 1
        missing = sum(1 for m in catalogue if m.id and (m.fuzzy or not _complete(m)))
        with open(po, "wb") as target:
            write_po(target, catalogue, width=76, no_location=True, sort_output=True,
                     include_previous=False)
        print(f"{locale}: {len(catalogue)} messages, {revived} translated from memory, "
              f"{missing} to translate (empty or fuzzy)")


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _complete(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def _same_shape(old, new) -> bool:
    # A plural message needs plural forms, a singular one a single string.
    return isinstance(old.string, tuple) == isinstance(new.id, tuple) and old.id == new.id


if __name__ == "__main__":
    update(Path(sys.argv[1] if len(sys.argv) > 1 else "app/translations"))
