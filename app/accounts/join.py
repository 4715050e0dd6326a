"""Joining the network (/join) and deciding on applications (/applications): a school applies
on a public form; its country's National Coordinator recommends or declines it; the ASPnet
Unit certifies or declines it. Coordinators and the Unit also add institutions from a page
(/institutions/new). The rules are practices.services.applications'."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.accounts.auth import current_actor, permission_required
from app.accounts.forms import form_status, show_domain_errors
from app.accounts.join_forms import (
    CertifyForm,
    DeclineForm,
    InstitutionForm,
    JoinForm,
    RecommendForm,
)
from app.db import get_session
from app.labels.translate import translated_errors
from app.labels.vocab import membership_label
from practices.errors import Conflict, ValidationError
from practices.models import ApplicationStatus
from practices.services.applications import (
    Applicant,
    apply_to_join,
    certify_application,
    count_applications,
    decline_application,
    get_application,
    list_applications,
    recommend_application,
)
from practices.services.memberships import create_institution
from practices.validation import validate_institution

bp = Blueprint("join", __name__)


@bp.route("/join", methods=["GET", "POST"])
def apply():
    """Show the application form; record a valid application and say what happens next."""
    form = JoinForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            apply_to_join(session, form.institution(),
                          Applicant(form.editor_name.data or "", form.editor_email.data or ""),
                          motivation=form.motivation.data or "",
                          language=str(get_locale() or "en"))
        except ValidationError as exc:
            session.rollback()
            show_domain_errors(form, exc.errors)
        else:
            session.commit()
            return redirect(url_for(".sent"), 303)
    return render_template("join/apply.html", form=form), form_status(form)


@bp.get("/join/sent")
def sent():
    """Tell the school its application was sent and what happens next."""
    return render_template("join/sent.html")


@bp.get("/applications")
@permission_required("view_applications")
def applications():
    """List the applications the person decides on, open ones first, with counts."""
    session, actor = get_session(), current_actor()
    return render_template("join/applications.html",
                           applications=list_applications(session, actor=actor),
                           counts=count_applications(session, actor=actor))


@bp.get("/applications/<int:application_id>")
@permission_required("view_applications")
def application(application_id: int):
    """Show one application and the decisions open to the person."""
    return _page(application_id)


@bp.post("/applications/<int:application_id>/recommend")
@permission_required("recommend_membership")
def recommend(application_id: int):
    """Recommend an application to the Unit (the coordinator's step)."""
    form = RecommendForm()
    return _decide(application_id, form, lambda s, a: recommend_application(
        s, application_id, actor=a, note=form.note.data or ""),
        _l("Recommended: the ASPnet Unit is told."))


@bp.post("/applications/<int:application_id>/certify")
@permission_required("set_membership")
def certify(application_id: int):
    """Certify the school as a member (the Unit's step); its editor is sent a link."""
    form = CertifyForm()
    hours = current_app.config["MAIL_RESET_HOURS"]
    return _decide(application_id, form, lambda s, a: certify_application(
        s, application_id, actor=a, hours=hours),
        _l("Certified: the school is a member and its editor is told how to sign in."))


@bp.post("/applications/<int:application_id>/decline")
@permission_required("view_applications")
def decline(application_id: int):
    """Decline an application, saying why (the school is told)."""
    form = DeclineForm()
    return _decide(application_id, form, lambda s, a: decline_application(
        s, application_id, actor=a, reason=form.reason.data or ""),
        _l("Declined: the school is told why."))


@bp.route("/institutions/new", methods=["GET", "POST"])
@permission_required("create_institution")
def new_institution():
    """Add an institution (coordinators: of their country, as an applicant)."""
    form = InstitutionForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            institution = create_institution(session, validate_institution(form.institution()),
                                             actor=current_actor())
        except ValidationError as exc:
            session.rollback()
            show_domain_errors(form, exc.errors)
        else:
            session.commit()
            flash(_l("%(name)s is added (%(membership)s).", name=institution.name,
                     membership=membership_label(institution.membership)), "success")
            return redirect(url_for("join.new_institution"), 303)
    return render_template("join/new_institution.html", form=form), form_status(form)


def _page(application_id: int, problem: dict | None = None, status: int = 200):
    """Render an application's page, with the problems of a refused decision if any."""
    found = get_application(get_session(), application_id, actor=current_actor())
    return render_template(
        "join/application.html", application=found, problem=problem or {},
        recommend_form=RecommendForm(), certify_form=CertifyForm(), decline_form=DeclineForm(),
        open_statuses=(ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED),
    ), status


def _decide(application_id: int, form, step, done: str):
    if not form.validate_on_submit():
        problem = {name: str(errors[0]) for name, errors in form.errors.items()}
        return _page(application_id, problem, 422)
    session = get_session()
    try:
        step(session, current_actor())
    except ValidationError as exc:
        session.rollback()
        return _page(application_id, translated_errors(exc.errors), 422)  # e.g. empty reason
    except Conflict as exc:  # already decided (a second click, or someone else first)
        session.rollback()
        flash(_l("Nothing changed: %(reason)s", reason=exc.message), "info")
        return redirect(url_for(".application", application_id=application_id), 303)
    session.commit()
    flash(done, "success")
    return redirect(url_for(".application", application_id=application_id), 303)
