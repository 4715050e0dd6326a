"""The curators' decisions: the promotion queue, promoting with a dossier, flagging for policy
with a policy note, archiving, and the printable dossier page of a promoted practice.
The list of promising practices and its exports are in app/curation/curated.py."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.accounts.auth import current_actor, permission_required
from app.bounds import page_number
from app.curation.forms import FlagForm, promote_form_class
from app.db import get_session
from app.labels.choices import network_first_countries
from app.labels.translate import describe
from app.labels.workflow import done_message
from app.review import actions
from app.review.actions import Problem, expected_status
from app.review.pages import render_page as review_page
from practices import available_actions, require
from practices.errors import Conflict, ValidationError
from practices.monitoring.uptake import uptake_of
from practices.rubric import CURRENT_RUBRIC_VERSION, RUBRIC_VERSIONS
from practices.services import (
    dossier_report,
    flag_for_policy,
    promote,
    promotion_queue,
    view_practice,
)

bp = Blueprint("curation", __name__, url_prefix="/curation")


@bp.get("/queue")
@permission_required("view_promotion_queue")
def queue():
    """List published practices not promoted yet, longest published first."""
    country = (request.args.get("country") or "").strip().upper() or None
    page = promotion_queue(
        get_session(), actor=current_actor(), country=country, page=_page_number()
    )
    return render_template(
        "curation/queue.html", page=page, country=country,
        countries=network_first_countries(get_session()),
        args={"country": country} if country else {},
    )  # fmt: skip


@bp.route("/practices/<int:practice_id>/promote", methods=["GET", "POST"], endpoint="promote")
@login_required
def promote_page(practice_id: int):
    """Show the dossier form; on a complete dossier meeting the rubric, promote the practice."""
    practice = _practice(practice_id, "promote")
    form = promote_form_class(_rubric())()
    if not form.is_submitted() or form.add_row.data:
        if form.add_row.data:
            form.evidence.append_entry()
        return _form_page("promote", practice, form)
    return _decide(
        practice, form, "promote",
        lambda s, expected: promote(s, practice_id, form.dossier(), actor=current_actor(),
                                    note=form.note.data or "", expected_status=expected),
        url_for(".dossier", practice_id=practice_id),
    )  # fmt: skip


@bp.route("/practices/<int:practice_id>/flag", methods=["GET", "POST"])
@login_required
def flag(practice_id: int):
    """Show the policy-note form; on a complete note, flag the practice for policy."""
    practice = _practice(practice_id, "flag_for_policy")
    form = FlagForm()
    if not form.is_submitted():
        return _form_page("flag_for_policy", practice, form)
    return _decide(
        practice, form, "flag_for_policy",
        lambda s, expected: flag_for_policy(s, practice_id, form.policy_note(),
                                            actor=current_actor(), note=form.note.data or "",
                                            expected_status=expected),
        url_for("curated.index"),
    )  # fmt: skip


@bp.post("/practices/<int:practice_id>/archive")
@login_required
def archive(practice_id: int):
    """Take a public practice out of public view for good (from its review page)."""
    return actions.take_action(practice_id, "archive", review_page, url_for(".queue"),
                               url_for("review.practice", practice_id=practice_id))


@bp.get("/practices/<int:practice_id>/dossier")
@permission_required("view_curated")
def dossier(practice_id: int):
    """Show the promotion dossier of a practice as a printable page."""
    report = dossier_report(get_session(), practice_id, actor=current_actor())
    return render_template("curation/dossier.html", report=report)


def _practice(practice_id: int, action: str):
    """Return the practice if the curator may take `action` on it (whatever its status)."""
    actor = current_actor()
    practice = view_practice(get_session(), practice_id, actor=actor)
    require(actor, action, practice)
    return practice


def _decide(practice, form, action: str, carry_out, done_url: str):
    """Run a curator's decision with its form's data; show the form again on a problem."""
    session = get_session()
    expected = expected_status(form)
    try:
        carry_out(session, expected)
    except ValidationError as exc:
        session.rollback()
        general = form.add_domain_errors(exc.errors)
        message = _("Nothing was changed: please correct what is marked below.")
        problem = Problem(action, message, {str(n): m for n, m in enumerate(general)})
        return _form_page(action, practice, form, problem), 422
    except Conflict as exc:
        session.rollback()
        # Sent twice, or decided by someone else meanwhile: back to this page, which says
        # the action is no longer open; another reason is shown on the form.
        return (actions.already_done(practice.id, expected, request.path)
                or (_form_page(action, practice, form, Problem(action, describe(exc), {})),
                    409))
    done = done_message(action, practice.title)  # read before the commit, which may fail
    session.commit()
    flash(done, "success")
    return redirect(done_url, 303)


_TEMPLATES = {"promote": "curation/promote.html", "flag_for_policy": "curation/flag.html"}


def _form_page(action: str, practice, form, problem: Problem | None = None):
    # The form is offered only while the action is open: a stale link says why instead.
    allowed = action in available_actions(current_actor(), practice)
    if not form.is_submitted():
        form.expected_status.data = practice.review_status
    return render_template(
        _TEMPLATES[action], practice=practice, form=form, problem=problem, allowed=allowed,
        rubric=getattr(form, "rubric", None), countries=network_first_countries(get_session()),
        uptake=uptake_of(get_session(), practice.id),  # evidence for scaling (issue 12)
    )  # fmt: skip


def _rubric():
    # The version the form was shown with: a rubric published meanwhile must not re-label
    # the scores the curator gave.
    posted = request.form.get("rubric_version")
    return RUBRIC_VERSIONS[posted if posted in RUBRIC_VERSIONS else CURRENT_RUBRIC_VERSION]


def _page_number() -> int:
    return page_number(request.args)
