"""The dashboard pages and their CSV downloads.

/monitoring sends a National Coordinator to their country's dashboard and a curator to the
network's; curators move between the network, the five UNESCO regions and any country.
"""
from __future__ import annotations

import time

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.labels.choices import country_choices
from app.labels.display import country_name
from app.monitoring import figures
from app.monitoring.charts import render
from app.monitoring.exports import csv_download
from practices.errors import NotFound
from practices.i18n import Message
from practices.monitoring import (
    NETWORK,
    Scope,
    build_dashboard,
    country_scope,
    region_scope,
    require_scope,
)
from practices.regions import REGIONS
from practices.roles import Role

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")


@bp.get("/")
@permission_required("view_dashboard")
def index():
    """Show a coordinator their country's dashboard, a curator the network's."""
    actor = current_actor()
    if actor.role == Role.NATIONAL_COORDINATOR:
        return _page(country_scope(actor.scope_country))
    return _page(NETWORK)


@bp.get("/country")
@permission_required("view_dashboard")
def choose_country():
    """Go to the dashboard of the country chosen in the form (?country=FR)."""
    scope = country_scope(request.args.get("country", ""))
    return redirect(url_for(".dashboard", kind="countries", code=scope.code))


@bp.get("/network")
@permission_required("view_dashboard")
def network():
    """Show the dashboard of the whole network (curators)."""
    return _page(NETWORK)


@bp.get("/<any(countries, regions):kind>/<code>")
@permission_required("view_dashboard")
def dashboard(kind, code):
    """Show the dashboard of the network, a region or a country."""
    return _page(scope_of(kind, code))


def _page(scope: Scope):
    found = dashboard_of(scope)
    charts = figures.charts(found)
    return render_template(
        "monitoring/dashboard.html", dashboard=found, charts=charts, scope_name=scope_name(scope),
        svgs={c.key: render(c, figures.describe(c)) for c in charts},
        gaps=figures.gap_labels(found), regions=REGIONS, region_label=figures.region_label,
        url_args=_url_args(scope), is_curator=current_actor().role == Role.CURATOR,
        countries=country_choices(str(get_locale() or "en")),
        report_years=range(found.as_of.year, found.as_of.year - 4, -1),
    )  # fmt: skip


@bp.get("/network/<chart>.csv")
@permission_required("view_dashboard")
def network_csv(chart):
    """Download one chart of the network's dashboard as CSV (see chart_csv)."""
    return _csv(NETWORK, chart)


@bp.get("/<any(countries, regions):kind>/<code>/<chart>.csv")
@permission_required("view_dashboard")
def chart_csv(kind, code, chart):
    """Download one chart's numbers as CSV; "countries" and "quiet_members" are the tables of
    countries and of members with nothing published in the last 12 months."""
    return _csv(scope_of(kind, code), chart)


def _csv(scope: Scope, chart: str):
    found = dashboard_of(scope, quiet_limit=None)
    name = f"{scope.code or 'network'}-{chart}.csv"
    if chart == "countries" and scope.kind != "country":
        return csv_download(
            ("country", "name", "member_institutions", "public_practices", "promising",
             "flagged_for_policy"),
            ((c, country_name(c), *numbers) for c, *numbers in found.countries), name)
    if chart == "quiet_members":
        return csv_download(("institution_id", "name", "country"), found.quiet_members, name)
    picked = figures.chart_named(found, chart)
    if picked is None:
        raise NotFound(Message("this dashboard has no chart %(chart)r", chart=chart))
    return csv_download(("code", "label", "count"), picked.rows, name)


def dashboard_of(scope: Scope, quiet_limit: int | None = 100):
    """Return the dashboard of `scope` for the signed-in user: computed, or the copy this
    process computed less than MONITORING_CACHE_SECONDS ago (the figures of a network change
    slowly; a page and its CSV downloads then cost one computation).

    Raises:
        PermissionDenied: the user may not see this scope (checked on every request).
    """
    actor = current_actor()
    require_scope(actor, scope)
    ttl = current_app.config["MONITORING_CACHE_SECONDS"]
    cache = current_app.extensions.setdefault("monitoring_dashboards", {})
    key, now = (scope, quiet_limit), time.monotonic()
    hit = cache.get(key)
    if ttl and hit is not None and now - hit[0] < ttl:
        return hit[1]
    found = build_dashboard(get_session(), scope, actor=actor, quiet_limit=quiet_limit)
    if ttl:
        cache[key] = (now, found)
    return found


def scope_of(kind: str, code: str | None) -> Scope:
    """Return the scope a URL names (kind: countries or regions).

    Raises:
        ValidationError: an unknown country or region code.
    """
    return country_scope(code) if kind == "countries" else region_scope(code)


def scope_name(scope: Scope) -> str:
    """Return what the dashboard covers, in the interface language."""
    if scope.kind == "country":
        return country_name(scope.code)
    if scope.kind == "region":
        return figures.region_label(scope.code)
    return gettext("The whole network")


def _url_args(scope: Scope) -> dict:
    if scope.kind == "network":
        return {}
    return {"kind": "countries" if scope.kind == "country" else "regions", "code": scope.code}
