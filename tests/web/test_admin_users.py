"""The administrators' user pages: only administrators see them; accounts are listed, created,
given roles, deactivated and given new passwords, and bad input changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from practices.models import User
from tests.factories import make_institution
from tests.web.helpers import login_as
from tests.web.html_page import parse, unlabelled_controls

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/users/1"]


@pytest.fixture
def admin(client, make_account):
    """Sign `client` in as an administrator; return the account."""
    account = make_account("administrator")
    login_as(client, account)
    return account


def _users(app) -> dict[str, User]:
    with app.app_context():
        return {u.email: u for u in get_session().scalars(select(User))}


def _shown_password(response) -> str:
    return parse(response.data).one("input", id="new-password")["value"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_visitors_are_sent_to_sign_in(client, make_account, path):
    make_account("administrator")

    response = client.get(path)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize("role", ["school_editor", "national_coordinator", "curator"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_other_roles_may_not_see_the_user_pages(client, make_account, role, path):
    make_account("administrator")  # user 1
    login_as(client, make_account(role, country="FR" if role == "national_coordinator" else None))

    response = client.get(path)

    assert response.status_code == 403
    assert "may not manage user accounts" in parse(response.data).one("main").text


def test_other_roles_may_not_change_accounts(app, client, make_account):
    target = make_account("school_editor")
    login_as(client, make_account("curator"))

    posts = [client.post(f"/admin/users/{target.id}/role", data={"role": "administrator"}),
             client.post(f"/admin/users/{target.id}/active", data={"active": "0"}),
             client.post(f"/admin/users/{target.id}/password"),
             client.post("/admin/users/new", data={"email": "x@test.example",
                                                   "role": "administrator"})]

    assert [r.status_code for r in posts] == [403] * 4
    stored = _users(app)[target.email]
    assert (stored.role, stored.active, len(_users(app))) == ("school_editor", True, 2)


@pytest.mark.postgres
def test_the_list_filters_by_role_and_text_and_pages(app, client, admin, make_account):
    for n in range(55):
        make_account("curator", email=f"curator-{n:02d}@test.example")
    make_account("national_coordinator", country="BR", email="nc@test.example")

    curators = parse(client.get("/admin/users?role=curator").data)
    second = parse(client.get("/admin/users?role=curator&page=2").data)
    found = parse(client.get("/admin/users?q=NC@").data)

    assert curators.one("p", role="status").text == "55 accounts"
    assert len(curators.one("tbody").find_all("tr")) == 50
    assert "Page 1 of 2" in curators.one("nav", class_="pagination").text
    assert len(second.one("tbody").find_all("tr")) == 5
    assert [a.text for a in found.one("tbody").find_all("a")] == ["nc@test.example"]
    assert unlabelled_controls(curators) == []


def test_a_new_account_gets_a_password_shown_once_that_signs_in(app, client, admin):
    with app.app_context():
        school = make_institution(get_session(), name="Escola Verde", country="BR")
        get_session().commit()

    response = client.post("/admin/users/new", data={
        "email": "Editor@Escola.example", "name": "Rui", "role": "school_editor",
        "institution_id": str(school.id), "country": "",
    })  # fmt: skip

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = _shown_password(response)
    created = _users(app)["editor@escola.example"]
    assert (created.role, created.institution_id, created.name) == ("school_editor", school.id,
                                                                     "Rui")
    assert password not in created.password_hash
    assert login_as(app.test_client(), created, password=password).status_code == 302


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"role": "school_editor"}, "institution_id", "a school editor needs the institution"),
    ({"role": "national_coordinator"}, "country", "a National Coordinator needs the country"),
    ({"role": "curator", "institution_id": "999"}, "institution_id", "no institution 999"),
    ({"role": "administrator", "country": "FR"}, "country", "an administrator has no country"),
    ({"role": "superuser"}, "role", "Not a valid choice"),
    ({"role": "curator", "country": "ZZ"}, "country", "Not a valid choice"),
    ({"role": "curator", "institution_id": "abc"}, "institution_id", "Not a valid integer"),
    ({"role": "curator", "email": "nobody"}, "email", "is not an e-mail address"),
    ({"role": "curator", "email": ""}, "email", "Enter an e-mail address."),
])  # fmt: skip
def test_a_refused_new_account_says_why_and_creates_nothing(app, client, admin, form, field,
                                                           message):
    data = {"email": "new@test.example", "name": "", "country": "", **form}

    response = client.post("/admin/users/new", data=data)

    assert response.status_code == 422
    assert message in parse(response.data).one("span", id=f"{field}-error").text
    assert set(_users(app)) == {admin.email}


def test_a_role_change_is_saved_and_signs_the_person_out(app, client, admin, make_account):
    editor = make_account("school_editor")
    their_browser = app.test_client()
    login_as(their_browser, editor)

    response = client.post(f"/admin/users/{editor.id}/role",
                           data={"role": "national_coordinator", "country": "SN"})

    assert response.status_code == 302
    stored = _users(app)[editor.email]
    assert (stored.role, stored.country, stored.institution_id) == ("national_coordinator",
                                                                    "SN", None)
    assert their_browser.get("/account").status_code == 302


def test_a_refused_role_change_changes_nothing(app, client, admin, make_account):
    editor = make_account("school_editor")

    response = client.post(f"/admin/users/{editor.id}/role", data={"role": "national_coordinator"})

    assert response.status_code == 422
    assert "needs the country" in parse(response.data).one("div", class_="error-summary").text
    assert _users(app)[editor.email].role == "school_editor"


@pytest.mark.postgres
def test_deactivation_ends_sessions_and_sign_in_until_reactivated(app, client, admin,
                                                                  make_account):
    editor = make_account("school_editor")
    their_browser = app.test_client()
    login_as(their_browser, editor)

    client.post(f"/admin/users/{editor.id}/active", data={"active": "0", "confirmed": "yes"})

    assert their_browser.get("/account").status_code == 302
    assert login_as(app.test_client(), editor).status_code == 422
    client.post(f"/admin/users/{editor.id}/active", data={"active": "1"})
    assert login_as(app.test_client(), editor).status_code == 302


def test_the_last_administrator_cannot_be_deactivated(app, client, admin):
    response = client.post(f"/admin/users/{admin.id}/active",
                           data={"active": "0", "confirmed": "yes"})

    assert response.status_code == 409
    assert "last active administrator" in parse(response.data).one("main").text
    assert _users(app)[admin.email].active


def test_a_forged_activity_value_changes_nothing(app, client, admin, make_account):
    editor = make_account("school_editor")

    response = client.post(f"/admin/users/{editor.id}/active", data={"active": "maybe"})

    assert response.status_code == 422
    assert _users(app)[editor.email].active


def test_a_password_reset_shows_a_new_password_and_ends_sessions(app, client, admin,
                                                                 make_account):
    editor = make_account("school_editor")
    their_browser = app.test_client()
    login_as(their_browser, editor)

    response = client.post(f"/admin/users/{editor.id}/password", data={"confirmed": "yes"})

    assert response.headers["Cache-Control"] == "no-store"
    password = _shown_password(response)
    assert their_browser.get("/account").status_code == 302
    assert login_as(app.test_client(), editor).status_code == 422
    assert login_as(app.test_client(), editor, password=password).status_code == 302


def test_an_unknown_account_is_not_found(client, admin):
    assert client.get("/admin/users/999").status_code == 404
    assert client.post("/admin/users/999/password").status_code == 404

