"""A Flask-Mailman backend that writes each message to a folder as an .eml file.

The default of `make run` (MAIL_BACKEND = "folder"): whoever runs it reads the messages in
MAIL_OUTBOX_DIR (instance/outbox) with any mail program, or on the administrators' outbox
page (/admin/outbox).
"""
from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from flask import current_app
from flask_mailman.backends.base import BaseEmailBackend

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def outbox_dir() -> str:
    """Return the folder the messages are written to (created when missing)."""
    folder = current_app.config.get("MAIL_OUTBOX_DIR") or os.path.join(
        current_app.instance_path, "outbox")
    os.makedirs(folder, exist_ok=True)
    return folder


class EmailBackend(BaseEmailBackend):
    """Write every message to <MAIL_OUTBOX_DIR>/<UTC time>-<Message-ID>.eml (atomically)."""

    def send_messages(self, email_messages) -> int:
        """Write the messages; return how many were written."""
        folder = outbox_dir()
        for message in email_messages:
            mime = message.message()
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{_UNSAFE.sub('_', mime['Message-ID'] or 'message').strip('_')}.eml"
            path = os.path.join(folder, name)
            with open(path + ".tmp", "wb") as out:
                out.write(mime.as_bytes())
            os.replace(path + ".tmp", path)
        return len(email_messages)
