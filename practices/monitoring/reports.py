"""The annual country report: a country's figures for one calendar year, the practices
published and promoted that year, the gaps, and the text its National Coordinator writes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from practices.errors import PermissionDenied, ValidationError
from practices.i18n import Message
from practices.models import CountryReport, Practice, PromotionDossier, utcnow
from practices.monitoring.dashboard import Dashboard, build_dashboard, require_scope
from practices.monitoring.scope import country_scope
from practices.permissions import Actor, require
from practices.services import audit
from practices.workflow import PUBLIC_STATUSES, Status

FIRST_YEAR = 2000
MAX_NARRATIVE = 20_000  # characters of the free-text section
MAX_LISTED = 300  # practices listed per list; the figures count them all


@dataclass
class AnnualReport:
    """A country's report for a year: `dashboard` covers the year (see Dashboard.period);
    `published` the public practices first published that year, `promising` those promoted
    that year (still promising or flagged), each at most MAX_LISTED, newest first, with the
    totals; `narrative` the coordinator's text ("" until written)."""

    country: str
    year: int
    dashboard: Dashboard
    published: list[Practice]
    published_total: int
    promising: list[Practice]
    promising_total: int
    narrative: str
    updated_at: datetime | None
    updated_by: str | None


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """Return [1 January of `year`, 1 January of the next) in UTC.

    Raises:
        ValidationError: a year before FIRST_YEAR or after the current one.
    """
    if not FIRST_YEAR <= year <= utcnow().year:
        raise ValidationError({"year": Message(
            "a report's year is between %(first)s and %(last)s", first=FIRST_YEAR,
            last=utcnow().year)})
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def annual_report(session: Session, country: str, year: int, *, actor: Actor) -> AnnualReport:
    """Return the report of `country` for `year`.

    Raises:
        ValidationError: an unknown country or a year out of range.
        PermissionDenied: the actor may not see this country's dashboard.
    """
    scope = country_scope(country)
    period = year_bounds(year)
    dashboard = build_dashboard(session, scope, actor=actor, period=period)
    published = (select(Practice).where(
        Practice.country == scope.code, Practice.status.in_(PUBLIC_STATUSES),
        Practice.published_at >= period[0], Practice.published_at < period[1]))
    promoted_ids = select(PromotionDossier.practice_id).where(
        PromotionDossier.created_at >= period[0], PromotionDossier.created_at < period[1])
    promising = select(Practice).where(
        Practice.country == scope.code, Practice.id.in_(promoted_ids),
        Practice.status.in_((Status.PROMISING, Status.FLAGGED_FOR_POLICY)))
    saved = _saved(session, scope.code, year)
    return AnnualReport(
        country=scope.code, year=year, dashboard=dashboard,
        published=_listed(session, published), published_total=_count(session, published),
        promising=_listed(session, promising), promising_total=_count(session, promising),
        narrative=saved.narrative if saved else "",
        updated_at=saved.updated_at if saved else None,
        updated_by=saved.updated_by.name or saved.updated_by.email
        if saved and saved.updated_by else None,
    )  # fmt: skip


def save_report_text(session: Session, country: str, year: int, narrative: str, *,
                     actor: Actor) -> CountryReport:
    """Save the free-text section of a country's report for a year (replacing the last
    version) and write an audit entry; flush.

    Raises:
        ValidationError: unknown country, year out of range, or text over MAX_NARRATIVE.
        PermissionDenied: only the country's National Coordinator writes its report.
    """
    scope = country_scope(country)
    year_bounds(year)
    require(actor, "write_country_report")
    require_scope(actor, scope)
    if getattr(actor, "scope_country", None) != scope.code:
        raise PermissionDenied(Message("only the National Coordinator of %(country)s writes "
                                       "its report", country=scope.code))
    narrative = narrative.replace("\r\n", "\n").strip()
    if len(narrative) > MAX_NARRATIVE:
        raise ValidationError({"narrative": Message(
            "is %(length)s characters long; at most %(max)s", length=len(narrative),
            max=MAX_NARRATIVE)})
    report = _saved(session, scope.code, year) or CountryReport(country=scope.code, year=year)
    report.narrative, report.updated_at, report.updated_by_id = narrative, utcnow(), actor.id
    session.add(report)
    audit.record(session, actor=actor, action="write_country_report",
                 details={"country": scope.code, "year": year, "characters": len(narrative)})
    session.flush()
    return report


def _saved(session: Session, country: str, year: int) -> CountryReport | None:
    return session.scalars(select(CountryReport).where(
        CountryReport.country == country, CountryReport.year == year)).first()


def _listed(session: Session, stmt) -> list[Practice]:
    return list(session.scalars(stmt.options(selectinload(Practice.institution))
                                .order_by(Practice.published_at.desc(), Practice.id.desc())
                                .limit(MAX_LISTED)))


def _count(session: Session, stmt) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
