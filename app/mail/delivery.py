"""The deliverer: sends the outbox's due rows, one by one, outside any request.

Each row is claimed first (an UPDATE that succeeds for one deliverer only: status pending,
due, not claimed by a live deliverer), committed, then sent, then marked sent. So two
deliverers (the in-process one of each worker, `flask mail deliver`) never send one row
twice, and no database lock is held while the SMTP server is talked to. A deliverer that
dies between sending and marking leaves a claim that expires after MAIL_CLAIM_SECONDS; the
row is then sent again with the same Message-ID (at least once, never lost).

When sending fails (server down, refused), the row is retried after MAIL_RETRY_SECONDS x
2^(attempts-1) (exponential backoff); after MAIL_MAX_ATTEMPTS it is marked failed, logged
at ERROR, and listed on the administrators' outbox page.
"""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.mail.compose import compose
from app.mail.extension import mail
from practices.models import Delivery, Notification, User, utcnow
from practices.notifications import KINDS
from practices.services import settings_of

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one pass of the deliverer did (row ids by outcome)."""

    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sent or self.retried or self.failed or self.skipped)


def deliver_pending(session: Session, *, now: datetime | None = None,
                    limit: int = 200) -> DeliveryReport:
    """Send every due outbox row (at most `limit`); commit after each step.

    Call inside an app context. Stops the pass at the first connection failure (the other
    due rows wait for their next attempt rather than each waiting for a timeout).
    """
    report = DeliveryReport()
    now = now or utcnow()
    connection = None
    try:
        for row_id in _due(session, now, limit):
            row = _claim(session, row_id, now)
            message = _message(session, row, report) if row is not None else None
            if message is None:
                continue
            try:
                if connection is None:
                    connection = mail.get_connection(fail_silently=False)
                    connection.open()
                connection.send_messages([message])
            except (OSError, smtplib.SMTPException) as exc:
                _failed(session, row, exc, now, report)
                break
            row.status, row.sent_at, row.claimed_until = Delivery.SENT, utcnow(), None
            row.subject = str(message.subject)[:300]
            session.commit()
            report.sent.append(row.id)
    finally:
        _close(connection)
    return report


def _close(connection) -> None:
    if connection is None:
        return
    try:
        connection.close()
    except (OSError, smtplib.SMTPException):
        pass


def _due(session: Session, now: datetime, limit: int) -> list[int]:
    stmt = (
        select(Notification.id)
        .where(Notification.status == Delivery.PENDING, Notification.next_attempt_at <= now,
               or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )
    ids = list(session.scalars(stmt))
    session.rollback()  # end the read transaction: each claim is its own
    return ids


def _claim(session: Session, row_id: int, now: datetime) -> Notification | None:
    lease = now + timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    claimed = session.execute(
        update(Notification)
        .where(Notification.id == row_id, Notification.status == Delivery.PENDING,
               or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
        .values(claimed_until=lease, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if claimed != 1:
        return None  # another deliverer has it
    return session.get(Notification, row_id, populate_existing=True)


def _message(session: Session, row: Notification, report: DeliveryReport):
    user = session.get(User, row.recipient_id)
    spec = KINDS.get(row.kind)  # unknown: compose() fails and the row is reported below
    muted = spec is not None and spec.optional and row.kind in (
        settings_of(session, row.recipient_id).muted_kinds or [])
    inactive = (user is not None and not user.active
                and not (spec is not None and spec.to_inactive))
    if user is None or inactive or muted:
        # Unsubscribed or deactivated since it was queued: nothing to send any more.
        row.status, row.claimed_until = Delivery.SKIPPED, None
        session.commit()
        report.skipped.append(row.id)
        return None
    try:
        with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
            return compose(row, user)
    except Exception as exc:  # a row that cannot be written must not stop the others
        log.exception("e-mail %s (%s) cannot be composed; marked failed", row.id, row.kind)
        row.status, row.claimed_until = Delivery.FAILED, None
        row.last_error = f"cannot be composed: {type(exc).__name__}: {exc}"[:2000]
        session.commit()
        report.failed.append(row.id)
        return None


def _failed(session: Session, row: Notification, exc: Exception, now: datetime,
            report: DeliveryReport) -> None:
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    row.claimed_until = None
    if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status = Delivery.FAILED
        report.failed.append(row.id)
        log.error("e-mail %s (%s to user %s) given up after %d attempts: %s", row.id, row.kind,
                  row.recipient_id, row.attempts, row.last_error)
    else:
        delay = current_app.config["MAIL_RETRY_SECONDS"] * 2 ** (row.attempts - 1)
        row.next_attempt_at = now + timedelta(seconds=delay)
        report.retried.append(row.id)
        log.warning("e-mail %s not sent (attempt %d), next try in %d s: %s", row.id,
                    row.attempts, delay, row.last_error)
    session.commit()
