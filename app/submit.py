"""Schools share a practice: the submission form and its confirmation page."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.db import get_session
from app.forms import PracticeForm
from practices import Status, create_practice, validate_practice
from practices.errors import ValidationError

bp = Blueprint("submit", __name__, url_prefix="/submit")


@bp.route("", methods=["GET", "POST"])
def new_practice():
    """Show the form; on a valid POST store the practice as submitted for review."""
    form = PracticeForm()
    if not form.is_submitted():
        return render_template("submit/form.html", form=form)
    practice = _store(form)
    if practice is None:
        return render_template("submit/form.html", form=form), 422
    get_session().commit()
    flash(_("Thank you. “%(title)s” was submitted for review.", title=practice.title), "success")
    return redirect(url_for(".submitted"))


@bp.get("/submitted")
def submitted():
    """Say what happens to a practice after it was sent."""
    return render_template("submit/submitted.html")


def _store(form: PracticeForm):
    # Both checks run so that every problem is shown at once, not one round at a time.
    form_ok = form.validate()
    try:
        data = validate_practice(form.practice_input())
    except ValidationError as exc:
        form.add_domain_errors(exc.errors)
        return None
    if not form_ok:
        return None
    return create_practice(get_session(), data, status=Status.SUBMITTED)
