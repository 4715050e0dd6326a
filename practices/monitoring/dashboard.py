"""A dashboard's figures for one scope, and who may see which scope."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from practices import vocab
from practices.errors import PermissionDenied
from practices.i18n import Message
from practices.models import utcnow
from practices.monitoring import queries, uptake
from practices.monitoring.scope import Scope
from practices.permissions import Actor, require
from practices.regions import OTHER, REGIONS, region_of
from practices.roles import Role

QUIET_DAYS = 365
"""A member with nothing published for this many days is listed as quiet (issue 12: "the
last 12 months")."""

# The vocabularies whose gaps are shown: (tag kind, codes in order).
GAP_KINDS = (
    ("theme", tuple(vocab.THEMES)),
    ("pillar", tuple(str(p) for p in vocab.PILLARS)),
    ("level", tuple(vocab.LEVELS)),
)


@dataclass
class Dashboard:
    """Every figure of a dashboard; each list of rows is [(code, count)] unless said.

    `period` restricts the practice figures and the turnaround to [start, end) (the annual
    report's year); without one, the turnaround covers the 12 months before `as_of`.
    Institution figures, the pipeline and the gaps are as of `as_of`.
    """

    scope: Scope
    as_of: datetime
    period: tuple[datetime, datetime] | None
    memberships: list[tuple[str, int]]
    member_profile: dict[str, list[tuple[str, int]]]
    quiet_total: int
    quiet_members: list[tuple[int, str, str]]  # (institution id, name, country)
    by_tag: dict[str, list[tuple[str, int]]]  # kind -> rows
    by_language: list[tuple[str, int]]
    per_quarter: list[tuple[str, int]]  # ("2025-Q3", n)
    pipeline: list[tuple[str, int]]  # (status, n)
    decisions: int
    median_days: float | None
    p90_days: float | None
    gaps: dict[str, list[str]]  # kind -> codes with no public practice
    # The scope's practices other schools adapted: (id, title, language, schools, countries).
    taken_up: list[tuple[int, str, str, int, int]] = field(default_factory=list)
    countries: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    regions: list[tuple[str, int, int, int, int]] = field(default_factory=list)

    @property
    def public_total(self) -> int:
        """Public practices first published in the period (ever, without one): the sum of
        the quarters."""
        return sum(n for _, n in self.per_quarter)


def require_scope(actor: Actor, scope: Scope) -> None:
    """Do nothing if `actor` may see dashboards of `scope`, else raise PermissionDenied.

    National Coordinators see their own country; curators every country, region and the
    network (practices.permissions: "view_dashboard").
    """
    require(actor, "view_dashboard")
    if getattr(actor, "role", None) != Role.NATIONAL_COORDINATOR:
        return
    own = actor.scope_country  # type: ignore[union-attr]
    if scope.kind != "country" or scope.code != own:
        raise PermissionDenied(Message(
            "a National Coordinator may see the dashboard of their own country (%(own)s) only",
            own=own))


def build_dashboard(session: Session, scope: Scope, *, actor: Actor,
                    period: tuple[datetime, datetime] | None = None,
                    as_of: datetime | None = None, quiet_limit: int | None = 100) -> Dashboard:
    """Return the figures of `scope` (see Dashboard), about a dozen aggregate queries; at most
    `quiet_limit` quiet members are named (None: all of them).

    Raises:
        PermissionDenied: the actor may not see this scope (require_scope).
    """
    require_scope(actor, scope)
    as_of = as_of or utcnow()
    quiet_total, quiet = queries.quiet_members(
        session, scope, as_of - timedelta(QUIET_DAYS), quiet_limit)
    # Turnaround says how reviews go now: the last 12 months unless a period is given.
    count, median, p90 = queries.turnaround(
        session, scope, period or (as_of - timedelta(QUIET_DAYS), as_of))
    all_time = queries.public_by_tag(session, scope, None)
    dashboard = Dashboard(
        scope=scope, as_of=as_of, period=period,
        memberships=queries.institutions_by_membership(session, scope),
        member_profile=queries.member_profile(session, scope),
        quiet_total=quiet_total, quiet_members=quiet,
        by_tag=all_time if period is None else queries.public_by_tag(session, scope, period),
        by_language=queries.public_by_language(session, scope, period),
        per_quarter=queries.published_per_quarter(session, scope, period),
        pipeline=queries.pipeline(session, scope),
        decisions=count, median_days=median, p90_days=p90,
        gaps={kind: [c for c in codes if c not in queries.present_codes(all_time.get(kind, []))]
              for kind, codes in GAP_KINDS},
    )  # fmt: skip
    dashboard.taken_up = uptake.most_taken_up(session, scope)
    if scope.kind != "country":
        dashboard.countries = queries.by_country(session, scope)
        dashboard.regions = regions_of(dashboard.countries)
    return dashboard


def regions_of(countries: list[tuple[str, int, int, int, int]]
               ) -> list[tuple[str, int, int, int, int]]:
    """Sum per-country rows (country, members, public, promising, flagged) into UNESCO
    regions, in REGIONS order then OTHER; regions with nothing are kept (at zero)."""
    totals = {code: [0, 0, 0, 0] for code in (*REGIONS, OTHER)}
    for country, *numbers in countries:
        total = totals[region_of(country)]
        for i, n in enumerate(numbers):
            total[i] += n
    return [(code, *numbers) for code, numbers in totals.items()
            if code != OTHER or any(numbers)]
