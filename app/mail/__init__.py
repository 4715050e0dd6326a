"""E-mail: Flask-Mailman, the outbox's deliverers, and the pages about mail.

Domain events write notification rows in their own transaction (practices.services.notify);
nothing is sent inside a request. After a commit that queued mail, the in-process deliverer
(background.py; MAIL_DELIVERY = "thread") or `flask mail deliver --loop` (MAIL_DELIVERY =
"command") sends them (delivery.py), each in the recipient's language (compose.py).
MAIL_BACKEND "folder" (the default) writes .eml files to MAIL_OUTBOX_DIR instead of using
SMTP.
"""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from app.mail.extension import mail
from practices.models import Notification

_BACKENDS = {"folder": "app.mail.folder.EmailBackend"}


def init_app(app: Flask, sessions: sessionmaker) -> None:
    """Set up Flask-Mailman and wake the deliverer after each commit that queued mail."""
    backend = app.config.get("MAIL_BACKEND") or "smtp"
    app.config["MAIL_BACKEND"] = _BACKENDS.get(backend, backend)
    mail.init_app(app)
    from app.mail.background import BackgroundDeliverer

    deliverer = BackgroundDeliverer(app)
    app.extensions["mail_deliverer"] = deliverer
    if app.config["MAIL_DELIVERY"] != "thread":
        return
    # Started by a request (so in a web worker, never in a gunicorn master before it forks),
    # it also picks up what commands queued, every MAIL_POLL_SECONDS.
    app.before_request(deliverer.ensure_started)

    @event.listens_for(sessions, "after_flush")
    def _note_queued(session, _context):
        if any(isinstance(obj, Notification) for obj in session.new):
            session.info["mail_queued"] = True

    @event.listens_for(sessions, "after_commit")
    def _deliver(session):
        if session.info.pop("mail_queued", False):
            deliverer.kick()

    @event.listens_for(sessions, "after_soft_rollback")
    def _forget(session, _previous):
        if not session.in_transaction():
            session.info.pop("mail_queued", None)
