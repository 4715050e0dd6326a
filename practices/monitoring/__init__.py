"""Monitoring the network: aggregate figures for the dashboards and the annual country report.

Every figure is one aggregate query (GROUP BY in the database), never a loop over practices:
practices/monitoring/queries.py. What a dashboard covers is a Scope (a country, a UNESCO
region, the whole network); who may see which scope is checked in dashboard.py.
"""
from practices.monitoring.dashboard import Dashboard, build_dashboard, require_scope
from practices.monitoring.reports import AnnualReport, annual_report, save_report_text
from practices.monitoring.scope import NETWORK, Scope, country_scope, region_scope

__all__ = [
    "AnnualReport",
    "annual_report",
    "save_report_text",
    "NETWORK",
    "Dashboard",
    "Scope",
    "build_dashboard",
    "country_scope",
    "region_scope",
    "require_scope",
]
