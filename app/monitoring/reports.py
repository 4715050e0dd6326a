"""The annual country report: shown as a page, written by the country's National Coordinator,
downloaded as PDF (WeasyPrint) in the interface language."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.labels.display import country_name
from app.labels.translate import describe
from app.monitoring import figures
from app.monitoring.charts import render
from app.monitoring.forms import ReportTextForm
from app.monitoring.pdf import html_to_pdf
from practices.errors import ValidationError
from practices.monitoring import annual_report, save_report_text
from practices.permissions import can

bp = Blueprint("reports", __name__, url_prefix="/monitoring")


@bp.get("/countries/<code>/report/<int:year>")
@permission_required("view_dashboard")
def report(code, year):
    """Show a country's report for a year, with the coordinator's form to write its text."""
    found = annual_report(get_session(), code, year, actor=current_actor())
    form = ReportTextForm(data={"narrative": found.narrative})
    return _render("monitoring/report.html", found, form=form)


@bp.post("/countries/<code>/report/<int:year>")
@permission_required("write_country_report")
def save_text(code, year):
    """Save the report's free-text section, then show the report again."""
    form = ReportTextForm()
    session = get_session()
    if form.validate_on_submit():
        try:
            save_report_text(session, code, year, form.narrative.data or "", actor=current_actor())
        except ValidationError as exc:
            session.rollback()
            found = annual_report(session, code, year, actor=current_actor())
            flash(describe(exc), "error")
            return _render("monitoring/report.html", found, form=form), 422
        session.commit()
        flash(gettext("The report's text is saved."), "success")
    return redirect(url_for(".report", code=code.upper(), year=year))


@bp.get("/countries/<code>/report/<int:year>.pdf")
@permission_required("view_dashboard")
def report_pdf(code, year):
    """Download the report as PDF (the same content as the page, laid out for paper)."""
    found = annual_report(get_session(), code, year, actor=current_actor())
    html = _render("monitoring/report_pdf.html", found, external=True)
    response = Response(html_to_pdf(html, request.url_root), mimetype="application/pdf")
    name = f"report-{found.country}-{found.year}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _render(template: str, found, external: bool = False, **context) -> str:
    charts = figures.charts(found.dashboard)
    return render_template(
        template, report=found, charts=charts, country=country_name(found.country),
        svgs={c.key: render(c, figures.describe(c)) for c in charts},
        gaps=figures.gap_labels(found.dashboard), external=external,
        may_write=can(current_actor(), "write_country_report")
        and current_actor().scope_country == found.country, **context,
    )  # fmt: skip
