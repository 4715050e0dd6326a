"""Pages about e-mail: one-click unsubscribe (no sign-in), a person's e-mail preferences,
and the administrators' outbox."""
from __future__ import annotations

import os

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.labels.choices import country_choices
from app.labels.translate import describe, translate
from app.mail import tokens
from app.mail.folder import outbox_dir
from app.site import exempt_from_csrf
from practices import vocab
from practices.errors import ValidationError
from practices.notifications import KINDS, Audience
from practices.roles import Role
from practices.services import (
    is_confirmed,
    recent_outbox,
    request_confirmation,
    settings_of,
    update_mail_settings,
)
from practices.services import (
    unsubscribe as turn_off,
)

bp = Blueprint("mail", __name__)

# Which kinds a role may receive, so its preferences page offers those only.
_AUDIENCES = {
    Role.SCHOOL_EDITOR: {Audience.SCHOOL},
    Role.NATIONAL_COORDINATOR: {Audience.COORDINATOR},
    Role.CURATOR: {Audience.WATCHING_CURATOR},
}


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token (the fields are read from request.form)."""


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """Turn one kind of message off for the person the link was made for.

    GET shows a button (link checkers and previews must not unsubscribe anyone); POST turns
    it off, whether from that button or from a mail program's one-click unsubscribe
    (RFC 8058: POST with "List-Unsubscribe=One-Click", no cookie, no CSRF token: the signed
    token is the proof).
    """
    found = tokens.read_unsubscribe(token)
    if found is None or found[1] not in KINDS:
        return render_template("mail/unsubscribe.html", kind=None), 400
    user_id, kind = found
    if request.method == "POST":
        turn_off(get_session(), user_id, kind)
        get_session().commit()
        return render_template("mail/unsubscribe.html", kind=KINDS[kind], done=True)
    return render_template("mail/unsubscribe.html", kind=KINDS[kind], done=False, token=token)


exempt_from_csrf("mail.unsubscribe")


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def preferences():
    """Show and save what the signed-in person receives by e-mail."""
    user = current_actor()
    session = get_session()
    form = PostForm()
    kinds = [k for k in KINDS.values() if k.optional and k.listed
             and k.audience in _AUDIENCES.get(Role(user.role), set())]
    if form.validate_on_submit():
        wanted = set(request.form.getlist("kinds"))
        try:
            update_mail_settings(
                session, user, actor=user, muted=[k.name for k in kinds if k.name not in wanted],
                daily_digest=request.form.get("daily_digest") == "1",
                watch_themes=request.form.getlist("watch_themes"),
                watch_countries=request.form.getlist("watch_countries"),
            )  # fmt: skip
        except ValidationError as exc:
            flash(describe(exc), "error")
            return redirect(url_for(".preferences"))
        session.commit()
        flash(_("Your e-mail settings are saved."), "success")
        return redirect(url_for(".preferences"))
    return render_template(
        "mail/preferences.html", form=form, user=user, kinds=kinds,
        settings=settings_of(session, user.id), confirmed=is_confirmed(session, user),
        themes={code: translate(label) for code, label in vocab.THEMES.items()},
        countries=country_choices(str(get_locale() or "en")),
    )  # fmt: skip


@bp.post("/account/email/confirm")
@login_required
def send_confirmation():
    """Send a link that confirms the signed-in person's address."""
    if PostForm().validate_on_submit():
        user = current_actor()
        request_confirmation(get_session(), user, language=str(get_locale() or "en"),
                             hours=_hours("MAIL_CONFIRM_HOURS"))
        get_session().commit()
        flash(_("A confirmation link is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for(".preferences"))


@bp.get("/admin/outbox")
@permission_required("manage_users")
def outbox():
    """List the latest messages of the outbox (sent, waiting, failed) and the .eml files."""
    rows = recent_outbox(get_session(), actor=current_actor())
    folder = outbox_dir()
    files = sorted((n for n in os.listdir(folder) if n.endswith(".eml")), reverse=True)[:200]
    return render_template("mail/outbox.html", rows=rows, files=files, folder=folder)


@bp.get("/admin/outbox/<name>")
@permission_required("manage_users")
def outbox_file(name: str):
    """Show one .eml file of the outbox folder as text."""
    folder = outbox_dir()
    if name not in os.listdir(folder) or not name.endswith(".eml"):
        abort(404)
    with open(os.path.join(folder, name), "rb") as eml:
        text = eml.read().decode("utf-8", "replace")
    return text, 200, {"Content-Type": "text/plain; charset=utf-8",
                       "X-Content-Type-Options": "nosniff"}


def _hours(key: str) -> int:
    from flask import current_app

    return int(current_app.config[key])
