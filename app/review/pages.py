"""The reviewers' side: the review queue of a country (oldest first, with waiting time) and a
review page per practice (the revision under review, what it changes in the public version,
the conversation, and the decisions: request changes, publish, decline)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import login_required

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.labels.choices import network_first_countries
from app.review import actions
from app.review.actions import ActionForm, CommentForm, Problem
from app.review.practice_file import load_file
from app.search.copies import copies_on_page
from practices.roles import Role
from practices.services import review_queue, waiting_for_school

bp = Blueprint("review", __name__, url_prefix="/review")
# The workflow buttons of the school's, the reviewers' and the curators' pages post here.
bp.add_app_template_global(actions.action_url, "action_url")


@bp.get("")
@permission_required("view_review_queue")
def queue():
    """List the submissions waiting for review, oldest first, with how long they have waited,
    then those waiting for their school (changes requested), with the count of each.

    A National Coordinator sees their country's; a curator every country's, or one chosen.
    """
    actor = current_actor()
    country = (request.args.get("country") or "").strip().upper() or None
    items = review_queue(get_session(), actor=actor, country=country)
    at_school = waiting_for_school(get_session(), actor=actor, country=country)
    choose = actor.role != Role.NATIONAL_COORDINATOR
    return render_template(
        "review/queue.html", items=items, at_school=at_school,
        country=country or actor.scope_country,
        countries=network_first_countries(get_session()) if choose else None,
    )  # fmt: skip


@bp.get("/practices/<int:practice_id>")
@login_required
def practice(practice_id: int):
    """Show a practice under review with the decisions open to the reviewer."""
    return render_page(practice_id)


@bp.post("/practices/<int:practice_id>/request_changes")
@login_required
def request_changes(practice_id: int):
    """Send the submission back to the school with a note saying what to change."""
    return actions.take_action(practice_id, "request_changes", render_page, _queue(),
                               _here(practice_id))


@bp.post("/practices/<int:practice_id>/publish")
@login_required
def publish(practice_id: int):
    """Publish the submission (a first version, or an edit replacing the public one)."""
    return actions.take_action(practice_id, "publish", render_page, _queue(),
                               _here(practice_id))


@bp.post("/practices/<int:practice_id>/decline")
@login_required
def decline(practice_id: int):
    """Decline the submission, saying why."""
    return actions.take_action(practice_id, "decline", render_page, _queue(),
                               _here(practice_id))


@bp.post("/practices/<int:practice_id>/comments")
@login_required
def comment(practice_id: int):
    """Add the reviewer's message to the conversation with the school."""
    return actions.post_comment(practice_id, render_page, _here(practice_id) + "#thread")


def render_page(practice_id: int, problem: Problem | None = None) -> str:
    """Render the review page of a practice, with the problem of a refused form if any."""
    file = load_file(practice_id)
    copies = copies_on_page(get_session(), current_actor(), file.practice, file.content,
                            reviewer=True)
    return render_template(
        "review/practice.html", file=file, problem=problem, copies=copies,
        action_form=ActionForm(), comment_form=CommentForm(),
        comment_url=url_for("review.comment", practice_id=practice_id),
    )  # fmt: skip


def _queue() -> str:
    return url_for(".queue")


def _here(practice_id: int) -> str:
    return url_for("review.practice", practice_id=practice_id)
