"""`flask mail deliver [--loop]` and `flask mail digest`: the outbox's operator commands."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.db import get_session

mail_cli = AppGroup("mail", help="Send the e-mail outbox and the daily digests.")


@mail_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep running: a pass every --every seconds.")
@click.option("--every", default=10.0, show_default=True, help="Seconds between passes.")
def deliver(loop: bool, every: float) -> None:
    """Send the messages that are due (retrying failed ones when their time has come)."""
    from app.mail.delivery import deliver_pending

    while True:
        report = deliver_pending(get_session())
        if report or not loop:
            click.echo(f"sent {len(report.sent)}, to retry {len(report.retried)}, "
                       f"failed {len(report.failed)}, skipped {len(report.skipped)}")
        if report.failed:
            click.echo("Error: some messages were given up; see /admin/outbox", err=True)
        if not loop:
            if report.failed:
                raise SystemExit(1)
            return
        time.sleep(every)


@mail_cli.command("digest")
def digest() -> None:
    """Gather the submissions held for daily digests into one message per coordinator
    (run it once a day, e.g. from cron); the deliverer sends them."""
    from app.mail.delivery import deliver_pending
    from practices.services import make_digests

    made = make_digests(get_session())
    get_session().commit()
    click.echo(f"digests queued: {len(made)}")
    if current_app.config["MAIL_DELIVERY"] == "thread" and made:
        report = deliver_pending(get_session())  # a command, not a request: send them now
        click.echo(f"sent {len(report.sent)}, to retry {len(report.retried)}")
