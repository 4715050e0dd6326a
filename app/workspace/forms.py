"""The practice form: HTML fields in, the domain's input mapping out, domain errors back in.

The form checks only what the page itself needs (choices from the lists offered); every rule
about practices is practices.validate_practice's, whose messages are placed next to the field
they concern. The school is the signed-in editor's own institution, never a form field.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Regexp

from app.labels.choices import choices, language_choices, vocabulary_choices
from app.labels.translate import translate
from app.labels.vocab import pillar_label, sdg_target_label
from practices import vocab
from practices.codes import SPDX_CONTENT_LICENSES
from practices.validation import REQUIRED


def _pillar(number: int) -> LazyString:
    # Lazy, so the label follows the interface language of each request.
    return LazyString(pillar_label, number)


def _target(code: str) -> LazyString:
    return LazyString(sdg_target_label, code)


class PracticeForm(FlaskForm):
    """A school's practice: its content and tags (new, or an edit of one of theirs).

    Selects default to "" (their "not given" option), so a select missing from the posted
    data reads as not given instead of as an invalid choice. `external_id` is made when the
    new-practice page is shown: sending the same page twice finds the practice already saved.
    """

    title = StringField(_l("Title"))
    summary = TextAreaField(_l("Summary"))
    body = TextAreaField(_l("Description"))
    language = SelectField(_l("Language of the practice"), default="")
    themes = SelectMultipleField(_l("Thematic areas"), choices=vocabulary_choices(vocab.THEMES))
    pillars = SelectMultipleField(
        _l("Action pillars"), coerce=int, choices=choices({n: _pillar(n) for n in vocab.PILLARS})
    )
    levels = SelectMultipleField(_l("Education levels"), choices=vocabulary_choices(vocab.LEVELS))
    emerging_issues = SelectMultipleField(
        _l("Emerging issues"), choices=vocabulary_choices(vocab.EMERGING_ISSUES)
    )
    partner_types = SelectMultipleField(
        _l("Partners"), choices=vocabulary_choices(vocab.PARTNER_TYPES)
    )
    sdg_targets = StringField(_l("SDG targets"))
    # Suggested targets the school ticked (app/search/suggestions.py); added to sdg_targets.
    suggested_sdg_targets = SelectMultipleField(
        _l("Suggested SDG targets"),
        choices=choices({code: _target(code) for code in vocab.SDG_TARGETS}),
    )
    year = StringField(_l("Year the practice started"))
    source_url = StringField(_l("Web page about the practice"))
    license = SelectField(_l("Licence"), default="")
    external_id = HiddenField(validators=[Regexp(r"^(px-[0-9a-f]{32})?$")])
    # The button pressed: "save" (a draft), "preview" (nothing saved), "submit" (for review)
    # or "suggest" (tags).
    intent = HiddenField(default="save")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Names depend on the interface language, so these lists are made per request.
        ui = str(get_locale() or "en")
        self.language.choices = choices({"": _("Choose a language"), **language_choices(ui)})
        licences = {s: s for s in SPDX_CONTENT_LICENSES}
        self.license.choices = choices({"": _("Not stated"), **licences})

    @property
    def wants_preview(self) -> bool:
        """True when the school pressed "Preview": show the content, save nothing."""
        return self.intent.data == "preview"

    @property
    def wants_review(self) -> bool:
        """True when the school pressed "Submit for review" rather than "Save draft"."""
        return self.intent.data == "submit"

    @property
    def wants_suggestions(self) -> bool:
        """True when the school pressed "Suggest tags": show the form again, save nothing."""
        return self.intent.data == "suggest"

    def practice_input(self) -> dict[str, Any]:
        """Return the record practices.validate_practice expects (no csrf_token, no extras)."""
        return {
            "external_id": self.external_id.data or None,
            "title": self.title.data,
            "summary": self.summary.data,
            "body": self.body.data,
            "language": self.language.data,
            "themes": self.themes.data,
            "pillars": self.pillars.data,
            "levels": self.levels.data,
            "sdg_targets": _merged(split_codes(self.sdg_targets.data),
                                   self.suggested_sdg_targets.data or []),
            "emerging_issues": self.emerging_issues.data,
            "partner_types": self.partner_types.data,
            "year": self.year.data,
            "source_url": self.source_url.data,
            "license": self.license.data,
        }

    @staticmethod
    def data_of(revision) -> dict[str, Any]:
        """Return form data showing a stored revision's content (to edit it)."""
        tags = revision.tags or {}
        return {
            "title": revision.title, "summary": revision.summary, "body": revision.body,
            "language": revision.language, "themes": tags.get("themes", []),
            "pillars": tags.get("pillars", []), "levels": tags.get("levels", []),
            "emerging_issues": tags.get("emerging_issues", []),
            "partner_types": tags.get("partner_types", []),
            "sdg_targets": ", ".join(tags.get("sdg_targets", [])),
            "year": revision.start_year or "", "source_url": revision.source_url or "",
            "license": revision.license or "",
        }  # fmt: skip

    def add_domain_errors(self, errors: dict[str, str]) -> None:
        """Attach {domain field: message} to the matching form fields (or to the whole form),
        in the interface language."""
        for key, message in errors.items():
            field = self._fields.get(key) if key else None
            if field is None or key == "external_id":
                self.form_errors.append(translate(message))
            elif not field.errors:  # the form's own message, if any, says it already
                field.errors = [domain_message(field, message)]


# What to do about a missing required field, said in the words of the form.
_MISSING = {
    "title": _l("Enter a title."),
    "body": _l("Describe the practice."),
    "language": _l("Choose the language the practice is written in."),
    "themes": _l("Choose at least one thematic area."),
}


def domain_message(field, message: str) -> str:
    """Return a domain message about `field` as a sentence naming it ("Title is 400 ..."),
    in the interface language."""
    label = str(field.label.text)
    if message == REQUIRED:
        return str(_MISSING.get(field.name) or _("%(label)s is required.", label=label))
    if message.startswith("is "):  # the domain's English continues the field's name
        return _("%(label)s %(problem)s", label=label, problem=translate(message))
    return _("%(label)s: %(problem)s", label=label, problem=translate(message))


def _merged(codes: list[str], more: list[str]) -> list[str]:
    return codes + [code for code in more if code not in codes]


def practice_errors(errors: dict[str, str]) -> dict[str, str]:
    """Return a domain ValidationError's {field: message} about a practice as sentences
    naming each field as the practice form does ("Describe the practice."), in the
    interface language; keys that are not form fields keep the domain's message."""
    form = PracticeForm(formdata=None, meta={"csrf": False})
    return {key: domain_message(form[key], message) if key in form._fields and key
            else translate(message) for key, message in errors.items()}


def split_codes(text: str | None) -> list[str]:
    """Split "4.7, 13.3; 12.5" (commas, semicolons or spaces) into codes."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


class AttachForm(FlaskForm):
    """One file to attach to the revision under work (checked by practices.attachments)."""

    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to attach."))])


class RemoveForm(FlaskForm):
    """Take one file off the revision under work (the CSRF token only)."""
