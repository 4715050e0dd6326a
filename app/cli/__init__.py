"""Operator commands: `flask db ...`, `flask practices ...`, `flask search-index ...`,
`flask users ...`, `flask mail ...`, `flask jobs ...`.

Commands translate the command line and call the same services as the pages and the API; each
commits once. Problems are reported as "Error: ..." on stderr with exit code 1; progress bars
go to stderr and only appear on a terminal. Only commands act as the system
(practices.permissions.SYSTEM); pages and the API act as the signed-in person.
"""
from __future__ import annotations

from flask import Flask

from app.cli.database import db_cli
from app.cli.index import index_cli
from app.cli.jobs import jobs_cli
from app.cli.mail import mail_cli
from app.cli.practices import practices_cli
from app.cli.users import users_cli


def init_app(app: Flask) -> None:
    """Register the command groups with the app's `flask` command."""
    for group in (db_cli, practices_cli, index_cli, users_cli, mail_cli, jobs_cli):
        app.cli.add_command(group)
