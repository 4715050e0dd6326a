"""Schools write practices: a new one (a draft of the editor's own school) and edits of theirs.

Both pages offer "Save draft" (only a title needed), "Preview" (the content as its public page
would show it, nothing saved) and "Submit for review" (everything a submitted practice needs,
each missing field named). An edit of a published practice goes
into a new revision, reviewed like a first submission while the published version stays
online (practices.edit_practice).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.exc import IntegrityError

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.labels.translate import describe
from app.search import get_writer
from app.search.copies import copies_shown
from app.search.suggestions import suggest_tags
from app.workspace.forms import PracticeForm
from practices import PracticeData, render_markdown, require, validate_draft, validate_practice
from practices.errors import Conflict, ValidationError
from practices.models import new_external_id
from practices.search_text import search_text, text_once_saved
from practices.services import (
    create_draft,
    edit_practice,
    find_own_practice,
    transition,
    view_practice,
)
from practices.tag_reference import has_words
from practices.validation import require_substance
from practices.visibility import is_editable
from practices.workflow import EDITABLE_STATUSES

bp = Blueprint("submit", __name__)


@bp.route("/submit", methods=["GET", "POST"])
@permission_required("create")
def new_practice():
    """Show the form; on a valid POST save a draft of the editor's school (and submit it)."""
    form = PracticeForm()
    if not form.is_submitted():
        form.external_id.data = new_external_id()
        return render_template("submit/form.html", form=form, practice=None)
    if form.wants_suggestions:
        return _suggest(form, None)
    return _save(form, None)


@bp.route("/my/practices/<int:practice_id>/edit", methods=["GET", "POST"])
@login_required
def edit_practice_page(practice_id: int):
    """Show the practice's content to edit; on a valid POST save it (and submit it)."""
    actor = current_actor()
    practice = view_practice(get_session(), practice_id, actor=actor)
    require(actor, "edit", practice)
    revision = practice.pending_revision or practice.current_revision
    if not PracticeForm().is_submitted():
        if not is_editable(practice):
            flash(_("This practice cannot be edited now: it is under review or closed."), "error")
            return redirect(url_for("workspace.practice", practice_id=practice_id))
        form = PracticeForm(data=PracticeForm.data_of(revision))
        return render_template("submit/form.html", form=form, practice=practice)
    form = PracticeForm()
    if form.wants_suggestions:
        return _suggest(form, practice)
    return _save(form, practice)


def _suggest(form: PracticeForm, practice):
    """Show the posted form again with suggested tags (unticked); nothing is saved.

    The suggestions come from the title, summary and description; with none of them written
    there is nothing to suggest from, which the page says (422)."""
    # The CSRF token was checked before the view (app/site.py); the form is not validated:
    # suggesting is not saving, and an unfinished draft is no error yet.
    page = "submit/form.html"
    if not has_words(form.title.data, form.summary.data, form.body.data):
        form.form_errors.append(_(
            "Nothing to suggest from yet: write a title or a description first, "
            "then press “Suggest tags”."))
        return render_template(page, form=form, practice=practice), 422
    suggestions = suggest_tags(form.title.data, form.summary.data, form.body.data)
    return render_template(page, form=form, practice=practice, suggestions=suggestions)


def _save(form: PracticeForm, practice):
    data = _checked(form)
    page = "submit/form.html"
    if data is None:
        return render_template(page, form=form, practice=practice), 422
    if form.wants_preview:
        # Nothing is written: the page shows the content as its public page would, above
        # the form, which keeps everything the school entered.
        preview = Preview(data, render_markdown(data.body))
        copies = copies_shown(get_session(), current_actor(), search_text(data),
                              own_id=practice.id if practice is not None else None)
        return render_template(page, form=form, practice=practice, preview=preview,
                               copies=copies)
    session, actor = get_session(), current_actor()
    # Encode the text first, before anything is written: with the real model a long practice
    # takes seconds, and meanwhile the database stays free for everyone else.
    text = text_once_saved(practice, data)
    get_writer().prepare(session, [text] if text is not None else [])
    try:
        saved = _write(session, data, practice, actor, submit=form.wants_review)
        # Read before the commit: once it is done, nothing may fail and report it as not.
        message, practice_id = _saved_message(saved, form.wants_review), saved.id
        session.commit()
    except (Conflict, IntegrityError) as exc:
        session.rollback()
        if practice is None and (saved := find_own_practice(
                session, form.external_id.data or "", actor=actor)) is not None:
            # The same new-practice form sent twice: the first one saved it.
            flash(_conflict_message(exc, None), "info")
            return redirect(url_for("workspace.practice", practice_id=saved.id), 303)
        form.form_errors.append(_conflict_message(exc, practice))
        return render_template(page, form=form, practice=practice), 409
    flash(message, "success")
    return redirect(url_for("workspace.practice", practice_id=practice_id), 303)


@dataclass(frozen=True)
class Preview:
    """Content shown by the form's "Preview" button: validated data and its rendered body
    (sanitised HTML, practices.rendering)."""

    data: PracticeData
    body_html: str


def _checked(form: PracticeForm):
    # Both checks run so that every problem is shown at once, not one round at a time.
    # A draft needs only its title; submitting needs everything (practices.validation).
    form_ok = form.validate()
    check = validate_practice if form.wants_review else validate_draft
    try:
        data = check(form.practice_input())
        if form.wants_review:  # the submit transition refuses it too; say it beside the body
            require_substance(data)
    except ValidationError as exc:
        form.add_domain_errors(exc.errors)
        return None
    return data if form_ok else None


def _write(session, data, practice, actor, *, submit: bool):
    if practice is None:
        practice = create_draft(session, data, actor=actor)
        revision = practice.current_revision
    else:
        revision = edit_practice(session, practice.id, data, actor=actor)
    if submit and revision.status in EDITABLE_STATUSES:
        transition(session, practice.id, "submit", actor=actor, expected_status=revision.status)
    return practice


def _saved_message(practice, submitted: bool) -> str:
    if submitted and practice.review_status == "submitted":
        return _("“%(title)s” was submitted for review.", title=_title(practice))
    return _("“%(title)s” was saved.", title=_title(practice))


def _title(practice) -> str:
    pending = practice.pending_revision
    return pending.title if pending is not None else practice.title


def _conflict_message(exc: Exception, practice) -> str:
    if practice is None:
        return _(
            "This practice was already saved: the form was sent twice. "
            "You find it under “My practices”."
        )
    reason = describe(exc) if isinstance(exc, Conflict) else str(exc)
    return _("Nothing was saved: %(reason)s.", reason=reason.rstrip("."))

