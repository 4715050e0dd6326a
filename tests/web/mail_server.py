"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1) and helpers to read what it
received. Import the `smtp` fixture into a test module to use it."""
from __future__ import annotations

import email
import email.policy
import os
import socket
import threading
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

# Ports tried in turn (this engineer's range; MAIL_TEST_PORTS="first-last" moves it).
_FIRST, _LAST = (int(n) for n in os.environ.get("MAIL_TEST_PORTS", "51400-51499").split("-"))


class Inbox:
    """What the SMTP server received: every message, parsed (email.message.EmailMessage)."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """Return the messages received for `address`, in order."""
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    def wait_for(self, address: str, count: int, timeout: float = 30.0
                 ) -> list[email.message.EmailMessage]:
        """Wait until `count` messages for `address` have arrived (sent by a background
        deliverer); return them, in order. Raises AssertionError after `timeout` seconds,
        listing the subjects of what did arrive."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.to(address)) >= count, timeout):
                got = [(m["X-Envelope-To"], m["Subject"]) for m in self.messages]
                raise AssertionError(f"{count} message(s) to {address} expected within "
                                     f"{timeout} s; the server received {got}")
            return self.to(address)


def free_port() -> int:
    """Return a port of the range nothing listens on."""
    for port in range(_FIRST, _LAST + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_FIRST}-{_LAST}")


class SMTPServer:
    """An aiosmtpd server on one port, started and stopped on demand (a server going down)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        """Start listening (again)."""
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: senders get "connection refused"."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp():
    """A running SMTP server; its `inbox` holds what it received."""
    server = SMTPServer(free_port())
    server.start()
    yield server
    server.stop()


def mail_config(port: int) -> dict:
    """App settings that send through the test SMTP server on `port`."""
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
            "MAIL_TIMEOUT": 5, "PUBLIC_URL": "http://practices.test"}


def subject(message) -> str:
    """Return a received message's subject as a mail program shows it.

    A long encoded subject (Arabic, for one) is folded from the header's first line on
    ("Subject: \\n =?utf-8?b?...?="); Python's parser keeps the fold's space in front, mail
    programs do not.
    """
    return str(message["Subject"]).strip()


def body(message) -> str:
    """Return the plain-text body of a received message."""
    return message.get_body(("plain",)).get_content()


def links(message) -> list[str]:
    """Return the links of a message's body, in order."""
    return [word for word in body(message).split() if word.startswith("http")]


def path_of(url: str) -> str:
    """Return the path (and query) of an absolute link, to follow it with a test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
