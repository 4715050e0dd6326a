"""Accounts: creation with a role and its scope, signing in and out, passwords, editing."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles
from factories import PASSWORD, make_institution, make_user
from sqlalchemy import select

from practices import passwords
from practices.errors import Conflict, PermissionDenied, ValidationError
from practices.models import AuditEntry, User
from practices.permissions import SYSTEM
from practices.roles import Role
from practices.services import (
    authenticate,
    change_password,
    create_user,
    end_sessions,
    list_users,
    load_user,
    set_active,
    set_password,
    set_role,
    update_profile,
)

pytestmark = pytest.mark.postgres


def errors_of(call) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.errors


def test_an_account_is_stored_with_a_lower_case_address_and_an_argon2id_hash(session):
    school = make_institution(session)
    user = create_user(
        session, "  Anne.Martin@Example.ORG ", "school_editor", password=PASSWORD,
        institution_id=school.id, actor=SYSTEM,
    )  # fmt: skip
    assert user.email == "anne.martin@example.org"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert user.scope_country == school.country


def test_each_role_gets_the_scope_it_needs_and_no_other(session):
    school = make_institution(session, country="FR")

    def errors(role, **scope):
        return errors_of(lambda: create_user(session, "x@test.example", role, password=PASSWORD,
                                             **scope, actor=SYSTEM))  # fmt: skip

    assert errors("school_editor") == {
        "institution_id": "a school editor needs the institution it writes for"
    }
    assert errors("national_coordinator") == {
        "country": "a National Coordinator needs the country it coordinates"
    }
    assert set(errors("national_coordinator", country="DE", institution_id=school.id)) == {
        "institution_id"
    }
    assert set(errors("curator", country="FR")) == {"country"}
    assert set(errors("administrator", institution_id=school.id)) == {"institution_id"}
    assert set(errors("pope", country="VA")) == {"role"}
    assert set(errors("national_coordinator", country="XX")) == {"country"}


def test_bad_addresses_passwords_and_duplicates_are_all_reported(session):
    make_user(session, Role.CURATOR, email="taken@test.example")
    assert set(errors_of(lambda: create_user(session, "nope", "curator", password="short",
                                             actor=SYSTEM))) == {
        "email", "password",
    }  # fmt: skip
    duplicate = errors_of(lambda: create_user(session, "TAKEN@test.example", "curator",
                                              password=PASSWORD, actor=SYSTEM))  # fmt: skip
    assert duplicate == {"email": "taken@test.example already has an account"}


def test_only_administrators_create_accounts_on_the_web(session):
    curator = make_user(session, Role.CURATOR)
    with pytest.raises(PermissionDenied):
        create_user(session, "new@test.example", "curator", password=PASSWORD, actor=curator)
    admin = make_user(session, Role.ADMINISTRATOR)
    user = create_user(session, "new@test.example", "curator", password=PASSWORD, actor=admin)
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_label, entry.details["user"]) == (
        "create_user", admin.email, user.email,
    )  # fmt: skip


def test_signing_in_needs_the_right_password_of_an_active_account(session):
    user = make_user(session, Role.CURATOR, email="c@test.example")
    assert authenticate(session, "C@Test.Example", PASSWORD) is user
    assert user.last_login_at is not None
    assert authenticate(session, "c@test.example", PASSWORD + "!") is None
    assert authenticate(session, "nobody@test.example", PASSWORD) is None
    assert authenticate(session, "not an address", PASSWORD) is None
    user.active = False
    assert authenticate(session, "c@test.example", PASSWORD) is None


def test_a_hash_with_outdated_parameters_is_replaced_at_sign_in(session):
    user = make_user(session, Role.CURATOR, email="c@test.example")
    old = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)
    user.password_hash = old
    passwords.use_parameters(profiles.RFC_9106_LOW_MEMORY)
    try:
        assert authenticate(session, "c@test.example", PASSWORD) is user
    finally:
        passwords.use_parameters(profiles.CHEAPEST)
    assert user.password_hash != old and "m=65536,t=3,p=4" in user.password_hash


def test_signing_out_ends_the_session_everywhere(session):
    user = make_user(session, Role.CURATOR)
    identity = user.get_id()
    assert load_user(session, identity) is user
    end_sessions(session, user)
    assert load_user(session, identity) is None
    assert load_user(session, user.get_id()) is user
    for forged in ("", "abc", f"{user.id}", f"{user.id}:x", "999:1"):
        assert load_user(session, forged) is None


def test_changing_ones_password_checks_the_old_one_and_ends_sessions(session):
    user = make_user(session, Role.CURATOR, email="c@test.example")
    identity = user.get_id()
    new = "a brand new long passphrase"
    assert set(errors_of(lambda: change_password(
        session, user, current_password="wrong", new_password=new, actor=user))) == {
        "current_password"}  # fmt: skip
    assert set(errors_of(lambda: change_password(
        session, user, current_password=PASSWORD, new_password="short", actor=user))) == {
        "new_password"}  # fmt: skip
    change_password(session, user, current_password=PASSWORD, new_password=new, actor=user)
    assert load_user(session, identity) is None
    assert authenticate(session, "c@test.example", new) is user
    assert authenticate(session, "c@test.example", PASSWORD) is None


def test_an_administrator_changes_roles_and_the_user_signs_in_again(session):
    admin = make_user(session, Role.ADMINISTRATOR)
    user = make_user(session, Role.CURATOR)
    identity = user.get_id()
    set_role(session, user.id, "national_coordinator", country="ke", actor=admin)
    assert (user.role, user.country) == ("national_coordinator", "KE")
    assert load_user(session, identity) is None
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.from_status, entry.to_status) == (
        "set_role", "curator", "national_coordinator",
    )  # fmt: skip


def test_the_last_administrator_can_neither_leave_nor_be_deactivated(session):
    admin = make_user(session, Role.ADMINISTRATOR)
    with pytest.raises(Conflict, match="last active administrator"):
        set_role(session, admin.id, "curator", actor=admin)
    with pytest.raises(Conflict):
        set_active(session, admin.id, False, actor=admin)
    second = make_user(session, Role.ADMINISTRATOR)
    set_active(session, admin.id, False, actor=second)
    assert not admin.active and load_user(session, admin.get_id()) is None


def test_an_administrator_resets_a_password_and_edits_profiles(session):
    admin = make_user(session, Role.ADMINISTRATOR)
    user = make_user(session, Role.CURATOR, email="c@test.example")
    set_password(session, user.id, "reset by the administrator", actor=admin)
    assert authenticate(session, "c@test.example", "reset by the administrator") is user
    update_profile(session, user.id, name="  Chloé   Dupont ", email="CD@test.example", actor=user)
    assert (user.name, user.email) == ("Chloé Dupont", "cd@test.example")
    with pytest.raises(PermissionDenied):
        update_profile(session, admin.id, name="x", email=admin.email, actor=user)


def test_administrators_list_and_search_accounts(session):
    admin = make_user(session, Role.ADMINISTRATOR, email="admin@test.example")
    make_user(session, Role.CURATOR, email="zoe@test.example")
    make_user(session, Role.NATIONAL_COORDINATOR, country="FR", email="nc@test.example")
    page = list_users(session, actor=admin, per_page=2)
    assert ([u.email for u in page.items], page.total, page.pages) == (
        ["admin@test.example", "nc@test.example"], 3, 2,
    )  # fmt: skip
    assert [u.email for u in list_users(session, actor=admin, query="ZO").items] == [
        "zoe@test.example"
    ]
    assert list_users(session, actor=admin, role="curator").total == 1
    with pytest.raises(PermissionDenied):
        list_users(session, actor=make_user(session, Role.CURATOR))


def test_the_cli_acts_as_the_system(session):
    user = create_user(session, "cli@test.example", "administrator", password=PASSWORD,
                       actor=SYSTEM)  # fmt: skip
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.actor_id, entry.actor_label) == (None, "system")
    assert session.scalars(select(User)).one() is user
