"""The in-process deliverer: a small thread that sends the outbox after a commit queued mail.

Used when MAIL_DELIVERY = "thread" (the embedded default): the thread starts on a process's
first request (so in a web worker, never in a gunicorn master before it forks, nor in a
command; a process that inherited a thread's state by fork starts its own), wakes after each
commit that queued mail and every MAIL_POLL_SECONDS for retries, and never lets an
error out. With MAIL_DELIVERY = "command", `flask mail deliver --loop` does the same job in
its own process (and nothing is sent from web workers).

This is the one place to hand delivery to a shared job runner instead (kick()).
"""
from __future__ import annotations

import logging
import os
import threading

from flask import Flask

log = logging.getLogger(__name__)


class BackgroundDeliverer:
    """One per app: kick() wakes (or starts) the delivery thread of this process."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def kick(self) -> None:
        """Ask for a delivery pass soon (called after a commit that queued mail).

        Only where a request started the thread (a web worker): a command's process may end
        any moment, so what it queued waits for a worker's next pass or `flask mail deliver`.
        """
        if self._thread is not None and self._pid == os.getpid():
            self._wake.set()

    def ensure_started(self) -> None:
        """Start this process's delivery thread unless it runs (cheap when it does)."""
        if self._thread is not None and self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's thread does not exist here
                self._thread, self._pid = None, os.getpid()
                self._wake, self._stop = threading.Event(), threading.Event()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="mail-deliverer",
                                                daemon=True)
                self._wake.set()  # a first pass at once: commands may have queued mail
                self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread after its current pass (tests, shutdown)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from app.db import get_session
        from app.mail.delivery import deliver_pending

        poll = self.app.config["MAIL_POLL_SECONDS"]
        while not self._stop.is_set():
            self._wake.wait(poll)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                with self.app.app_context():
                    while deliver_pending(get_session()).sent:
                        pass  # more may have been queued meanwhile
            except Exception:  # a bad row or database hiccup must not end the thread
                log.exception("the mail deliverer's pass failed; it tries again later")
