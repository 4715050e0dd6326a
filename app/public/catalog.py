"""The catalogue: one public practice on its own page, with practices similar to it."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import format_percent

from app.db import get_session
from app.monitoring.uptake import practice_uptake
from app.search import get_search
from practices.rubric import CURRENT_RUBRIC_VERSION, RUBRIC_VERSIONS
from practices.services import get_public_practice
from practices.services.attachments import revision_files

bp = Blueprint("catalog", __name__)

SIMILAR_COUNT = 6  # practices under "Similar practices"


@bp.get("/practices/<int:practice_id>")
def practice(practice_id: int):
    """Show a public practice; drafts and practices under review are not found (404)."""
    session = get_session()
    found = get_public_practice(session, practice_id)
    other_languages = request.args.get("other_languages") == "1"
    other_countries = request.args.get("other_countries") == "1"
    similar = get_search().similar(
        session,
        practice_id,
        limit=SIMILAR_COUNT,
        other_languages=other_languages,
        other_countries=other_countries,
    )
    return render_template(
        "catalog/practice.html",
        practice=found,
        files=revision_files(session, practice_id, found.current_revision_no),
        similar=[item.practice for item in similar],
        other_languages=other_languages,
        other_countries=other_countries,
        uptake_info=practice_uptake(session, practice_id),
    )


@bp.get("/recognition")
def recognition():
    """Explain what "Promising practice" and "Flagged for policy" mean and how a practice
    earns them (the criteria of the current rubric)."""
    rubric = RUBRIC_VERSIONS[CURRENT_RUBRIC_VERSION]
    share = format_percent(float(rubric.min_share), format="#%")
    return render_template("catalog/recognition.html", rubric=rubric, share=share)
