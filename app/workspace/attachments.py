"""Files on a practice: the school attaches and removes them on its practice's page; anyone
who may see a revision downloads its files (app/public/files.py serves them)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.accounts.auth import current_actor
from app.bounds import body_limit
from app.db import get_session
from app.labels.translate import translate, translated_errors
from app.review.actions import Problem
from app.storage import blob_store
from app.workspace.forms import AttachForm, RemoveForm
from app.workspace.pages import render_page
from practices.errors import Conflict, ValidationError
from practices.services.attachments import attach_file, remove_file

bp = Blueprint("attachments", __name__, url_prefix="/my/practices/<int:practice_id>/files")

# A multipart body carries the file plus the form's fields and boundaries.
_MULTIPART_OVERHEAD = 64 * 1024


@bp.post("")
@body_limit("ATTACHMENT_MAX_BYTES", _MULTIPART_OVERHEAD)
@login_required
def attach(practice_id: int):
    """Attach the posted file to the revision the school is working on."""
    form = AttachForm()
    if not form.validate_on_submit():
        fields = {name: translate(errors[0]) for name, errors in form.errors.items()}
        return render_page(practice_id, Problem("attach", _l("No file was attached."), fields)), 422
    upload = form.file.data
    with upload.stream:  # a large upload is spooled to a temporary file: close it
        data = upload.read()
    session = get_session()
    try:
        attachment = attach_file(
            session, practice_id, upload.filename or "", data, blob_store(),
            actor=current_actor(), max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
        )  # fmt: skip
    except (ValidationError, Conflict) as exc:
        session.rollback()
        fields = translated_errors(getattr(exc, "errors", {"file": exc.message}))
        return render_page(practice_id, Problem("attach", _l("No file was attached."), fields)), (
            422 if isinstance(exc, ValidationError) else 409)
    session.commit()
    flash(_l("%(name)s is attached.", name=attachment.name), "success")
    return redirect(url_for("workspace.practice", practice_id=practice_id) + "#files", 303)


@bp.post("/<int:attachment_id>/remove")
@login_required
def remove(practice_id: int, attachment_id: int):
    """Take a file off the revision the school is working on."""
    if not RemoveForm().validate_on_submit():
        return render_page(practice_id, Problem("detach", _l("Nothing was changed."), {})), 422
    session = get_session()
    try:
        name = remove_file(session, practice_id, attachment_id, actor=current_actor())
    except Conflict as exc:
        session.rollback()
        fields = {"file": translate(exc.message)}
        return render_page(practice_id, Problem("detach", _l("Nothing was changed."), fields)), 409
    session.commit()
    flash(_l("%(name)s was removed from this revision.", name=name), "success")
    return redirect(url_for("workspace.practice", practice_id=practice_id) + "#files", 303)
