"""`flask users ...`: create accounts, list them, change roles, deactivate (acting as SYSTEM).

The commands call the same services as the administration pages. Every problem ends the
command with one "Error: ..." line naming the option at fault, and exit code 1 (click's usage
errors, such as a missing argument, exit with 2).
"""
from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.db import get_session
from practices import Role
from practices import services as practices
from practices.demo import DemoAccount
from practices.errors import PracticeError, ValidationError
from practices.passwords import generate_password
from practices.permissions import SYSTEM

users_cli = AppGroup("users", help="Create and manage user accounts.")

# Domain field -> how the command line names it.
_OPTION_OF = {"email": "EMAIL", "role": "--role", "institution_id": "--institution",
              "country": "--country", "password": "password", "name": "--name"}
ROLES = ", ".join(Role)


def _scope_options(command):
    """Add --role, --institution and --country (what each role needs: create_user)."""
    for option in (
        click.option("--country", metavar="CC",
                     help="ISO 3166-1 alpha-2 code: the country a National Coordinator serves."),
        click.option("--institution", "institution_id", type=int, metavar="ID",
                     help="Institution number: a school editor's institution."),
        click.option("--role", required=True, metavar="ROLE", help=f"One of: {ROLES}."),
    ):
        command = option(command)
    return command


@users_cli.command("create")
@click.argument("email")
@_scope_options
@click.option("--name", default="", help="The person's name.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input (else one is generated and printed).")
def create(email, role, institution_id, country, name, password_stdin):
    """Create an account for EMAIL with a role and its scope."""
    password = _read_password() if password_stdin else generate_password()
    session = get_session()
    user = _call(practices.create_user, session, email, role, password=password, name=name,
                 institution_id=institution_id, country=country, actor=SYSTEM)
    session.commit()
    click.echo(f"created {user.email} ({user.role}{_scope(user)})")
    if not password_stdin:
        click.echo(f"password (shown once): {password}")


@users_cli.command("list")
@click.option("--role", help=f"Only this role ({ROLES}).")
@click.option("--search", help="Only addresses or names containing this text.")
def list_(role, search):
    """List accounts: e-mail address, role, scope, status."""
    if role and role not in set(Role):
        raise click.ClickException(f"--role: unknown role {role!r}; choose {ROLES}")
    session, page_no = get_session(), 1
    while True:
        page = _call(practices.list_users, session, actor=SYSTEM, role=role, query=search,
                     page=page_no, per_page=200)
        for user in page.items:
            status = "active" if user.active else "deactivated"
            click.echo(f"{user.id}\t{user.email}\t{user.role}{_scope(user)}\t{status}")
        if page_no >= page.pages:
            break
        page_no += 1
    click.echo(f"{page.total} account(s)", err=True)


@users_cli.command("set-role")
@click.argument("email")
@_scope_options
def set_role(email, role, institution_id, country):
    """Give the account EMAIL a role and scope; its sessions end."""
    session = get_session()
    user = _call(practices.set_role, session, _find(session, email).id, role, actor=SYSTEM,
                 institution_id=institution_id, country=country)
    session.commit()
    click.echo(f"{user.email} is now {user.role}{_scope(user)}")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Deactivate the account EMAIL: it can no longer sign in or use its API tokens."""
    session = get_session()
    user = _call(practices.set_active, session, _find(session, email).id, False, actor=SYSTEM)
    session.commit()
    click.echo(f"{user.email} is deactivated")


def announce_demo_accounts(accounts: list[DemoAccount]) -> None:
    """Print the demo accounts with their passwords (this is the only time they exist in
    clear) and write them to instance/demo_accounts.txt, readable by its owner only."""
    if not accounts:
        return
    lines = [f"{a.email}\t{a.password}\t{a.role}\t{a.scope}" for a in accounts]
    path = current_app.config.get("DEMO_ACCOUNTS_FILE") or os.path.join(
        current_app.instance_path, "demo_accounts.txt"
    )
    # Created with mode 0600 from the start: no moment when others could read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file keeps its mode through O_TRUNC
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write("# Demo accounts: e-mail, password, role, scope. Sign in at /auth/login.\n")
        stream.write("\n".join(lines) + "\n")
    click.echo(f"demo accounts (passwords shown once; also in {path}):")
    for line in lines:
        click.echo("  " + line.replace("\t", "  "))


def _find(session, email: str):
    """Return the account with this address (any case), or end with an error."""
    try:
        address = practices.normalise_email(email)
    except ValueError as exc:
        raise click.ClickException(f"EMAIL: {exc}") from None
    page = practices.list_users(session, actor=SYSTEM, query=address, per_page=200)
    for user in page.items:
        if user.email == address:
            return user
    raise click.ClickException(f"EMAIL: there is no account {address}")


def _read_password() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise click.ClickException("password: nothing was read from standard input")
    return line


def _scope(user) -> str:
    parts = [user.country] if user.country else []
    if user.institution is not None:
        parts.append(f"institution {user.institution_id}: {user.institution.name}")
    return "".join(f", {part}" for part in parts)


def _call(function, *args, **kwargs):
    """Run a domain service; its errors become one "Error: ..." line naming the options."""
    try:
        return function(*args, **kwargs)
    except ValidationError as exc:
        problems = "; ".join(f"{_OPTION_OF.get(k, k)}: {v}" for k, v in exc.errors.items())
        raise click.ClickException(problems) from None
    except PracticeError as exc:
        raise click.ClickException(str(exc)) from None
