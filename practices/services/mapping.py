"""Copying between validated data (PracticeData), Practice rows and import/export records."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from practices.models import Institution, Practice, PracticeTag
from practices.rendering import render_markdown
from practices.validation import InstitutionData, PracticeData

# PracticeData field holding each tag kind of practices.models.TAG_KINDS.
_TAG_FIELDS = {
    "theme": "themes",
    "pillar": "pillars",
    "level": "levels",
    "sdg_target": "sdg_targets",
    "emerging_issue": "emerging_issues",
    "partner_type": "partner_types",
}


def fill(practice: Practice, data: PracticeData, institution: Institution | None) -> None:
    """Copy `data` onto `practice` (tags included), rendering the body only when it changed.

    An absent external_id keeps the stored one: edit forms do not carry it.
    """
    if data.external_id is not None:
        practice.external_id = data.external_id
    if practice.body != data.body:
        practice.body = data.body
        practice.body_html = render_markdown(data.body)
    practice.title = data.title
    practice.summary = data.summary
    practice.language = data.language
    practice.country = data.country
    practice.institution = institution
    practice.start_year = data.year
    practice.source_url = data.source_url
    practice.license = data.license
    _set_tags(practice, data)


def _set_tags(practice: Practice, data: PracticeData) -> None:
    # A diff, not a replacement: deleting and re-adding a tag with the same primary key in
    # one flush would make the unit of work juggle identical rows.
    wanted = {
        (kind, str(value)) for kind, field in _TAG_FIELDS.items() for value in getattr(data, field)
    }
    for tag in [t for t in practice.tags if (t.kind, t.value) not in wanted]:
        practice.tags.remove(tag)
    have = {(t.kind, t.value) for t in practice.tags}
    practice.tags.extend(PracticeTag(kind=k, value=v) for k, v in sorted(wanted - have))


def to_data(practice: Practice) -> PracticeData:
    """Return the stored practice as PracticeData (what validating its export would give)."""
    institution = practice.institution
    return PracticeData(
        external_id=practice.external_id,
        title=practice.title,
        summary=practice.summary,
        body=practice.body,
        language=practice.language,
        country=practice.country,
        institution=_institution_data(institution) if institution is not None else None,
        themes=tuple(practice.themes),
        pillars=tuple(practice.pillars),
        levels=tuple(practice.levels),
        sdg_targets=tuple(practice.sdg_targets),
        emerging_issues=tuple(practice.emerging_issues),
        partner_types=tuple(practice.partner_types),
        year=practice.start_year,
        source_url=practice.source_url,
        license=practice.license,
    )


def _institution_data(institution: Institution) -> InstitutionData:
    return InstitutionData(
        name=institution.name,
        country=institution.country,
        city=institution.city,
        levels=tuple(institution.levels or ()),
        sector=institution.sector,
        locality=institution.locality,
    )


def same_content(practice: Practice, data: PracticeData, institution: Institution | None) -> bool:
    """Tell whether saving `data` (with its resolved institution) would change nothing."""
    if data.external_id is not None and data.external_id != practice.external_id:
        return False
    bare = {"institution": None, "external_id": None}
    stored = replace(to_data(practice), **bare)
    return practice.institution is institution and stored == replace(data, **bare)


def to_record(practice: Practice) -> dict[str, Any]:
    """Return the import/export record of a practice; empty fields are left out."""
    data = to_data(practice)
    record: dict[str, Any] = {
        "external_id": data.external_id,
        "title": data.title,
        "summary": data.summary,
        "body": data.body,
        "language": data.language,
        "country": data.country,
        "institution": _institution_record(data.institution) if data.institution else None,
        "themes": list(data.themes),
        "pillars": list(data.pillars),
        "levels": list(data.levels),
        "sdg_targets": list(data.sdg_targets),
        "emerging_issues": list(data.emerging_issues),
        "partner_types": list(data.partner_types),
        "year": data.year,
        "source_url": data.source_url,
        "license": data.license,
    }
    return _without_empty(record)


def _institution_record(data: InstitutionData) -> dict[str, Any]:
    return _without_empty(
        {
            "name": data.name,
            "city": data.city,
            "country": data.country,
            "levels": list(data.levels),
            "sector": data.sector,
            "locality": data.locality,
        }
    )


def _without_empty(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None and v != "" and v != []}
