"""Forms of the account and administration pages (Flask-WTF: every POST carries a CSRF token).

The forms check only what the page needs (something typed, a choice from the list); the
rules about accounts are the domain's, whose messages show_domain_errors places next to the
field they concern. The form fields are named like the domain's fields for that reason.
"""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from app.labels.choices import choices, country_choices, vocabulary_choices
from app.labels.translate import translate
from practices.roles import MEMBERSHIP_LABELS, ROLE_LABELS


def show_domain_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Attach the domain's {field: message} to the form's fields (others to the whole form)."""
    for key, message in errors.items():
        field = form._fields.get(key) if key else None
        if field is None:
            form.form_errors.append(translate(message))
        else:
            field.errors = [*field.errors, _("%(label)s: %(problem)s", label=field.label.text,
                                            problem=translate(message))]


def form_status(form: FlaskForm) -> int:
    """Return 422 for a form sent back with problems, else 200."""
    return 422 if form.is_submitted() and form.errors else 200


def _countries() -> list:
    return [SelectChoice("", _l("(none)")), *choices(country_choices(str(get_locale() or "en")))]


class ProfileForm(FlaskForm):
    """A person's own name and e-mail address."""

    name = StringField(_l("Name"), validators=[Length(max=200)])
    email = EmailField(
        _l("E-mail address"), validators=[InputRequired(_l("Enter your e-mail address."))]
    )


class PasswordForm(FlaskForm):
    """Change one's own password: the current one, and the new one twice."""

    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
    new_password = PasswordField(
        _l("New password"), validators=[InputRequired(_l("Enter a new password."))]
    )
    confirm = PasswordField(
        _l("New password again"), validators=[InputRequired(_l("Enter the new password again."))]
    )

    def validate_confirm(self, field) -> None:
        """Refuse two different new passwords (a typo would lock the person out)."""
        if field.data != self.new_password.data:
            field.errors.append(_l("The two new passwords differ."))


class TokenForm(FlaskForm):
    """Name a new API token after what will use it."""

    name = StringField(
        _l("What will use the token?"),
        validators=[InputRequired(_l("Name the token, e.g. after the script that uses it.")),
                    Length(max=100)],
    )


class UserFilterForm(FlaskForm):
    """Filters of the users list (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    role = SelectField(
        _l("Role"), choices=[SelectChoice("", _l("Any role")), *vocabulary_choices(ROLE_LABELS)],
        default="",
    )
    q = StringField(_l("Address or name contains"))


class ScopeForm(FlaskForm):
    """A role and the scope it acts in: an institution, a country, or neither."""

    role = SelectField(_l("Role"), choices=vocabulary_choices(ROLE_LABELS))
    institution_id = IntegerField(
        _l("Institution number"), validators=[Optional(), NumberRange(min=1)]
    )
    country = SelectField(_l("Country"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = _countries()


class NewUserForm(ScopeForm):
    """A new account: its address, name, role and scope (the password is generated)."""

    email = EmailField(
        _l("E-mail address"), validators=[InputRequired(_l("Enter an e-mail address."))]
    )
    name = StringField(_l("Name"), validators=[Length(max=200)])


class ActiveForm(FlaskForm):
    """Activate ("1") or deactivate ("0") an account."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


class ConfirmForm(FlaskForm):
    """A button with nothing to fill in but its CSRF token (reset a password, revoke a token)."""


class InstitutionFilterForm(FlaskForm):
    """Filters of the institutions list (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Country"), default="")
    membership = SelectField(
        _l("Membership"),
        choices=[SelectChoice("", _l("Any status")), *vocabulary_choices(MEMBERSHIP_LABELS)],
        default="",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", _l("Any country")), *_countries()[1:]]


class MembershipForm(FlaskForm):
    """Change an institution's membership status, with a note for the audit log."""

    membership = SelectField(_l("Membership"), choices=vocabulary_choices(MEMBERSHIP_LABELS))
    note = TextAreaField(_l("Note (why)"), validators=[Length(max=5000)])

