"""Partner schools (/my/partners): a member school sees schools abroad whose practices are
closest to its own, with the pair of practices that makes each match, and tells one it would
like to work together (that school is e-mailed). The matching is
practices.services.partners'; closeness is the search's "similar practices"."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from app.accounts.auth import current_actor, permission_required
from app.db import get_session
from app.labels.choices import country_choices, language_choices
from app.labels.translate import translate
from app.search import get_search
from practices import vocab
from practices.errors import Conflict, NotFound, ValidationError
from practices.services.partners import (
    PartnerFilters,
    express_interest,
    interests_of,
    partner_schools,
)

bp = Blueprint("partners", __name__, url_prefix="/my/partners")

NEIGHBOURS_PER_PRACTICE = 20  # similar practices looked at for each of the school's own


class InterestForm(FlaskForm):
    """"We would like to work with you": the pair of practices and an optional message."""

    own_practice_id = HiddenField()
    their_practice_id = HiddenField()
    message = TextAreaField(_l("A few words to the school (optional)"),
                            validators=[Length(max=2000)])


@bp.get("")
@permission_required("view_own_practices")
def index():
    """List partner schools abroad (filtered by country, level, language) and the interests
    the school received and sent."""
    session, actor = get_session(), current_actor()
    filters = _filters()
    search = get_search()

    def neighbours(practice_id: int):
        return [(item.practice, item.score) for item in search.similar(
            session, practice_id, limit=NEIGHBOURS_PER_PRACTICE, other_countries=True)]

    matches = partner_schools(session, neighbours, actor=actor, filters=filters)
    received, sent = interests_of(session, actor=actor)
    ui = str(get_locale() or "en")
    return render_template(
        "workspace/partners.html", matches=matches, filters=filters, received=received,
        sent={i.to_institution_id for i in sent}, sent_rows=sent, form=InterestForm(),
        countries=country_choices(ui), languages=language_choices(ui),
        levels={code: translate(label) for code, label in vocab.LEVELS.items()},
    )  # fmt: skip


@bp.post("/<int:institution_id>/interest")
@permission_required("view_own_practices")
def interest(institution_id: int):
    """Tell a school the editor's school would like to work with it."""
    form = InterestForm()
    session = get_session()
    try:
        express_interest(session, institution_id, actor=current_actor(),
                         own_practice_id=_id(form.own_practice_id.data),
                         their_practice_id=_id(form.their_practice_id.data),
                         message=form.message.data or "")
    except (Conflict, ValidationError, NotFound) as exc:
        session.rollback()
        flash(translate(exc.message), "error")
        return redirect(url_for(".index"), 303)
    session.commit()
    flash(_l("The school is told that you would like to work together."), "success")
    return redirect(url_for(".index"), 303)


def _filters() -> PartnerFilters:
    args = request.args
    country = (args.get("country") or "").upper() or None
    level = args.get("level") or None
    language = (args.get("language") or "").lower() or None
    return PartnerFilters(country=country if country and len(country) == 2 else None,
                          level=level if level in vocab.LEVELS else None,
                          language=language.split("-")[0] if language else None)


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 10 else None
