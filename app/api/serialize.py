"""JSON shapes of the API (described in app/openapi.yaml: SearchResult, Practice)."""
from __future__ import annotations

from typing import Any

from flask import url_for

from app.search import ResultItem, ResultPage
from practices.models import Practice


def practice_url(practice: Practice) -> str:
    """Return the address of the practice's public page."""
    return url_for("catalog.practice", practice_id=practice.id, _external=True)


def summary(practice: Practice, score: float | None) -> dict[str, Any]:
    """Return a practice as one search result."""
    institution = practice.institution
    return {
        "id": practice.id, "external_id": practice.external_id, "title": practice.title,
        "summary": practice.summary, "language": practice.language,
        "country": practice.country, "themes": practice.themes, "pillars": practice.pillars,
        "levels": practice.levels, "institution": institution.name if institution else None,
        "status": practice.status, "score": score, "url": practice_url(practice),
    }


def result_page(page: ResultPage) -> dict[str, Any]:
    """Return a page of search results."""
    return {
        "total": page.total, "page": page.page, "limit": page.limit,
        "results": [summary(i.practice, i.score) | {"passage": i.passage} for i in page.items],
        "facets": page.facets, "language_neutral": page.language_neutral,
    }


def similar(items: list[ResultItem]) -> dict[str, Any]:
    """Return the practices similar to another."""
    return {"results": [summary(i.practice, i.score) for i in items]}


def record(practice: Practice) -> dict[str, Any]:
    """Return the full public record of a practice (the import fields and more)."""
    institution = practice.institution
    head = {k: v for k, v in summary(practice, None).items() if k != "score"}
    return {
        **head,
        "body": practice.body, "body_html": practice.body_html,
        "institution": None if institution is None else {
            "name": institution.name, "city": institution.city,
            "country": institution.country, "levels": list(institution.levels or []),
            "sector": institution.sector, "locality": institution.locality,
        },
        "sdg_targets": practice.sdg_targets, "emerging_issues": practice.emerging_issues,
        "partner_types": practice.partner_types,
        "year": practice.start_year, "source_url": practice.source_url,
        "license": practice.license, "status": practice.status,
        "published_at": _time(practice.published_at), "updated_at": _time(practice.updated_at),
    }


def _time(value) -> str | None:
    return value.isoformat() if value is not None else None
