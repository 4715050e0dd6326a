"""Joining the network without an administrator, as the people involved notice it: a school
applies on a public form, its National Coordinator is told and recommends it, the Unit is told
and certifies it, the school's editor gets a link to choose a password and signs in; a
declined application tells the school why; a second click changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import get_session
from app.labels.interface_language import locale_for
from app.mail.delivery import deliver_pending
from practices.models import AuditEntry, Institution, MembershipApplication, User
from tests.web.helpers import login_as, new_user
from tests.web.html_page import parse
from tests.web.mail_server import body, links, mail_config, path_of, smtp  # noqa: F401

APPLICATION = {
    "name": "Escuela Rural Los Andes", "country": "PE", "city": "Cusco",
    "levels": ["primary"], "sector": "public", "locality": "rural",
    "editor_name": "Rosa Quispe", "editor_email": "rosa@escuela.example",
    "motivation": "Trabajamos la educación para el desarrollo sostenible con las familias.",
}  # fmt: skip


@pytest.fixture
def app_config(app_config, smtp):  # noqa: F811
    return {**app_config, **mail_config(smtp.port)}


def deliver(app):
    with app.app_context():
        return deliver_pending(get_session())


def application_id(app) -> int:
    with app.app_context():
        return get_session().scalar(select(MembershipApplication.id))


def signed_in(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def test_a_school_applies_is_recommended_certified_and_its_editor_signs_in(app, smtp):  # noqa: F811
    coordinator = new_user(app, "national_coordinator", country="PE")
    curator = new_user(app, "curator")
    visitor = app.test_client()

    sent = visitor.post("/join", data=APPLICATION, headers={"Accept-Language": "fr"})
    assert sent.status_code == 303
    assert "Application sent" in visitor.get(sent.headers["Location"]).get_data(as_text=True)
    deliver(app)
    [to_nc] = smtp.inbox.to(coordinator.email)
    assert "Escuela Rural Los Andes" in to_nc["Subject"]
    page = path_of(links(to_nc)[0])

    nc = signed_in(app, coordinator)
    assert "Escuela Rural Los Andes" in nc.get("/applications").get_data(as_text=True)
    assert "Cusco" in nc.get(page).get_data(as_text=True)
    done = nc.post(page + "/recommend", data={"note": "Una escuela activa en EDS."})
    assert done.status_code == 303
    deliver(app)
    [to_unit] = smtp.inbox.to(curator.email)
    assert "Una escuela activa en EDS." in body(to_unit)

    unit = signed_in(app, curator)
    assert unit.post(page + "/certify", data={"confirm": "y"}).status_code == 303
    deliver(app)
    [welcome] = smtp.inbox.to(APPLICATION["editor_email"])
    assert "Escuela Rural Los Andes" in welcome["Subject"]
    assert "Bienvenue dans le réseau" in welcome["Subject"]  # in the language the school applied in
    link = path_of(links(welcome)[0])
    password = "una contraseña larga y nueva"
    chosen = visitor.post(link, data={"new_password": password, "confirm": password})
    assert chosen.status_code == 302

    school = app.test_client()
    rosa = type("Who", (), {"email": APPLICATION["editor_email"]})
    assert login_as(school, rosa, password).status_code == 302
    assert school.get("/my/practices").status_code == 200
    with app.app_context():
        institution = get_session().scalar(select(Institution))
        assert institution.membership == "member"
        # Later messages (a request for changes...) speak the language the school applied in.
        editor = get_session().scalar(select(User).where(User.email == rosa.email))
        assert locale_for(editor) == "fr"


def test_an_editor_cannot_sign_in_before_certification(app, smtp):  # noqa: F811
    client = app.test_client()
    client.post("/join", data=APPLICATION)
    with app.app_context():
        editor = get_session().scalar(select(User).where(User.email == APPLICATION["editor_email"]))
        assert editor.active is False


def test_a_declined_application_tells_the_school_why(app, smtp):  # noqa: F811
    coordinator = new_user(app, "national_coordinator", country="PE")
    app.test_client().post("/join", data=APPLICATION, headers={"Accept-Language": "fr"})
    nc = signed_in(app, coordinator)
    page = f"/applications/{application_id(app)}"

    unconfirmed = nc.post(page + "/decline", data={"reason": "Falta la carta de la dirección."})
    assert unconfirmed.status_code == 422  # a decline cannot be undone: it asks to confirm
    declined = nc.post(page + "/decline", data={"reason": "Falta la carta de la dirección.",
                                                "confirm": "y"})
    assert declined.status_code == 303
    again = nc.post(page + "/decline", data={"reason": "Otra vez.", "confirm": "y"},
                    follow_redirects=True)
    assert "already" in again.get_data(as_text=True) or "ya" in again.get_data(as_text=True)
    deliver(app)
    [message] = smtp.inbox.to(APPLICATION["editor_email"])
    assert "Falta la carta de la dirección." in body(message)
    assert membership_audit(app) == ["apply", "decline_membership"]  # one decision


def membership_audit(app) -> list[str]:
    """Return the audit log's actions about applications, in order."""
    with app.app_context():
        return [a for a in get_session().scalars(
            select(AuditEntry.action).order_by(AuditEntry.id))
            if a in {"apply", "recommend_membership", "certify_membership", "decline_membership"}]


def test_a_coordinator_sees_and_decides_only_on_their_country(app, smtp):  # noqa: F811
    app.test_client().post("/join", data=APPLICATION)
    other = signed_in(app, new_user(app, "national_coordinator", country="CL"))
    page = f"/applications/{application_id(app)}"
    assert "Escuela Rural" not in other.get("/applications").get_data(as_text=True)
    assert other.get(page).status_code == 404
    assert other.post(page + "/recommend", data={"note": "x"}).status_code == 404


def test_the_form_says_what_is_wrong_and_an_existing_school_cannot_apply_twice(app, smtp):  # noqa: F811
    client = app.test_client()
    bad = client.post("/join", data={**APPLICATION, "name": "", "editor_email": "rosa@"})
    assert bad.status_code == 422
    summary = parse(bad.data).one("div", class_="error-summary").text
    assert "Name of the school" in summary and "e-mail" in summary
    assert client.post("/join", data=APPLICATION).status_code == 303
    twice = client.post("/join", data={**APPLICATION, "editor_email": "otra@escuela.example"})
    assert twice.status_code == 422
    assert "already in the network" in parse(twice.data).one("div", class_="error-summary").text


def test_coordinators_add_institutions_of_their_country_as_applicants(app):
    nc = signed_in(app, new_user(app, "national_coordinator", country="PE"))
    fields = {k: APPLICATION[k] for k in ("name", "country", "city", "levels", "sector",
                                          "locality")}
    assert nc.post("/institutions/new", data=fields).status_code == 303
    elsewhere = nc.post("/institutions/new", data={**fields, "name": "Liceo", "country": "CL"})
    assert elsewhere.status_code == 403
    with app.app_context():
        [school] = get_session().scalars(select(Institution)).all()
        assert (school.name, school.membership) == ("Escuela Rural Los Andes", "applicant")
