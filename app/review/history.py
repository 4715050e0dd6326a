"""The revision history of a practice: every version of its content, and each one on its own
page with what it changed from the one before. For the school and its reviewers."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from app.accounts.auth import current_actor
from app.db import get_session
from app.review.diffs import revision_changes
from practices.errors import NotFound
from practices.services import list_revisions

bp = Blueprint("history", __name__)


@bp.get("/practices/<int:practice_id>/revisions")
@login_required
def revisions(practice_id: int):
    """List every revision of a practice, newest first, with its status and dates."""
    found = list_revisions(get_session(), practice_id, actor=current_actor())
    practice = found[0].practice
    return render_template(
        "workspace/revisions.html", practice=practice, revisions=list(reversed(found))
    )


@bp.get("/practices/<int:practice_id>/revisions/<int:number>")
@login_required
def revision(practice_id: int, number: int):
    """Show one revision's content and what it changed from the revision before."""
    found = list_revisions(get_session(), practice_id, actor=current_actor())
    by_number = {r.number: r for r in found}
    shown = by_number.get(number)
    if shown is None:
        raise NotFound(f"practice {practice_id} has no revision {number}")
    before = by_number.get(number - 1)
    return render_template(
        "workspace/revision.html", practice=shown.practice, revision=shown, before=before,
        changes=revision_changes(before, shown) if before is not None else [],
    )  # fmt: skip
