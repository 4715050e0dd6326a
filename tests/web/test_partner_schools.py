"""Partner schools, as a school sees them: schools abroad whose practices are closest to its
own, with the pair of practices that makes the match; expressing interest e-mails the other
school, which sees it on its page; a second click changes nothing."""
from __future__ import annotations

import pytest

from app.db import get_session
from app.mail.delivery import deliver_pending
from tests.factories import make_institution, make_practice, make_user
from tests.web.helpers import committed, flashes, login_as
from tests.web.html_page import parse
from tests.web.mail_server import links, mail_config, path_of, smtp  # noqa: F401

GARDEN = ("School garden and compost: pupils grow vegetables, compost the canteen waste and "
          "weigh the harvest every week.")


@pytest.fixture
def app_config(app_config, smtp):  # noqa: F811
    return {**app_config, **mail_config(smtp.port)}


@pytest.fixture
def schools(app):
    """Editors of member schools in France (ours), Kenya, Japan and another French school,
    each with one published practice; Kenya's is about the same thing as ours."""
    def make(session):
        editors = {}
        for key, name, country, title, body in (
            ("ours", "Collège Jean Moulin", "FR", "Jardin et compost", GARDEN),
            ("kenya", "Nairobi Green School", "KE", "Garden and compost club", GARDEN),
            ("japan", "Kyoto Peace School", "JP", "Letters for peace",
             "Pupils write letters about peace and human rights to schools abroad."),
            ("france", "Lycée Voisin", "FR", "Compost au lycée", GARDEN),
        ):
            school = make_institution(session, name=name, country=country)
            editor = make_user(session, "school_editor", institution=school)
            make_practice(session, institution=school, author=editor, title=title, body=body,
                          themes=["esd"], levels=["secondary"])
            editors[key] = editor
        for editor in editors.values():
            session.refresh(editor)  # readable once the session is closed
        return editors
    return committed(app, make)


def signed_in(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def partner_names(page) -> list[str]:
    return [li.find("h2").find("bdi").text for li in page.find_all("li", class_="partner")]


def test_a_school_sees_schools_abroad_whose_practices_are_closest_to_its_own(app, schools):
    page = parse(signed_in(app, schools["ours"]).get("/my/partners").data)
    names = partner_names(page)
    assert names[0] == "Nairobi Green School"
    assert "Lycée Voisin" not in names  # same country: not a partner abroad
    first = page.find("li", class_="partner")
    assert "Garden and compost club" in first.text and "Jardin et compost" in first.text
    assert "Education for Sustainable Development" in first.one("p", class_="reason").text


def test_filters_narrow_the_partners_by_country(app, schools):
    page = parse(signed_in(app, schools["ours"]).get("/my/partners?country=JP").data)
    assert partner_names(page) == ["Kyoto Peace School"]


def test_expressing_interest_emails_the_other_school_once(app, schools, smtp):  # noqa: F811
    ours = signed_in(app, schools["ours"])
    page = parse(ours.get("/my/partners").data)
    form = page.find("li", class_="partner").find("form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    data["message"] = "Nous aimerions échanger nos récoltes de données."
    done = ours.post(form["action"], data=data, follow_redirects=True)
    assert "would like to work together" in flashes(parse(done.data))
    again = ours.post(form["action"], data=data, follow_redirects=True)
    assert "already told" in flashes(parse(again.data))

    with app.app_context():
        deliver_pending(get_session())
    [message] = [m for m in smtp.inbox.to(schools["kenya"].email)
                 if "Collège Jean Moulin" in m["Subject"]]  # once, for two clicks
    theirs = signed_in(app, schools["kenya"])
    received = parse(theirs.get(path_of(links(message)[0])).data)
    assert "Nous aimerions échanger" in received.text
    assert not [m for m in smtp.inbox.to(schools["japan"].email)
                if "Collège Jean Moulin" in m["Subject"]]
