"""A practice's content as a revision holds it: snapshot, compare, and copy back.

The content is everything a school writes (title, summary, body, language, country, tags,
start year, source URL, licence); the institution and external id belong to the practice.
"""
from __future__ import annotations

from typing import Any

from practices.models import Practice, PracticeRevision
from practices.rendering import render_markdown
from practices.services.mapping import fill
from practices.validation import PracticeData

TAG_FIELDS = (
    "themes", "pillars", "levels", "sdg_targets", "emerging_issues", "partner_types",
)
CONTENT_FIELDS = (
    "title", "summary", "body", "language", "country", "tags", "start_year", "source_url",
    "license",
)  # fmt: skip


def content_of(data: PracticeData) -> dict[str, Any]:
    """Return the content of validated data, keyed by CONTENT_FIELDS (revision columns)."""
    return {
        "title": data.title,
        "summary": data.summary,
        "body": data.body,
        "language": data.language,
        "country": data.country,
        "tags": {name: list(getattr(data, name)) for name in TAG_FIELDS},
        "start_year": data.year,
        "source_url": data.source_url,
        "license": data.license,
    }


def revision_content(revision: PracticeRevision) -> dict[str, Any]:
    """Return the content a revision holds, keyed by CONTENT_FIELDS."""
    return {name: getattr(revision, name) for name in CONTENT_FIELDS}


def write_revision(
    revision: PracticeRevision, data: PracticeData, body_html: str | None = None
) -> list[str]:
    """Copy `data` into `revision`, rendering the body only when it changed.

    Args:
        body_html: data.body already rendered (by practices.services.mapping.fill), if at hand.

    Returns:
        The names of the fields that changed (empty: nothing was written).
    """
    wanted = content_of(data)
    changed = [name for name in CONTENT_FIELDS if getattr(revision, name, None) != wanted[name]]
    for name in changed:
        setattr(revision, name, wanted[name])
    if "body" in changed or revision.body_html is None:
        revision.body_html = body_html if body_html is not None else render_markdown(data.body)
    return changed


def revision_data(revision: PracticeRevision) -> PracticeData:
    """Return a revision's content as PracticeData (no institution, no external id)."""
    tags = revision.tags or {}
    return PracticeData(
        title=revision.title,
        summary=revision.summary,
        body=revision.body,
        language=revision.language,
        country=revision.country,
        themes=tuple(tags.get("themes", ())),
        pillars=tuple(tags.get("pillars", ())),
        levels=tuple(tags.get("levels", ())),
        sdg_targets=tuple(tags.get("sdg_targets", ())),
        emerging_issues=tuple(tags.get("emerging_issues", ())),
        partner_types=tuple(tags.get("partner_types", ())),
        year=revision.start_year,
        source_url=revision.source_url,
        license=revision.license,
    )


def show_revision(practice: Practice, revision: PracticeRevision) -> None:
    """Make `revision` the content the practice shows (its columns and tags)."""
    # Copying the rendered body first spares fill() rendering it again.
    practice.body, practice.body_html = revision.body, revision.body_html
    fill(practice, revision_data(revision), practice.institution)
    practice.current_revision_no = revision.number
