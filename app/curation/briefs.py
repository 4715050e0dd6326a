"""Policy briefs (/curation/briefs): a curator selects promising practices by thematic area,
by country or by hand, saves the selection with a title and an introduction, and issues the
brief as a page or a PDF in the interface language. The content is
practices.services.briefs'; the PDF is WeasyPrint's (app/monitoring/pdf.py)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.labels.display import country_name
from app.labels.translate import translated_errors
from app.monitoring.pdf import html_to_pdf
from practices import vocab
from practices.errors import ValidationError
from practices.services.briefs import (
    BriefSelection,
    check_selection,
    issue_brief,
    list_briefs,
    save_brief,
    selected_practices,
)

bp = Blueprint("briefs", __name__, url_prefix="/curation/briefs")


@bp.get("")
@permission_required("write_briefs")
def index():
    """List the saved briefs and offer the form of a new one."""
    return _form_page()


@bp.post("")
@permission_required("write_briefs")
def create():
    """Save a new brief from the posted selection, then show it."""
    form = request.form
    session = get_session()
    try:
        ids = [int(i) for i in form.getlist("practice_ids") if i.isdecimal() and len(i) < 10]
        selection = check_selection(form.getlist("themes"), form.getlist("countries"), ids)
        brief = save_brief(session, form.get("title", ""), selection, actor=current_actor(),
                           introduction=form.get("introduction", ""))
    except ValidationError as exc:
        session.rollback()
        return _form_page(translated_errors(exc.errors)), 422
    session.commit()
    flash(_l("The brief is saved: issue it again at any time to include what changed."),
          "success")
    return redirect(url_for(".brief", brief_id=brief.id), 303)


@bp.get("/<int:brief_id>")
@permission_required("write_briefs")
def brief(brief_id: int):
    """Show a brief as it reads today."""
    return _brief("curation/brief.html", brief_id)


@bp.get("/<int:brief_id>.pdf")
@permission_required("write_briefs")
def brief_pdf(brief_id: int):
    """Download a brief as PDF."""
    html = _brief("curation/brief_pdf.html", brief_id, external=True)
    response = Response(html_to_pdf(html, request.url_root), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="policy-brief-{brief_id}.pdf"'
    return response


def _brief(template: str, brief_id: int, external: bool = False) -> str:
    found, items = issue_brief(get_session(), brief_id, actor=current_actor())
    return render_template(template, brief=found, items=items, issued=date.today(),
                           external=external)


def _form_page(problems: dict[str, str] | None = None) -> str:
    session, actor = get_session(), current_actor()
    recognised = selected_practices(session, BriefSelection())
    countries = sorted({p.country for p in recognised if p.country}, key=country_name)
    return render_template(
        "curation/briefs.html", briefs=list_briefs(session, actor=actor), practices=recognised,
        countries=countries, themes=vocab.THEMES, problems=problems or {}, posted=request.form,
    )  # fmt: skip
