"""Forms of joining the network: a school's application, the decisions on it, and the page
where coordinators and the Unit add an institution. Rules are the domain's
(practices.services.applications, practices.validation); the forms only carry the fields."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length

from app.labels.choices import choices, country_choices, vocabulary_choices
from practices import vocab


class _Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _countries() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a country")),
            *choices(country_choices(str(get_locale() or "en")))]


class InstitutionForm(FlaskForm):
    """An institution: name, country, city, levels taught, public/private, urban/rural."""

    name = StringField(_l("Name of the school"), validators=[Length(max=300)])
    country = SelectField(_l("Country"), default="")
    city = StringField(_l("City or town"), validators=[Length(max=200)])
    levels = _Checkboxes(_l("Education levels taught"), choices=vocabulary_choices(vocab.LEVELS))
    sector = SelectField(_l("Public or private"), default="", choices=[
        SelectChoice("", _l("Not said")), *vocabulary_choices(vocab.INSTITUTION_SECTORS)])
    locality = SelectField(_l("Urban or rural"), default="", choices=[
        SelectChoice("", _l("Not said")), *vocabulary_choices(vocab.INSTITUTION_LOCALITIES)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = _countries()

    def institution(self) -> dict:
        """Return the fields as practices.validation.validate_institution reads them."""
        return {"name": self.name.data or "", "country": self.country.data or "",
                "city": self.city.data or "", "levels": list(self.levels.data or []),
                "sector": self.sector.data or "", "locality": self.locality.data or ""}


class JoinForm(InstitutionForm):
    """A school's application: the institution, its first editor, a few words about it."""

    editor_name = StringField(_l("Your name"), validators=[Length(max=200)])
    editor_email = EmailField(_l("Your e-mail address"), validators=[Length(max=254)])
    motivation = TextAreaField(_l("Why your school wants to join (optional)"),
                               validators=[Length(max=4000)])


class RecommendForm(FlaskForm):
    """The National Coordinator's recommendation."""

    note = TextAreaField(_l("Why you recommend this school"),
                         validators=[InputRequired(_l("Say why you recommend this school."))])


class CertifyForm(FlaskForm):
    """The Unit's certification (a button and its confirmation)."""

    confirm = BooleanField(_l("I have checked this school and certify it as a member"),
                           validators=[InputRequired(_l("Tick the box to confirm."))])


class DeclineForm(FlaskForm):
    """Declining an application: the reason is sent to the school."""

    reason = TextAreaField(_l("Why (the school is told)"),
                           validators=[InputRequired(_l("Say why the application is declined."))])
    confirm = BooleanField(_l("Decline this application; this cannot be undone"),
                           validators=[InputRequired(_l("Tick the box to confirm."))])
