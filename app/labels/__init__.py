"""How the pages show codes to people: names of languages and countries, writing direction,
labels of the vocabularies, workflow words, rubric and account labels, select choices.

init_app gives the templates these helpers under the names they use.
"""
from __future__ import annotations

from flask import Flask

from app.labels import accounts, display, rubric, vocab, workflow
from practices.codes import SPDX_CONTENT_LICENSES


def init_app(app: Flask) -> None:
    """Register the label helpers as template filters and globals."""
    for name in ("lang_attrs", "language_name", "country_name", "text_direction", "snippet"):
        app.add_template_filter(getattr(display, name), name)
    globals_ = {
        "value_label": vocab.value_label,
        "practice_tags": vocab.practice_tags,
        "tag_titles": vocab.TAG_TITLES,
        "spdx_licenses": frozenset(SPDX_CONTENT_LICENSES),
        "autonym": display.autonym,
        "action_label": workflow.action_label,
        "status_label": workflow.status_label,
        "badges": workflow.badges,
        "next_steps": workflow.next_steps,
        "note_hints": workflow.NOTE_HINTS,
        "criterion_name": rubric.criterion_name,
        "criterion_definition": rubric.criterion_definition,
        "score_label": rubric.score_label,
        "evidence_kind": rubric.evidence_kind,
        "role_label": accounts.role_label,
        "membership_label": accounts.membership_label,
    }
    for name, helper in globals_.items():
        app.add_template_global(helper, name)
