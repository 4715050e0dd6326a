"""Uptake on the pages: the school's form saying which practice its practice adapts, and what
a public practice's page shows about it (adapted from, taken up by)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField

from app.accounts.auth import current_actor
from app.db import get_session
from app.labels.translate import describe
from practices.errors import ValidationError
from practices.harvest import public_versions
from practices.monitoring.uptake import (
    adaptation_of,
    adapted_from,
    declare_adaptation,
    parse_reference,
    uptake_of,
)

bp = Blueprint("uptake", __name__, url_prefix="/my")


class AdaptationForm(FlaskForm):
    """The practice this one adapts: its number or the address of its page; empty: none."""

    original = StringField(_l("Number or address of the practice you adapted"))
    save = SubmitField(_l("Save"))


@bp.route("/practices/<int:practice_id>/adapted-from", methods=["GET", "POST"])
@login_required
def adapted(practice_id):
    """Show and save which other school's practice the school's practice adapts."""
    session = get_session()
    practice, original = adaptation_of(session, practice_id, actor=current_actor())
    form = AdaptationForm(data={"original": str(original.id) if original else ""})
    if form.validate_on_submit():
        try:
            text = (form.original.data or "").strip()
            declare_adaptation(session, practice_id, parse_reference(text) if text else None,
                               actor=current_actor())
        except ValidationError as exc:
            session.rollback()
            flash(describe(exc), "error")
            return render_template("monitoring/adapted_from.html", practice=practice,
                                   original=original, form=form), 422
        session.commit()
        flash(gettext("Saved."), "success")
        return redirect(url_for("workspace.practice", practice_id=practice_id))
    return render_template("monitoring/adapted_from.html", practice=practice,
                           original=original, form=form)


def practice_uptake(session, practice_id: int) -> dict:
    """Return what a public practice's page shows about uptake and its record:
    {"adapted_from": Practice or None, "uptake": practices.monitoring.uptake.Uptake,
    "versions": [(revision number, date published)] (practices.harvest.public_versions)}."""
    return {"adapted_from": adapted_from(session, practice_id),
            "uptake": uptake_of(session, practice_id),
            "versions": public_versions(session, practice_id)}
