"""`flask users ...` and the demo accounts of `flask practices seed-demo`: accounts made from the
command line can sign in, and every mistake is one clear line with a failing exit code."""
from __future__ import annotations

import os
import stat

import pytest

from app.db import get_session
from practices.services import authenticate
from tests.factories import make_institution


def _institution(app, country="FR", membership="member") -> int:
    with app.app_context():
        session = get_session()
        institution = make_institution(session, country=country, membership=membership)
        session.commit()
        return institution.id


def _signs_in(app, email, password) -> bool:
    with app.app_context():
        return authenticate(get_session(), email, password) is not None


def _printed_password(output: str) -> str:
    return output.split("password (shown once): ", 1)[1].split()[0]


def test_create_prints_a_generated_password_that_signs_in(app, runner):
    school = _institution(app)

    result = runner.invoke(args=["users", "create", "Editor@School.example", "--role",
                                 "school_editor", "--institution", str(school), "--name", "Ana"])

    assert result.exit_code == 0, result.output
    assert f"created editor@school.example (school_editor, institution {school}" in result.output
    assert _signs_in(app, "editor@school.example", _printed_password(result.output))


def test_create_can_read_the_password_from_standard_input(app, runner):
    password = "a long passphrase typed by the operator"

    result = runner.invoke(args=["users", "create", "nc@test.example", "--role",
                                 "national_coordinator", "--country", "ke", "--password-stdin"],
                           input=password + "\n")

    assert result.exit_code == 0, result.output
    assert "password" not in result.output.replace("--password", "")
    assert "nc@test.example (national_coordinator, KE)" in result.output
    assert _signs_in(app, "nc@test.example", password)


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "teacher"],
     "--role: unknown role 'teacher'; choose school_editor, national_coordinator, curator, "
     "administrator"),
    (["--role", "national_coordinator", "--country", "XX"], "--country:"),
    (["--role", "national_coordinator"], "--country: a National Coordinator needs the country"),
    (["--role", "school_editor"], "--institution: a school editor needs the institution"),
    (["--role", "school_editor", "--institution", "999"], "--institution: there is no "
                                                          "institution 999"),
    (["--role", "administrator", "--country", "FR"], "--country: an administrator has no country"),
])  # fmt: skip
def test_create_explains_a_wrong_role_or_scope_in_one_line(app, runner, args, message):
    result = runner.invoke(args=["users", "create", "someone@test.example", *args])

    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert message in result.output
    assert "someone@test.example" not in runner.invoke(args=["users", "list"]).output


@pytest.mark.postgres
def test_create_refuses_an_address_twice_and_a_bad_address(runner):
    assert runner.invoke(args=["users", "create", "c@test.example", "--role", "curator"]
                         ).exit_code == 0
    again = runner.invoke(args=["users", "create", "C@test.example", "--role", "curator"])
    bad = runner.invoke(args=["users", "create", "not-an-address", "--role", "curator"])

    assert again.exit_code == bad.exit_code == 1
    assert again.output == "Error: EMAIL: c@test.example already has an account\n"
    assert bad.output == "Error: EMAIL: 'not-an-address' is not an e-mail address\n"


def test_create_refuses_a_short_password_from_standard_input(runner):
    result = runner.invoke(args=["users", "create", "c@test.example", "--role", "curator",
                                 "--password-stdin"], input="short\n")

    assert result.exit_code == 1
    assert result.output.startswith("Error: password: must be at least 15 characters")


@pytest.mark.postgres
def test_list_shows_accounts_with_role_scope_and_status(app, runner):
    school = _institution(app, country="BR")
    runner.invoke(args=["users", "create", "b@test.example", "--role", "school_editor",
                        "--institution", str(school)])
    runner.invoke(args=["users", "create", "a@test.example", "--role", "curator"])

    everyone = runner.invoke(args=["users", "list"])
    editors = runner.invoke(args=["users", "list", "--role", "school_editor"])
    wrong = runner.invoke(args=["users", "list", "--role", "teacher"])

    lines = everyone.stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == ["a@test.example", "b@test.example"]
    assert f"\tschool_editor, institution {school}: " in lines[1]
    assert lines[1].endswith("\tactive")
    assert "2 account(s)" in everyone.stderr
    assert [line.split("\t")[1] for line in editors.stdout.splitlines()] == ["b@test.example"]
    assert wrong.exit_code == 1 and "--role: unknown role 'teacher'" in wrong.output


def test_set_role_changes_role_and_scope(app, runner):
    runner.invoke(args=["users", "create", "x@test.example", "--role", "curator"])

    result = runner.invoke(args=["users", "set-role", "X@test.example", "--role",
                                 "national_coordinator", "--country", "SN"])

    assert result.exit_code == 0, result.output
    assert result.output == "x@test.example is now national_coordinator, SN\n"
    unknown = runner.invoke(args=["users", "set-role", "nobody@test.example", "--role", "curator"])
    assert unknown.exit_code == 1 and unknown.output == (
        "Error: EMAIL: there is no account nobody@test.example\n")


def test_deactivate_stops_sign_in_and_keeps_the_last_administrator(app, runner):
    password = "a long passphrase typed by the operator"
    for email, role in (("x@test.example", "curator"), ("admin@test.example", "administrator")):
        runner.invoke(args=["users", "create", email, "--role", role, "--password-stdin"],
                      input=password + "\n")

    result = runner.invoke(args=["users", "deactivate", "x@test.example"])
    last_admin = runner.invoke(args=["users", "deactivate", "admin@test.example"])

    assert result.exit_code == 0 and not _signs_in(app, "x@test.example", password)
    assert last_admin.exit_code == 1
    assert "admin@test.example is the last active administrator" in last_admin.output
    assert _signs_in(app, "admin@test.example", password)


@pytest.mark.postgres
def test_seed_demo_prints_demo_accounts_of_every_role_once(app, app_config, runner):
    first = runner.invoke(args=["practices", "seed-demo"])

    assert first.exit_code == 0, first.output
    listed = [line.split() for line in first.output.splitlines() if line.startswith("  ")]
    assert {row[2] for row in listed} == {"administrator", "curator", "national_coordinator",
                                          "school_editor"}
    email, password = listed[0][0], listed[0][1]
    assert _signs_in(app, email, password)
    path = app_config["DEMO_ACCOUNTS_FILE"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, encoding="utf-8") as stream:
        assert f"{email}\t{password}\t" in stream.read()
    again = runner.invoke(args=["practices", "seed-demo"])
    assert again.exit_code == 0 and "demo accounts" not in again.output
