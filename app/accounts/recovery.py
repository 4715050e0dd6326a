"""Recovering an account without an administrator: password reset by e-mail, and confirming
an address (/auth/forgot, /auth/reset/<token>, /auth/confirm/<token>).

The forgot-password form answers with the same page whatever the address (an account or
not), after the same work (one look-up; the message is sent later, in the background), so it
never tells whether an address has an account. The reset link is signed, expires after
MAIL_RESET_HOURS and works once: it carries a fingerprint of the password hash it was made
for (app/mail/tokens.py, practices.services.reset_password).
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired

from app.accounts.forms import show_domain_errors
from app.db import get_session
from app.labels.translate import translate
from app.mail import tokens
from practices.errors import Conflict, ValidationError
from practices.services import confirm_email, request_password_reset, reset_password

bp = Blueprint("recovery", __name__, url_prefix="/auth")


class ForgotForm(FlaskForm):
    """The address of the account whose password is forgotten."""

    email = EmailField(_l("E-mail address"),
                       validators=[InputRequired(_l("Enter your e-mail address."))])


class ConfirmForm(FlaskForm):
    """Nothing but the CSRF token: the button that confirms an address."""


class ResetForm(FlaskForm):
    """The new password, twice."""

    new_password = PasswordField(_l("New password"),
                                 validators=[InputRequired(_l("Enter a new password."))])
    confirm = PasswordField(_l("New password again"),
                            validators=[InputRequired(_l("Enter the new password again."))])

    def validate_confirm(self, field) -> None:
        """Refuse two different new passwords (a typo would lock the person out)."""
        if field.data != self.new_password.data:
            field.errors.append(_l("The two new passwords differ."))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link; the answer is the same whether the address has an account."""
    form = ForgotForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/forgot.html", form=form), status
    request_password_reset(get_session(), form.email.data, language=str(get_locale() or "en"),
                           hours=current_app.config["MAIL_RESET_HOURS"])
    get_session().commit()
    return render_template("auth/forgot_sent.html", email=form.email.data)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password with a valid reset link; then sign in with it."""
    found = tokens.read_reset(token)
    if found is None:
        return _bad_link(_("This link has expired or is not valid. Ask for a new one."))
    form = ResetForm()
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form, token=token), (
            422 if form.is_submitted() else 200)
    try:
        reset_password(get_session(), found[0], found[1], form.new_password.data)
    except Conflict as exc:
        return _bad_link(translate(exc.message))
    except ValidationError as exc:
        show_domain_errors(form, exc.errors)
        return render_template("auth/reset.html", form=form, token=token), 422
    get_session().commit()
    flash(_("Your password is changed. Sign in with it."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Confirm an e-mail address by the link sent to it: GET shows a button (a mail
    program's link preview must not confirm anything), POST confirms."""
    found = tokens.read_confirm(token)
    if found is None:
        return _bad_link(_("This link has expired or is not valid. Ask for a new one."))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/confirm.html", form=form, token=token, email=found[1])
    try:
        user = confirm_email(get_session(), *found)
    except Conflict as exc:
        return _bad_link(translate(exc.message))
    get_session().commit()
    return render_template("auth/confirmed.html", email=user.email)


def _bad_link(message: str):
    return render_template("auth/bad_link.html", message=message,
                           forgot=url_for(".forgot")), 400
