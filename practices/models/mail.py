"""E-mail: the notification outbox and each person's mail settings.

The outbox is transactional: a notification row is added in the same transaction as the
event that causes it, so a committed event always has its message and a rolled-back one
never does; its `key` (one per event and recipient) is unique, so nothing is queued twice.
A deliverer (app/mail/delivery.py) sends pending rows after the commit, never inside the
request.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practices.models.accounts import User
from practices.models.base import Base, UTCDateTime, utcnow


class Delivery(StrEnum):
    """Where an outbox row stands; stored as its string value."""

    PENDING = "pending"  # to be sent by the deliverer (now, or at next_attempt_at)
    HELD = "held"  # waits for the recipient's daily digest (`flask mail digest`)
    SENT = "sent"  # accepted by the mail server (or written to the outbox folder)
    DIGESTED = "digested"  # went out inside a digest (digest_id)
    SKIPPED = "skipped"  # nothing to send any more (recipient unsubscribed or deactivated)
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; last_error says why


class Notification(Base):
    """One message to one person, caused by one event (practices.notifications.KINDS)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "<kind>:<event>:<recipient id>": the same event never queues a second message.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Sent here when set (a new address to confirm), else to the recipient's address.
    to_address: Mapped[str | None] = mapped_column(String(254))
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", ondelete="SET NULL"), index=True
    )
    # The message's values: title, note, language, items of a digest (JSON-safe).
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=Delivery.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # A deliverer claims a row until then; another may take it over afterwards (a crash).
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(300), default="")  # as sent
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship()


class MailSettings(Base):
    """What a person wants to receive, and the address they confirmed.

    No row means the defaults: every kind on, immediate messages, no watch, nothing confirmed.
    """

    __tablename__ = "mail_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    muted_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A National Coordinator's choice: submissions once a day (True) or one by one.
    daily_digest: Mapped[bool] = mapped_column(default=False)
    # A curator's watch: published practices with one of these themes and countries (an
    # empty list matches any; both empty: no watch).
    watch_themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    watch_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The address whose confirmation link was followed: the account's address is confirmed
    # while it equals this one (a change of address needs a new confirmation).
    confirmed_email: Mapped[str | None] = mapped_column(String(254))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
