"""The aggregate queries behind the dashboards: each one GROUP BY in the database, returning a
few rows whatever the number of practices (tested on SQLite and PostgreSQL).

A practice counts for its own country (the school's unless the school said otherwise), an
institution for its country. "Public" practices are those of PUBLIC_STATUSES (published,
promising, flagged for policy); the period, when given, is [start, end) on the date a practice
was first published, or on the date of a review decision.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, String, and_, case, cast, exists, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from practices import vocab
from practices.models import AuditEntry, Institution, Practice, PracticeRevision, PracticeTag
from practices.monitoring.scope import Scope
from practices.roles import Membership
from practices.workflow import PUBLIC_STATUSES, Status

Period = tuple[datetime, datetime] | None
Rows = list[tuple[str, int]]

DECISIONS = ("publish", "decline", "request_changes")
"""Audit actions that end a review round: the school hears back (turnaround's end)."""


def _in_scope(column, scope: Scope):
    return column.in_(scope.countries) if scope.countries is not None else True


def _public(scope: Scope, period: Period):
    conditions = [Practice.status.in_(PUBLIC_STATUSES), _in_scope(Practice.country, scope)]
    if period is not None:
        conditions += [Practice.published_at >= period[0], Practice.published_at < period[1]]
    return and_(*conditions)


def institutions_by_membership(session: Session, scope: Scope) -> Rows:
    """Return [(membership, institutions)] of the scope, every membership status present."""
    stmt = (select(Institution.membership, func.count()).where(_in_scope(Institution.country,
            scope)).group_by(Institution.membership))  # fmt: skip
    return [(m, n) for m, n in session.execute(stmt)]


def member_profile(session: Session, scope: Scope) -> dict[str, Rows]:
    """Return certified members counted by education level taught, locality and sector:
    {"level": [(code, n)], "locality": [...], "sector": [...]} in vocabulary order, with an
    "unknown" row for members that did not say (levels: a member counts once per level)."""
    members = and_(Institution.membership == Membership.MEMBER,
                   _in_scope(Institution.country, scope))
    # The levels are a JSON list of codes; no code is a substring of another, so a LIKE on its
    # text counts them in one pass on every engine.
    text = cast(Institution.levels, String)
    level_sums = [func.sum(case((text.like(f'%"{code}"%'), 1), else_=0)) for code in vocab.LEVELS]
    levels = session.execute(select(*level_sums).where(members)).one()
    profile = {"level": [(c, int(n or 0)) for c, n in zip(vocab.LEVELS, levels, strict=True)]}
    for field, codes in (("locality", vocab.INSTITUTION_LOCALITIES),
                         ("sector", vocab.INSTITUTION_SECTORS)):
        column = getattr(Institution, field)
        found = dict(session.execute(select(column, func.count()).where(members)
                                     .group_by(column)).all())
        rows = [(code, found.pop(code, 0)) for code in codes]
        unknown = sum(found.values())
        profile[field] = rows + ([("unknown", unknown)] if unknown else [])
    return profile


def quiet_members(session: Session, scope: Scope, since: datetime, limit: int | None = 100
                  ) -> tuple[int, list[tuple[int, str, str]]]:
    """Return (how many, the first `limit` by name as (id, name, country); None: all) of the
    certified members that have published nothing since `since`."""
    published = exists(select(Practice.id).where(
        Practice.institution_id == Institution.id, Practice.published_at >= since))
    where = and_(Institution.membership == Membership.MEMBER, _in_scope(Institution.country, scope),
                 ~published)
    total = session.scalar(select(func.count()).select_from(Institution).where(where))
    names = session.execute(select(Institution.id, Institution.name, Institution.country)
                            .where(where).order_by(Institution.name, Institution.id).limit(limit))
    return total or 0, [tuple(row) for row in names]


def public_by_tag(session: Session, scope: Scope, period: Period) -> dict[str, Rows]:
    """Return public practices counted per tag value: {kind: [(value, n)]}, kinds of
    practices.models.TAG_KINDS, values most frequent first."""
    # IN (ids) rather than a join: SQLite then reads each practice's tags through the tag
    # table's primary key instead of scanning every tag (3x faster for a region at 100k).
    public_ids = select(Practice.id).where(_public(scope, period))
    stmt = (select(PracticeTag.kind, PracticeTag.value, func.count())
            .where(PracticeTag.practice_id.in_(public_ids))
            .group_by(PracticeTag.kind, PracticeTag.value))
    counts: dict[str, Rows] = {}
    for kind, value, n in session.execute(stmt):
        counts.setdefault(kind, []).append((value, n))
    return {kind: sorted(rows, key=lambda r: (-r[1], r[0])) for kind, rows in counts.items()}


def public_by_language(session: Session, scope: Scope, period: Period) -> Rows:
    """Return public practices counted per language tag, most frequent first."""
    stmt = (select(Practice.language, func.count()).where(_public(scope, period))
            .group_by(Practice.language).order_by(func.count().desc(), Practice.language))
    return [(lang, n) for lang, n in session.execute(stmt)]


def published_per_quarter(session: Session, scope: Scope, period: Period) -> Rows:
    """Return practices first published per calendar quarter ("2025-Q3", n), oldest first,
    quarters without any included (zero) between the first and the last."""
    # One integer per quarter (year * 4 + quarter - 1): a single, cheap grouping key.
    month = cast(extract("month", Practice.published_at), Integer)
    number = cast(extract("year", Practice.published_at), Integer) * 4 + (month - 1) // 3
    stmt = select(number, func.count()).where(_public(scope, period)).group_by(number)
    found = {divmod(int(k), 4): n for k, n in session.execute(stmt)}
    found = {(y, q + 1): n for (y, q), n in found.items()}
    if not found:
        return []
    (y, q), last = min(found), max(found)
    rows = []
    while (y, q) <= last:
        rows.append((f"{y}-Q{q}", found.get((y, q), 0)))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return rows


def pipeline(session: Session, scope: Scope) -> Rows:
    """Return the review pipeline: [(status, n)] for submitted, changes requested (waiting for
    the school), published, promising and flagged for policy. Pending edits of public
    practices count in the first two, as the reviewers' queue shows them."""
    stages = (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED, Status.PROMISING,
              Status.FLAGGED_FOR_POLICY)
    in_scope = _in_scope(Practice.country, scope)
    own = dict(session.execute(select(Practice.status, func.count()).where(
        in_scope, Practice.status.in_(stages)).group_by(Practice.status)).all())
    pending = dict(session.execute(
        select(PracticeRevision.status, func.count())
        .join(Practice, Practice.id == PracticeRevision.practice_id)
        .where(in_scope, Practice.status.in_(PUBLIC_STATUSES),
               PracticeRevision.number != Practice.current_revision_no,
               PracticeRevision.status.in_(stages[:2]))
        .group_by(PracticeRevision.status)).all())
    return [(str(s), own.get(s, 0) + pending.get(s, 0)) for s in stages]


def turnaround(session: Session, scope: Scope, period: Period) -> tuple[int, float | None,
                                                                         float | None]:
    """Return (decisions, median days, 90th percentile days) from a submission to the review
    decision that answered it (publish, decline or request changes), from the audit log.

    Percentiles are nearest-rank (the ceil(p * n)-th smallest duration), computed in the
    database with a window function; None when there was no decision.
    """
    # Each decision pairs with the latest submission before it: a running max over the
    # practice's submit and decision entries in time order (one sort, no per-row lookup).
    events = aliased(AuditEntry)
    last_submit = func.max(case((events.action == "submit", events.at))).over(
        partition_by=events.practice_id, order_by=(events.at, events.id))
    conditions = [events.action.in_(("submit", *DECISIONS)),
                  _in_scope(Practice.country, scope)]
    if period is not None:  # only the trails of practices decided on in the period
        conditions.append(events.practice_id.in_(select(AuditEntry.practice_id).where(
            AuditEntry.action.in_(DECISIONS), AuditEntry.at >= period[0],
            AuditEntry.at < period[1])))
    trail = select(events.action, events.at.label("at"), last_submit.label("submitted"))
    if scope.countries is not None:  # the whole network needs no practice's country
        trail = trail.join(Practice, Practice.id == events.practice_id)
    trail = trail.where(*conditions).subquery()
    decided = [trail.c.action.in_(DECISIONS)]
    if period is not None:
        decided += [trail.c.at >= period[0], trail.c.at < period[1]]
    days = _days_between(session, trail.c.submitted, trail.c.at).label("days")
    durations = select(days).where(*decided).subquery()
    ranked = select(durations.c.days,
                    func.row_number().over(order_by=durations.c.days).label("rank"),
                    func.count().over().label("n")).where(durations.c.days.is_not(None)
                                                          ).subquery()
    n = ranked.c.n
    median_rank, p90_rank = (n + 1) // 2, (9 * n + 9) // 10
    stmt = select(ranked.c.days, ranked.c.rank == median_rank, ranked.c.rank == p90_rank,
                  n).where(or_(ranked.c.rank == median_rank, ranked.c.rank == p90_rank))
    median = p90 = None
    decisions = 0
    for value, is_median, is_p90, n_rows in session.execute(stmt):
        decisions = n_rows
        if is_median:
            median = round(float(value), 1)
        if is_p90:
            p90 = round(float(value), 1)
    return decisions, median, p90


def _days_between(session: Session, start, end):
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return extract("epoch", end - start) / 86400.0


def by_country(session: Session, scope: Scope) -> list[tuple[str, int, int, int, int]]:
    """Return per country of the scope: (country, certified members, public practices,
    promising, flagged for policy), countries with any of them, by code."""
    status_count = lambda s: func.sum(case((Practice.status == s, 1), else_=0))  # noqa: E731
    practices = session.execute(
        select(Practice.country, func.count(), status_count(Status.PROMISING),
               status_count(Status.FLAGGED_FOR_POLICY))
        .where(_public(scope, None), Practice.country.is_not(None))
        .group_by(Practice.country)).all()
    members = dict(session.execute(
        select(Institution.country, func.count())
        .where(Institution.membership == Membership.MEMBER, _in_scope(Institution.country, scope))
        .group_by(Institution.country)).all())
    rows = {c: (c, members.get(c, 0), n, int(p or 0), int(f or 0)) for c, n, p, f in practices}
    for country, n in members.items():
        rows.setdefault(country, (country, n, 0, 0, 0))
    return [rows[c] for c in sorted(rows)]


def present_codes(rows: Sequence[tuple[str, int]]) -> set[str]:
    """Return the codes of rows with a count above zero."""
    return {code for code, n in rows if n}
