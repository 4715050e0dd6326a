"""The audit log for curators and administrators: who did what and when, filtered by practice,
user, action and dates, one page at a time, and exported as CSV."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.auth import current_actor, permission_required
from app.bounds import bounded_int, page_number
from app.csv_export import Column, csv_response
from app.db import get_session
from app.labels.vocab import action_label, status_label
from practices.errors import ValidationError
from practices.services import AUDIT_COLUMNS, export_audit, list_audit

bp = Blueprint("audit", __name__)

PER_PAGE = 50
# The actions written to the log, for the filter's choices (free text is accepted too).
KNOWN_ACTIONS = (
    "create", "edit", "submit", "request_changes", "publish", "decline", "withdraw", "promote",
    "flag_for_policy", "archive", "create_user", "set_role", "set_active", "set_password",
    "update_profile", "change_password", "create_token", "revoke_token", "create_institution",
    "set_membership", "attach", "detach", "apply", "recommend_membership",
    "certify_membership", "decline_membership", "partner_interest",
)  # fmt: skip


@dataclass(frozen=True)
class AuditQuery:
    """The filters of the audit page; dates are whole days, `until` included."""

    practice_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    title: str | None = None
    who: str | None = None

    def service_args(self) -> dict:
        """Return the filters as list_audit/export_audit take them (aware UTC datetimes)."""
        return {
            "practice_id": self.practice_id, "user_id": self.user_id, "action": self.action,
            "title": self.title, "who": self.who,
            "since": _start_of(self.since),
            "until": _start_of(self.until + timedelta(days=1)) if self.until else None,
        }  # fmt: skip

    def args(self) -> dict[str, str]:
        """Return the filters as query parameters (for page links and the export)."""
        raw = {"practice": self.practice_id, "user": self.user_id, "action": self.action,
               "since": self.since, "until": self.until, "title": self.title, "who": self.who}
        return {k: str(v) for k, v in raw.items() if v not in (None, "")}


@bp.get("/audit")
@permission_required("view_audit")
def log():
    """Show one page of audit entries, newest first."""
    query = query_from(request.args)
    page = list_audit(
        get_session(), actor=current_actor(), page=page_number(request.args),
        per_page=PER_PAGE, **query.service_args(),
    )  # fmt: skip
    return render_template(
        "audit/log.html", page=page, query=query, actions=KNOWN_ACTIONS,
        export_url=url_for(".export", **query.args()),
    )  # fmt: skip


@bp.get("/audit.csv")
@permission_required("export_audit")
def export():
    """Download the matching audit entries, oldest first, as CSV."""
    query = query_from(request.args)
    rows = export_audit(get_session(), actor=current_actor(), **query.service_args())
    return csv_response(rows, [_CSV_COLUMNS[key] for key in AUDIT_COLUMNS], "audit-log.csv")


# The audit CSV's columns (practices.services.AUDIT_COLUMNS), as people read them.
_CSV_COLUMNS = {column.key: column for column in (
    Column("id", _l("Entry")),
    Column("at", _l("When (UTC)")),
    Column("actor", _l("Who")),
    Column("action", _l("Action"), action_label),
    Column("practice_id", _l("Practice number")),
    Column("revision", _l("Revision")),
    Column("from_status", _l("Status before"), status_label),
    Column("to_status", _l("Status after"), status_label),
    Column("note", _l("Note")),
    Column("details", _l("Details")),
)}


def query_from(args) -> AuditQuery:
    """Read the filters from query parameters.

    Raises:
        ValidationError: a practice or user that is not a number, a date not YYYY-MM-DD.
    """
    errors: dict[str, str] = {}
    query = AuditQuery(
        practice_id=_number(args, "practice", errors), user_id=_number(args, "user", errors),
        action=(args.get("action") or "").strip() or None,
        title=(args.get("title") or "").strip()[:300] or None,
        who=(args.get("who") or "").strip()[:254] or None,
        since=_day(args, "since", errors), until=_day(args, "until", errors),
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    return query


def _number(args, name: str, errors: dict[str, str]) -> int | None:
    raw = (args.get(name) or "").strip()
    number = bounded_int(raw)
    if raw and number is None:
        errors[name] = f"{raw!r} is not a number"
    return number


def _day(args, name: str, errors: dict[str, str]) -> date | None:
    raw = (args.get(name) or "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        errors[name] = f"{raw!r} is not a date; use YYYY-MM-DD"
        return None


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None
