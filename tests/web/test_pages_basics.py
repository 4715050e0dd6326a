"""What every page shares: landmarks, labels, heading order, no JavaScript, readable colours."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.helpers import login_as
from tests.web.html_page import accessibility_problems, parse

CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "site.css"


@pytest.fixture
def pages(client, add_practice):
    """Return the URLs of every kind of page, with content on them."""
    arabic = add_practice(language="ar", country="EG", title="حديقة المدرسة", pillars=[1])
    add_practice(themes=["gced"], levels=["primary"], emerging_issues=["climate"])
    return [
        "/", "/search", "/search?q=garden", "/search?theme=gced", "/search?q=zzzz&theme=esd",
        f"/practices/{arabic}", f"/practices/{arabic}?other_countries=1", "/no-such-page",
    ]  # fmt: skip


def test_every_page_passes_the_basic_accessibility_checks(client, pages):
    for url in pages:
        doc = parse(client.get(url).data)
        assert accessibility_problems(doc) == [], url


def test_a_submission_with_errors_passes_the_basic_accessibility_checks(client, make_account):
    login_as(client, make_account("school_editor"))

    doc = parse(client.post("/submit", data={"title": ""}).data)

    assert accessibility_problems(doc) == []


def test_no_page_needs_javascript(client, pages):
    for url in pages:
        doc = parse(client.get(url).data)
        assert doc.find("script") is None, url
        assert not [n for n in doc.iter() if any(a.startswith("on") for a in n.attrs)], url


def test_every_page_starts_with_a_link_to_skip_to_the_main_content(client, pages):
    for url in pages:
        doc = parse(client.get(url).data)
        first_link = doc.find("a")
        assert first_link["href"] == "#main", url
        assert doc.one("main")["id"] == "main"


def test_the_main_navigation_marks_the_current_page(client):
    doc = parse(client.get("/search").data)

    nav = doc.one("nav", class_="site-nav")
    assert nav.one("a", aria_current="page").text == "Search practices"


def _luminance(hex_colour: str) -> float:
    # WCAG 2.2 relative luminance, https://www.w3.org/TR/WCAG22/#dfn-relative-luminance
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("foreground", "background"),
    [("text", "#ffffff"), ("muted", "#ffffff"), ("link", "#ffffff"), ("link-visited", "#ffffff"),
     ("error", "#ffffff"), ("ok", "#ffffff"), ("#ffffff", "brand"), ("text", "soft"),
     ("muted", "soft"), ("link", "soft"), ("text", "focus")],
)  # fmt: skip
def test_text_colours_meet_wcag_aa_contrast(foreground, background):
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))

    def colour(name):
        return name if name.startswith("#") else colours[name]

    assert _contrast(colour(foreground), colour(background)) >= 4.5


def test_the_json_api_needs_its_bearer_token_not_a_csrf_token(csrf_client, api_auth):
    record = {"title": "Garden", "body": "Pupils grow food.", "language": "en", "themes": ["esd"]}

    response = csrf_client.post("/api/v1/practices", json=record, headers=api_auth)

    assert response.status_code == 201
