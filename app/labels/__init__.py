"""How the pages show the domain's words and codes to people, in the interface language.

translate: the one function that translates the domain's marked labels and Messages.
vocab: codes -> labels (vocabularies, filters, statuses, actions, roles, rubric), each from
    its one table in practices/.
display: names of languages and countries (CLDR), writing direction, snippets.
formats: dates, moments and numbers as the interface language writes them (CLDR).
choices: select-field choices. workflow: the pages' own words about the review workflow.

init_app gives the templates these helpers under the names they use.
"""
from __future__ import annotations

from flask import Flask

from app.labels import display, files, formats, vocab, workflow
from practices.codes import SPDX_CONTENT_LICENSES


def init_app(app: Flask) -> None:
    """Register the label helpers as template filters and globals."""
    for name in ("lang_attrs", "language_name", "country_name", "text_direction", "snippet",
                 "shorten"):
        app.add_template_filter(getattr(display, name), name)
    # One way to write dates, moments and numbers in every language (replaces Flask-Babel's
    # dateformat and datetimeformat, whose "short" formats write 12/5/26).
    app.add_template_filter(formats.date_label, "dateformat")
    app.add_template_filter(formats.datetime_label, "datetimeformat")
    app.add_template_filter(formats.number_label, "number")
    app.add_template_filter(formats.hours_label, "hours")
    globals_ = {
        "value_label": vocab.value_label,
        "practice_tags": vocab.practice_tags,
        "revision_tags": vocab.revision_tags,
        "tag_titles": vocab.TAG_TITLES,
        "spdx_licenses": frozenset(SPDX_CONTENT_LICENSES),
        "autonym": display.autonym,
        "comma": display.comma,
        "action_label": vocab.action_label,
        "audit_action_label": vocab.audit_action_label,
        "status_label": vocab.status_label,
        "badges": workflow.badges,
        "next_steps": workflow.next_steps,
        "note_hints": workflow.NOTE_HINTS,
        "criterion_name": vocab.criterion_name,
        "criterion_definition": vocab.criterion_definition,
        "score_label": vocab.score_label,
        "evidence_kind": vocab.evidence_kind,
        "role_label": vocab.role_label,
        "membership_label": vocab.membership_label,
        "file_kind": files.file_kind,
        "file_size": files.file_size,
        "accepted_kinds": files.accepted_kinds,
        "application_status_label": vocab.application_status_label,
    }
    for name, helper in globals_.items():
        app.add_template_global(helper, name)
