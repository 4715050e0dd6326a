"""The compiled interface catalogues (.mo) are build artefacts: made here when stale.

`make` compiles them before `run` and `test`; a bare `pytest` (or a fresh clone) compiles them
through the session fixture in tests/conftest.py, so tests never run on an old translation.
"""
from __future__ import annotations

import os
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "app" / "translations"


def catalogue_sources() -> dict[str, Path]:
    """Return {locale directory name: its messages.po} for every interface catalogue."""
    return {po.parents[1].name: po
            for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))}


def compile_stale_catalogues() -> list[str]:
    """Compile each messages.po whose messages.mo is missing or older; return their locales.

    Fuzzy entries are left out, as `pybabel compile` does. Each file is written beside its
    target and renamed, so a process reading it never sees half a file.
    """
    compiled = []
    for locale, po in catalogue_sources().items():
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as source:
            catalogue = read_po(source, locale=locale)
        partial = mo.with_suffix(f".mo.{os.getpid()}")
        with open(partial, "wb") as target:
            write_mo(target, catalogue)
        partial.replace(mo)
        compiled.append(locale)
    return compiled


def extracted_messages() -> set[str]:
    """Return the msgids pybabel extracts as babel.cfg says (app/ and practices/); for a
    plural message, its singular msgid."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None}
    return {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(ROOT, method_map, options_map, keywords=keywords)
    }
