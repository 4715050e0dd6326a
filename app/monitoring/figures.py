"""A dashboard's figures as named charts, every code labelled in the interface language."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.labels.display import country_name, language_name
from app.labels.translate import translate
from app.labels.vocab import membership_label, status_label, value_label
from app.monitoring.charts import Chart
from practices.monitoring import Dashboard
from practices.regions import REGIONS

# Chart key -> title; the order of the dashboard page.
TITLES = {
    "memberships": _l("Institutions by membership"),
    "member_levels": _l("Member institutions by education level"),
    "member_locality": _l("Member institutions: urban and rural"),
    "member_sector": _l("Member institutions: public and private"),
    "pipeline": _l("Review pipeline"),
    "quarters": _l("Practices published per quarter"),
    "themes": _l("Public practices by thematic area"),
    "pillars": _l("Public practices by action pillar"),
    "levels": _l("Public practices by education level"),
    "emerging_issues": _l("Public practices by emerging issue"),
    "sdg_targets": _l("Public practices by SDG target"),
    "partner_types": _l("Public practices by partner"),
    "languages": _l("Public practices by language"),
    "regions": _l("Public practices by UNESCO region"),
    "countries": _l("Public practices by country"),
}

_TAG_CHARTS = {"themes": "theme", "pillars": "pillar", "levels": "level",
               "emerging_issues": "emerging_issue", "sdg_targets": "sdg_target",
               "partner_types": "partner_type"}


def region_label(code: str) -> str:
    """Return the name of a UNESCO region (or "Other") in the interface language."""
    return translate(REGIONS[code]) if code in REGIONS else gettext("Other")


def _unknown(label):
    return lambda code: gettext("not stated") if code == "unknown" else label(code)


def charts(dashboard: Dashboard) -> list[Chart]:
    """Return the dashboard's charts in page order (those that have rows)."""
    n_practices, n_institutions = gettext("practices"), gettext("institutions")
    profile = dashboard.member_profile
    made = [
        _chart("memberships", dashboard.memberships, membership_label, n_institutions),
        _chart("member_levels", profile["level"], _unknown(lambda c: value_label("level", c)),
               n_institutions),
        _chart("member_locality", profile["locality"],
               _unknown(lambda c: value_label("locality", c)), n_institutions),
        _chart("member_sector", profile["sector"],
               _unknown(lambda c: value_label("sector", c)), n_institutions),
        _chart("pipeline", dashboard.pipeline, status_label, n_practices),
        _chart("quarters", dashboard.per_quarter, str, n_practices, kind="line"),
    ]
    for key, kind in _TAG_CHARTS.items():
        rows = dashboard.by_tag.get(kind, [])
        if kind == "pillar":
            rows = sorted(rows, key=lambda r: int(r[0]) if r[0].isdigit() else 99)
        made.append(_chart(key, rows, lambda c, k=kind: value_label(k, c), n_practices))
    made.append(_chart("languages", dashboard.by_language, language_name, n_practices))
    if dashboard.scope.kind == "network":
        made.append(_chart("regions", [(c, p) for c, _, p, _, _ in dashboard.regions],
                           region_label, n_practices))
    if dashboard.scope.kind != "country":
        made.append(_chart("countries", [(c, p) for c, _, p, _, _ in dashboard.countries],
                           country_name, n_practices))
    return [chart for chart in made if chart.rows]


def _chart(key, rows, label, value_name, kind="bar") -> Chart:
    return Chart(key=key, title=str(TITLES[key]), kind=kind, value_name=value_name,
                 rows=[(str(code), label(code), int(n)) for code, n in rows])


def describe(chart: Chart) -> str:
    """Return the chart's numbers in one sentence (its SVG <desc>), at most 12 of them."""
    shown = "; ".join(f"{label}: {value}" for _, label, value in chart.rows[:12])
    more = len(chart.rows) - 12
    if more > 0:
        shown += "; " + gettext("and %(num)d more in the table", num=more)
    return shown


def gap_labels(dashboard: Dashboard) -> list[tuple[str, list[str]]]:
    """Return the gaps as [(what, [labels])]: themes, pillars and levels with no public
    practice in the scope."""
    names = {"theme": gettext("Thematic areas"), "pillar": gettext("Action pillars"),
             "level": gettext("Education levels")}
    return [(names[kind], [value_label(kind, c) for c in codes])
            for kind, codes in dashboard.gaps.items()]


def chart_named(dashboard: Dashboard, key: str) -> Chart | None:
    """Return the chart `key` of the dashboard, or None when it has no such chart (or no rows)."""
    return next((c for c in charts(dashboard) if c.key == key), None)
