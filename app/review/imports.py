"""Importing a file of practices from the browser: curators (any country) and National
Coordinators (their own country only) upload a JSON Lines or CSV file; the import runs as a
background job (app/jobs, "practices.import": checked, encoded, written all or nothing) and
a status page shows its progress, refreshing itself (no JavaScript needed), then its counts
or every bad line with its number."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from app.accounts.auth import current_actor, permission_required
from app.bounds import body_limit
from app.jobs import enqueue, get_job
from app.labels.translate import lazy, translate
from practices.errors import ValidationError
from practices.records import detect_format

bp = Blueprint("imports", __name__, url_prefix="/imports")

_JOB_ID = re.compile(r"[0-9a-f-]{1,64}")
REFRESH_SECONDS = 2  # how often the status page of a running import reloads itself


class ImportForm(FlaskForm):
    """The upload: one file and whether to publish what it holds."""

    file = FileField(lazy("File"), validators=[FileRequired(lazy("Choose a file to import."))])
    publish = BooleanField(lazy("Publish the practices at once (otherwise they wait for "
                                "review)"))


@bp.route("", methods=["GET", "POST"])
@body_limit("IMPORT_MAX_BYTES")
@permission_required("import")
def upload():
    """Show the upload form; on a valid post, queue the import and go to its status page.
    The body may be up to IMPORT_MAX_BYTES (JSON Lines records carry their files)."""
    limit = current_app.config["IMPORT_MAX_BYTES"]
    form = ImportForm()
    if form.validate_on_submit():
        storage = form.file.data
        filename = storage.filename or ""
        try:
            fmt = detect_format(filename)
        except ValidationError:
            form.file.errors.append(translate("Name the file .jsonl or .csv."))
        else:
            actor = current_actor()
            with storage.stream:  # a large upload is spooled to a temporary file: close it
                content = storage.read()
            info = enqueue("practices.import", owner_id=actor.id, fmt=fmt,
                           publish=bool(form.publish.data), content=content,
                           actor_id=actor.id, source=filename, keyed_lines=True)
            return redirect(url_for("imports.status", job_id=info.id), code=303)
    status = 422 if form.errors else 200
    return render_template("imports/upload.html", form=form, limit=limit), status


@bp.get("/<job_id>")
@permission_required("import")
def status(job_id: str):
    """Show how far the import is: waiting, encoding or writing N of M records; then what it
    created, or every refused line. Only its uploader sees it."""
    if not _JOB_ID.fullmatch(job_id):
        abort(404)
    info = get_job(job_id)
    if info is None or info.name != "practices.import" or info.owner_id != current_actor().id:
        abort(404)
    return render_template("imports/status.html", job=info, refresh=REFRESH_SECONDS)
