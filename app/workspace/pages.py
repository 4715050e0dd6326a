"""The school's side: its institution's practices with their statuses, one practice's page
(content, conversation with the reviewers, what the school can do next) and the school's
workflow actions (submit, withdraw). Writing and editing are in app/workspace/submit.py."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.review import actions
from app.review.actions import ActionForm, CommentForm, Problem
from app.review.practice_file import load_file
from app.search.copies import copies_on_page
from app.workspace.forms import AttachForm, RemoveForm, practice_errors
from practices import Status, available_actions
from practices.errors import ValidationError
from practices.services import own_practices

bp = Blueprint("workspace", __name__, url_prefix="/my")


@bp.get("/practices")
@permission_required("view_own_practices")
def practices():
    """List the practices of the editor's institution, most recently changed first."""
    actor = current_actor()
    status = request.args.get("status") or None
    if status not in {None, *Status}:
        status = None
    rows = [
        (p, available_actions(actor, p))
        for p in own_practices(get_session(), actor=actor, status=status)
    ]
    return render_template(
        "workspace/practices.html", rows=rows, status=status, statuses=list(Status),
        form=ActionForm(),
    )  # fmt: skip


@bp.get("/practices/<int:practice_id>")
@login_required
def practice(practice_id: int):
    """Show one practice of the school: its content, status, conversation and next steps."""
    return render_page(practice_id)


@bp.post("/practices/<int:practice_id>/submit")
@login_required
def submit(practice_id: int):
    """Send a draft (or the edit of a published practice) for review."""
    return actions.take_action(practice_id, "submit", render_page, _here(practice_id),
                               _here(practice_id), explain=_incomplete)


def _incomplete(action: str, exc: ValidationError) -> Problem:
    # The fields a draft still misses, each named as the practice form names it.
    return Problem(action, _("This practice cannot be submitted yet: edit it to complete it."),
                   practice_errors(exc.errors))


@bp.post("/practices/<int:practice_id>/withdraw")
@login_required
def withdraw(practice_id: int):
    """Take a practice (or its pending edit) out of review for good."""
    return actions.take_action(practice_id, "withdraw", render_page, _here(practice_id),
                               _here(practice_id))


@bp.post("/practices/<int:practice_id>/comments")
@login_required
def comment(practice_id: int):
    """Add the school's message to the conversation with its reviewers."""
    return actions.post_comment(practice_id, render_page, _here(practice_id) + "#thread")


def render_page(practice_id: int, problem: Problem | None = None) -> str:
    """Render the school's page of a practice, with the problem of a refused form if any."""
    file = load_file(practice_id)
    copies = copies_on_page(get_session(), current_actor(), file.practice, file.content,
                            reviewer=False)
    return render_template(
        "workspace/practice.html", file=file, problem=problem, copies=copies,
        action_form=ActionForm(), comment_form=CommentForm(),
        comment_url=url_for("workspace.comment", practice_id=practice_id),
        attach_form=AttachForm(), remove_form=RemoveForm(),
    )  # fmt: skip


def _here(practice_id: int) -> str:
    return url_for(".practice", practice_id=practice_id)
