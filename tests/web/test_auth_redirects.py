"""After signing in, `next` leads only to pages of this site: never to another host, however
the address is disguised (open-redirect attempts)."""
from __future__ import annotations

import pytest

from app.redirects import safe_next
from tests.web.helpers import login_as
from tests.web.html_page import parse

ELSEWHERE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "//evil.example/account",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https:evil.example",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    "/%252F%252Fevil.example",
    "/%25252F/evil.example",
    "https%3A%2F%2Fevil.example",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_sign_in_never_sends_people_to_another_site(client, make_account, target):
    response = login_as(client, make_account("curator"), next=target)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_no_disguise_of_another_host_passes_for_a_local_path(target):
    assert safe_next(target) is None


@pytest.mark.parametrize(
    "target", ["/", "/account", "/search?q=jardin%20scolaire&theme=esd", "/practices/12#top"]
)
def test_paths_on_this_site_are_kept_as_they_are(target):
    assert safe_next(target) == target


def test_the_sign_in_link_brings_people_back_to_the_page_they_were_on(client, make_account):
    menu = parse(client.get("/search?q=garden").data).one("nav", class_="account-menu")
    link = menu.one("a")["href"]
    form = parse(client.get(link).data).one("form", method="post")

    back = form.one("input", name="next")["value"]
    response = login_as(client, make_account("curator"), next=back)

    assert response.headers["Location"] == "/search?q=garden"


def test_the_sign_in_form_does_not_carry_a_foreign_next_along(client):
    form = parse(client.get("/auth/login?next=https://evil.example/").data).one("form",
                                                                                method="post")

    assert form.one("input", name="next")["value"] == ""
