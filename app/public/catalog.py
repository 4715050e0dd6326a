"""The catalogue: one public practice on its own page, with practices similar to it."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app.db import get_session
from app.monitoring.uptake import practice_uptake
from app.search import get_search
from practices.services import get_public_practice

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
        similar=[item.practice for item in similar],
        other_languages=other_languages,
        other_countries=other_countries,
        uptake_info=practice_uptake(session, practice_id),
    )
