"""The curators' forms: the promotion dossier (rubric scores, evidence rows) and the policy note.

The forms carry what was typed; every rule (scores, minimums, evidence, countries) is
practices.validate_dossier's and validate_policy_note's, whose messages are placed next to the
field they concern. Evidence rows work without JavaScript: three blank rows, and a button that
shows the form again with one more.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)

from app.labels.choices import choices, country_choices, vocabulary_choices
from app.labels.translate import lazy, translated_errors
from practices.rubric import EVIDENCE_KINDS, MAX_SCORE, SCORE_LABELS, Rubric

BLANK_EVIDENCE_ROWS = 3
_EVIDENCE_FIELDS = ("type", "title", "source", "date", "url")


class EvidenceRow(Form):
    """One evidence item; a row left entirely blank is ignored."""

    type = SelectField(_l("Type"), default="", validate_choice=False)
    title = StringField(_l("Title"))
    source = StringField(_l("Source"))
    date = StringField(_l("Date"))
    url = StringField(_l("Web address"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = [SelectChoice("", _l("Choose a type")),
                             *vocabulary_choices(EVIDENCE_KINDS)]

    @property
    def is_blank(self) -> bool:
        """True when nothing was typed in the row."""
        return not any((getattr(self, n).data or "").strip() for n in _EVIDENCE_FIELDS)

    def record(self) -> dict[str, str]:
        """Return the row as practices.validate_dossier reads an evidence item."""
        return {n: (getattr(self, n).data or "").strip() for n in _EVIDENCE_FIELDS}


class PromoteForm(FlaskForm):
    """The dossier of a promotion; the score fields (score_<criterion>) are added per rubric
    version by promote_form_class."""

    rubric_version = HiddenField()
    summary = TextAreaField(_l("Assessment"))
    evidence = FieldList(FormField(EvidenceRow), min_entries=BLANK_EVIDENCE_ROWS)
    add_row = SubmitField(_l("Add another evidence row"))
    note = TextAreaField(_l("Note to the school"))
    expected_status = HiddenField()
    rubric: Rubric  # set on the subclass

    def score_field(self, code: str):
        """Return the field scoring criterion `code`."""
        return self[f"score_{code}"]

    def dossier(self) -> dict[str, Any]:
        """Return the dossier practices.promote expects (blank evidence rows left out)."""
        return {
            "rubric_version": self.rubric.version,
            "scores": {c.code: self.score_field(c.code).data for c in self.rubric.criteria},
            "summary": self.summary.data or "",
            "evidence": [row.record() for row in self._filled_rows()],
        }

    def add_domain_errors(self, errors: dict[str, str]) -> list[str]:
        """Put {domain field: message} next to the fields; return the messages of the form
        as a whole (the rubric total, an unknown version)."""
        rows = self._filled_rows()
        general = []
        for key, message in translated_errors(errors).items():
            field = self._field_of(key, rows)
            if field is None:
                general.append(message)
            else:
                field.errors = [*field.errors, message]
        return general

    def _filled_rows(self) -> list[EvidenceRow]:
        return [entry.form for entry in self.evidence.entries if not entry.form.is_blank]

    def _field_of(self, key: str, rows: list[EvidenceRow]):
        name, _, rest = key.partition(".")
        if name == "scores" and rest:
            return self._fields.get(f"score_{rest}")
        if name == "evidence" and rest:
            number, _, part = rest.partition(".")
            row = rows[int(number) - 1] if number.isdecimal() and int(number) <= len(rows) else None
            return getattr(row, part, None) if row is not None and part else self.evidence
        if name in ("summary", "note", "evidence"):
            return self._fields[name]
        return None


@lru_cache(maxsize=8)
def promote_form_class(rubric: Rubric) -> type[PromoteForm]:
    """Return the PromoteForm of a rubric version: one 0-3 (or not applicable) choice per
    criterion, checked by the domain, not by the form (validate_choice=False)."""
    fields: dict[str, Any] = {"rubric": rubric}
    for criterion in rubric.criteria:
        # Lazy labels: the class is made once, its words are read in each request's language.
        options = [
            SelectChoice(str(n), _l("%(score)d – %(label)s", score=n,
                                    label=lazy(SCORE_LABELS[n])))
            for n in range(MAX_SCORE + 1)
        ]
        if criterion.may_be_not_applicable:
            options.append(SelectChoice("na", _l("not applicable")))
        fields[f"score_{criterion.code}"] = RadioField(
            lazy(criterion.name), choices=options, validate_choice=False
        )
    return type(f"PromoteForm_{rubric.version}", (PromoteForm,), fields)


class FlagForm(FlaskForm):
    """The policy note of a practice flagged for policy dissemination."""

    audience = StringField(_l("Audience"))
    key_message = TextAreaField(_l("Key message"))
    countries = SelectMultipleField(_l("Countries"), validate_choice=False)
    note = TextAreaField(_l("Note to the school"))
    expected_status = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.countries.choices = choices(country_choices(str(get_locale() or "en")))

    def policy_note(self) -> dict[str, Any]:
        """Return the policy note practices.flag_for_policy expects."""
        return {
            "audience": self.audience.data or "",
            "key_message": self.key_message.data or "",
            "countries": list(dict.fromkeys(self.countries.data or [])),  # ticked in both groups
        }

    def add_domain_errors(self, errors: dict[str, str]) -> list[str]:
        """Put {domain field: message} next to the fields; return the others."""
        general = []
        for key, message in translated_errors(errors).items():
            field = self._fields.get(key)
            if field is None:
                general.append(message)
            else:
                field.errors = [*field.errors, message]
        return general
