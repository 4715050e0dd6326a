"""The curators' list of promising and flagged practices: filters, a selection, and exports of
the filtered list (or of the selected practices) as CSV and JSON."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.auth import current_actor, permission_required
from app.bounds import bounded_int, page_number
from app.csv_export import Column, csv_response
from app.db import get_session
from app.labels.choices import network_first_countries
from app.labels.display import country_name, language_name
from app.labels.translate import translate
from app.labels.vocab import criterion_name, status_label, value_label
from practices import vocab
from practices.errors import ValidationError
from practices.filters import SearchFilters
from practices.rubric import RUBRIC_VERSIONS
from practices.services import CuratedFilters, curated_rows, export_curated, list_curated

bp = Blueprint("curated", __name__)

# Query parameters of the list and its exports.
_FILTER_ARGS = ("status", "theme", "country", "level", "min_total", "id")


@bp.get("/curation/curated")
@permission_required("view_curated")
def index():
    """List promising and flagged practices matching the filters, newest promotion first."""
    filters = filters_from(request.args)
    page = list_curated(get_session(), actor=current_actor(), filters=filters,
                        page=page_number(request.args))
    return render_template(
        "curation/curated.html", page=page, filters=filters, args=_kept_args(),
        countries=network_first_countries(get_session()),
        themes={code: translate(label) for code, label in vocab.THEMES.items()},
        levels={code: translate(label) for code, label in vocab.LEVELS.items()},
    )  # fmt: skip


@bp.get("/curation/curated.csv")
@permission_required("view_curated")
def export_csv():
    """Download the filtered list (or the selected practices) as CSV, one row per practice."""
    if (empty := _empty_selection()) is not None:
        return empty
    keys, rows = curated_rows(_selection())
    return csv_response(rows, [_CSV_COLUMNS.get(k) or _score_column(k) for k in keys],
                        "promising-practices.csv")


@bp.get("/curation/curated.json")
@permission_required("view_curated")
def export_json():
    """Download the filtered list (or the selected practices) as JSON, dossiers included."""
    if (empty := _empty_selection()) is not None:
        return empty
    records = _selection()
    body = json.dumps({"practices": records}, ensure_ascii=False, indent=2)
    return _download(body, "application/json", "promising-practices.json")


def filters_from(args) -> CuratedFilters:
    """Read the list's filters from query parameters (the selection: repeated `id`).

    Raises:
        ValidationError: an unknown theme, level or country, or a bad score or id.
    """
    chosen = SearchFilters.parse({k: args.get(k, "") for k in ("theme", "country", "level")})
    ids = [bounded_int(i) for i in args.getlist("id")]
    if None in ids:
        raise ValidationError({"id": "practice ids are whole numbers"})
    raw_total = (args.get("min_total") or "").strip()
    min_total = bounded_int(raw_total)
    if raw_total and min_total is None:
        raise ValidationError({"min_total": f"{raw_total!r} is not a whole number"})
    return CuratedFilters(
        status=args.get("status") or None,
        theme=_first(chosen.get("theme")), country=_first(chosen.get("country")),
        level=_first(chosen.get("level")), min_total=min_total,
        ids=tuple(ids) or None,
    )  # fmt: skip


def _first(values: tuple[str, ...]) -> str | None:
    return values[0] if values else None


def _selection() -> list[dict]:
    filters = filters_from(request.args)
    return export_curated(get_session(), actor=current_actor(), filters=filters)


def _empty_selection() -> Response | None:
    """Send the curator back to the list when "Download the selected" came with nothing
    ticked (downloading everything instead would surprise them)."""
    if not request.args.get("selected") or request.args.getlist("id"):
        return None
    flash(_("No practice is selected: tick the practices to download, or use “Download this "
            "list”."), "error")
    return redirect(url_for(".index", **_kept_args()), 303)


def _kept_args() -> dict[str, list[str]]:
    return {k: request.args.getlist(k) for k in _FILTER_ARGS if k != "id" and request.args.get(k)}


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _labels(field: str):
    # "esd;gced" -> "Education for Sustainable Development; Global Citizenship Education"
    return lambda codes: "; ".join(value_label(field, c) for c in str(codes).split(";") if c)


def _score(value):
    return _("not applicable") if value == "na" else value


def _score_column(key: str) -> Column:
    code = key.removeprefix("score_")
    names = {c.code: c for rubric in RUBRIC_VERSIONS.values() for c in rubric.criteria}
    title = criterion_name("", names[code]) if code in names else code
    return Column(key, _("Score: %(criterion)s", criterion=title), _score)


# The curated CSV's columns (practices.services.curated_rows names their keys), as people
# read them: headers in the interface language, codes as labels.
_CSV_COLUMNS = {column.key: column for column in (
    Column("id", _l("Number")),
    Column("external_id", _l("External id")),
    Column("title", _l("Title")),
    Column("language", _l("Language"), language_name),
    Column("country", _l("Country"), country_name),
    Column("institution", _l("Institution")),
    Column("status", _l("Status"), status_label),
    Column("themes", _l("Themes"), _labels("theme")),
    Column("published_at", _l("Published")),
    Column("rubric_version", _l("Rubric version")),
    Column("total", _l("Total score")),
    Column("maximum", _l("Highest possible score")),
    Column("evidence", _l("Evidence")),
    Column("policy_audience", _l("Policy note: audience")),
    Column("policy_key_message", _l("Policy note: key message")),
    Column("policy_countries", _l("Policy note: countries"), _labels("country")),
)}
