"""What an edit changed: two revisions of a practice compared field by field (difflib).

Texts are compared line by line with a little context around each change, tags and the other
fields value by value; the page marks removed lines with <del> and added ones with <ins>.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.labels.vocab import TAG_TITLES, field_name, value_label

CONTEXT_LINES = 2  # unchanged lines shown around each change of a text

# Fields of a revision in the order a reader meets them; tags come from revision.tags.
_TEXT_FIELDS = {"title": _l("Title"), "summary": _l("Summary"), "body": _l("Description")}
_VALUE_FIELDS = {
    "language": _l("Language"),
    "country": _l("Country"),
    "start_year": _l("Year the practice started"),
    "source_url": _l("Web page about the practice"),
    "license": _l("Licence"),
}
# Revision tag keys -> the field names value_label knows.
_TAG_FIELDS = {
    "themes": "theme", "pillars": "pillar", "levels": "level", "sdg_targets": "sdg_target",
    "emerging_issues": "emerging_issue", "partner_types": "partner_type",
}  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One line of a change: kind is "same", "removed", "added", or "gap" (lines skipped)."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    """The lines of one changed field."""

    name: str
    label: str
    lines: list[Line]


def revision_changes(old, new) -> list[FieldChange]:
    """Return what changed from revision `old` to revision `new` (empty: nothing)."""
    changes = [
        FieldChange(name, str(label), text_lines(getattr(old, name), getattr(new, name)))
        for name, label in _TEXT_FIELDS.items()
        if (getattr(old, name) or "") != (getattr(new, name) or "")
    ]
    for key, field in _TAG_FIELDS.items():
        before, after = (old.tags or {}).get(key, []), (new.tags or {}).get(key, [])
        if sorted(map(str, before)) != sorted(map(str, after)):
            title = str(TAG_TITLES.get(field) or field_name(field))
            changes.append(FieldChange(key, title, _value_lines(field, before, after)))
    for name, label in _VALUE_FIELDS.items():
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(FieldChange(name, str(label), _value_lines(name, [before], [after])))
    return changes


def text_lines(old: str | None, new: str | None) -> list[Line]:
    """Return a line diff of two texts: changed lines with CONTEXT_LINES around them."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lines: list[Line] = []
    for n, group in enumerate(matcher.get_grouped_opcodes(CONTEXT_LINES)):
        if n or group[0][1] > 0:
            lines.append(Line("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", text) for text in a[i1:i2]]
                continue
            lines += [Line("removed", text) for text in a[i1:i2]]
            lines += [Line("added", text) for text in b[j1:j2]]
    return lines


def _value_lines(field: str, before: list, after: list) -> list[Line]:
    shown = {"language", "country", *_TAG_FIELDS.values()}

    def label(value) -> str:
        return value_label(field, str(value)) if field in shown else str(value)

    removed = [Line("removed", label(v)) for v in before if v is not None and v not in after]
    added = [Line("added", label(v)) for v in after if v is not None and v not in before]
    return removed + added
