"""An outbox row becomes an e-mail: in the recipient's language, with absolute links.

The words come from practices.notifications.KINDS (translated here); links are absolute,
made from PUBLIC_URL; every optional kind carries an unsubscribe link and the RFC 8058
List-Unsubscribe / List-Unsubscribe-Post headers (one click, no sign-in).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMessage

from app.labels import display, formats
from app.labels.translate import translate
from app.mail import tokens
from practices.i18n import Message
from practices.models import Notification, User
from practices.notifications import KINDS, Page
from practices.services import password_fingerprint


def recipient_language(user: User, row: Notification | None = None) -> str:
    """Return the interface language a message to `user` is written in.

    The one place that decides it: the language the request that caused the message was in
    (a password reset asked for in French), else the account's interface language
    (users.ui_language, once the interface-language work has added it), else
    MAIL_DEFAULT_LANGUAGE; always one of the interface's languages.
    """
    from app.site import ui_languages

    known = ui_languages()
    for wanted in ((row.params or {}).get("language") if row is not None else None,
                   getattr(user, "ui_language", None),
                   current_app.config["MAIL_DEFAULT_LANGUAGE"]):
        if wanted in known:
            return wanted
    return "en"


def _practice_link(endpoint: str) -> Callable[[Notification, User], str]:
    def link(row: Notification, _user: User) -> str:
        if row.practice_id is None:  # the practice was deleted since
            return url_for("find.home", _external=True)
        return url_for(endpoint, practice_id=row.practice_id, _external=True)

    return link


_LINKS: dict[Page, Callable[[Notification, User], str]] = {
    Page.SCHOOL_PRACTICE: _practice_link("workspace.practice"),
    Page.REVIEW: _practice_link("review.practice"),
    Page.PUBLIC: _practice_link("catalog.practice"),
    Page.REVIEW_QUEUE: lambda _row, _user: url_for("review.queue", _external=True),
    Page.RESET_PASSWORD: lambda _row, user: url_for(
        "recovery.reset", token=tokens.reset_token(user.id, password_fingerprint(user)),
        _external=True),
    Page.CONFIRM_EMAIL: lambda row, user: url_for(
        "recovery.confirm", token=tokens.confirm_token(user.id, row.to_address or user.email),
        _external=True),
    Page.PARTNERS: lambda _row, _user: url_for("partners.index", _external=True),
    Page.APPLICATION: lambda row, _user: url_for(
        "join.application", application_id=row.params["application_id"], _external=True),
}
"""The page each practices.notifications.Page opens (absolute URL)."""


def compose(row: Notification, user: User) -> EmailMessage:
    """Return the e-mail of an outbox row, ready to send (call inside app_request_context)."""
    spec = KINDS[row.kind]
    with force_locale(recipient_language(user, row)):
        values = _values(row)
        subject = translate(Message(spec.subject, **values))
        lines = [translate(Message(spec.body, **values)), ""]
        link = _LINKS.get(spec.page)  # Page.NONE: a message without a link
        lines += _digest_lines(row) or ([link(row, user)] if link else [])
        headers = {"Message-ID": message_id(row), "Auto-Submitted": "auto-generated"}
        lines += ["", "-- ", _("Practice Exchange, the ASPnet practice-sharing knowledge base")]
        if spec.optional:
            stop = url_for("mail.unsubscribe", token=tokens.unsubscribe_token(user.id, row.kind),
                           _external=True)
            headers["List-Unsubscribe"] = f"<{stop}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            lines += [_("Stop these messages (%(what)s): %(link)s", what=translate(spec.label),
                        link=stop),
                      _("Choose what you receive: %(link)s",
                        link=url_for("mail.preferences", _external=True))]
    return EmailMessage(subject=subject[:300], body="\n".join(lines) + "\n",
                        to=[row.to_address or user.email], headers=headers)


def _values(row: Notification) -> dict:
    params = dict(row.params or {})
    if params.get("country"):  # an ISO code in the outbox, a name in the reader's language
        params["country"] = display.country_name(params["country"])
    params.setdefault("title", "")
    params.setdefault("note", "")
    params.setdefault("actor", "")
    params.setdefault("count", len(params.get("items", [])))
    params.setdefault("hours", 0)
    params["duration"] = formats.hours_label(params["hours"])
    return params


def _digest_lines(row: Notification) -> list[str]:
    items = (row.params or {}).get("items")
    if not items:
        return []
    lines = [f"- {item['title']}: "
             + url_for("review.practice", practice_id=item["practice_id"], _external=True)
             for item in items]
    return [*lines, "", url_for("review.queue", _external=True)]


def message_id(row: Notification) -> str:
    """Return the row's Message-ID: the same on every attempt, so a message that went out
    twice after a crash is recognisably one message."""
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:16]
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return f"<px.{row.id}.{digest}@{host}>"
