"""Membership statuses on the institutions page: curators and administrators certify, suspend
and reinstate; a suspended member's practices leave search; forged input changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from practices.models import AuditEntry, Institution, Practice
from tests.web.helpers import found_ids, login_as
from tests.web.html_page import parse, unlabelled_controls


def _institution_of(app, practice_id: int) -> Institution:
    with app.app_context():
        return get_session().get(Practice, practice_id).institution


def _set(client, institution_id: int, membership: str, note: str = "", **extra):
    """Post the membership form of the list, as confirmed on its confirmation page."""
    return client.post(f"/admin/institutions/{institution_id}/membership",
                       data={"membership": membership, "note": note, "confirmed": "yes",
                             **extra})


@pytest.mark.parametrize("role", ["curator", "administrator"])
def test_curators_and_administrators_see_memberships(client, make_account, add_practice, role):
    add_practice(institution={"name": "Escuela Norte", "country": "AR"}, country="AR")
    login_as(client, make_account(role))

    doc = parse(client.get("/admin/institutions").data)

    row = doc.one("tbody").one("tr")
    assert "Escuela Norte" in row.text and "Argentina" in row.text
    assert "certified member" in row.text
    assert unlabelled_controls(doc) == []


@pytest.mark.parametrize("role", ["school_editor", "national_coordinator"])
def test_other_roles_may_not_change_memberships(app, client, make_account, add_practice, role):
    practice_id = add_practice(institution={"name": "Escuela Norte", "country": "AR"})
    institution = _institution_of(app, practice_id)
    login_as(client, make_account(role, country="AR" if role == "national_coordinator" else None))

    assert client.get("/admin/institutions").status_code == 403
    assert _set(client, institution.id, "suspended").status_code == 403
    assert _institution_of(app, practice_id).membership == "member"


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/admin/institutions").headers["Location"].startswith("/auth/login")


@pytest.mark.postgres
def test_a_suspended_members_practices_leave_search_until_reinstated(app, client, make_account,
                                                                     add_practice):
    practice_id = add_practice(title="Tango for beginners", country="AR",
                               institution={"name": "Escuela Norte", "country": "AR"})
    institution = _institution_of(app, practice_id)
    login_as(client, make_account("curator"))
    assert found_ids(app, "tango") == [practice_id]

    response = _set(client, institution.id, "suspended", note="Certificate expired")

    assert response.status_code == 302
    assert "Escuela Norte is now: suspended." in parse(client.get("/").data).text
    assert found_ids(app, "tango") == []
    assert client.get(f"/practices/{practice_id}").status_code == 404
    _set(client, institution.id, "member")
    assert found_ids(app, "tango") == [practice_id]
    with app.app_context():
        notes = get_session().scalars(select(AuditEntry.note).where(
            AuditEntry.action == "set_membership")).all()
    assert notes == ["Certificate expired", ""]


@pytest.mark.postgres
def test_the_list_filters_by_country_and_membership(app, client, make_account, add_practice):
    add_practice(institution={"name": "Escuela Norte", "country": "AR"}, country="AR")
    kenyan = add_practice(institution={"name": "Nairobi School", "country": "KE"}, country="KE")
    login_as(client, make_account("administrator"))
    _set(client, _institution_of(app, kenyan).id, "applicant")

    by_country = parse(client.get("/admin/institutions?country=KE").data)
    by_status = parse(client.get("/admin/institutions?membership=member").data)
    forged = parse(client.get("/admin/institutions?country=XX&membership=royal").data)

    assert "Nairobi School" in by_country.one("tbody").text
    assert "Escuela Norte" not in by_country.one("tbody").text
    assert [r.find("bdi").text for r in by_status.one("tbody").find_all("tr")] == \
        ["Escuela Norte"]
    assert len(forged.one("tbody").find_all("tr")) == 2  # an unknown filter filters nothing


def test_a_forged_membership_value_changes_nothing(app, client, make_account, add_practice):
    practice_id = add_practice(institution={"name": "Escuela Norte", "country": "AR"})
    institution = _institution_of(app, practice_id)
    login_as(client, make_account("curator"))

    response = _set(client, institution.id, "royal")

    assert response.status_code == 302
    assert "The membership was not changed" in parse(client.get("/").data).text
    assert _institution_of(app, practice_id).membership == "member"


def test_the_page_goes_back_to_the_filtered_list_but_never_elsewhere(app, client, make_account,
                                                                     add_practice):
    institution = _institution_of(app, add_practice(
        institution={"name": "Escuela Norte", "country": "AR"}))
    login_as(client, make_account("curator"))

    local = _set(client, institution.id, "applicant", back="/admin/institutions?country=AR")
    elsewhere = _set(client, institution.id, "member", back="https://evil.example/")

    assert local.headers["Location"] == "/admin/institutions?country=AR"
    assert elsewhere.headers["Location"] == "/admin/institutions"


def test_an_unknown_institution_is_not_found(client, make_account):
    login_as(client, make_account("curator"))

    assert _set(client, 999, "suspended").status_code == 404
