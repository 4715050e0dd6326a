"""`make translations` (tools/update_catalogues.py): new strings arrive empty, and a string
that leaves the code and comes back (a branch merged later) comes back translated."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

TOOL = Path(__file__).resolve().parents[1] / "tools" / "update_catalogues.py"


def _tool():
    spec = importlib.util.spec_from_file_location("update_catalogues", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, catalogue: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as target:
        write_po(target, catalogue)


def _template(tmp_path: Path, *msgids: str) -> None:
    template = Catalog()
    for msgid in msgids:
        template.add(msgid)
    _write(tmp_path / "messages.pot", template)


def test_a_string_merged_later_keeps_the_translation_made_ahead(tmp_path):
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    ahead = Catalog(locale="es")
    ahead.add("Search", "Buscar")
    ahead.add("Attach", "Adjuntar")  # translated before the branch saying it is merged
    _write(po, ahead)
    update = _tool().update

    _template(tmp_path, "Search", "Share")  # main without the branch
    update(tmp_path)
    _template(tmp_path, "Search", "Share", "Attach")  # after the merge
    update(tmp_path)

    with open(po, "rb") as source:
        result = read_po(source, locale="es")
    assert {m.id: m.string for m in result if m.id} == {
        "Search": "Buscar", "Share": "", "Attach": "Adjuntar"}
    assert list(result.obsolete) == []
