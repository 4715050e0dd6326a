"""The main navigation offers each signed-in person the work areas their role may use."""
from __future__ import annotations

import pytest

from tests.web.helpers import login_as, new_user
from tests.web.html_page import parse

ALWAYS = ["Search practices"]


@pytest.mark.parametrize("role, country, expected", [
    ("school_editor", None, ["Share a practice", "My practices", "Partner schools"]),
    ("national_coordinator", "FR", ["Review queue", "Import practices", "Dashboards",
                                    "Applications to join"]),
    ("curator", None, ["Review queue", "Import practices", "Promotion queue",
                       "Promising practices", "Policy briefs", "Dashboards", "Audit log",
                       "Applications to join"]),
    ("administrator", None, ["Audit log", "Applications to join"]),
])  # fmt: skip
def test_each_role_sees_the_links_to_its_work(app, client, role, country, expected):
    login_as(client, new_user(app, role, country=country))

    nav = parse(client.get("/").data).one("nav", class_="site-nav")

    links = [a.text for a in nav.find_all("a")]
    assert links == ALWAYS + expected
    for a in nav.find_all("a"):
        assert client.get(a["href"]).status_code == 200, a["href"]


def test_visitors_see_no_work_area(client):
    nav = parse(client.get("/").data).one("nav", class_="site-nav")

    assert [a.text for a in nav.find_all("a")] == [*ALWAYS, "Share a practice"]


def test_the_current_work_area_is_marked(app, client):
    login_as(client, new_user(app, "curator"))

    nav = parse(client.get("/curation/queue").data).one("nav", class_="site-nav")

    assert nav.one("a", aria_current="page").text == "Promotion queue"
