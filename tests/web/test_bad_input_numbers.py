"""Numbers in URLs and query strings that no database column holds (issue 8, "bad input"):
every route is walked from app.url_map, so a route added later is covered without editing
this file. Marked postgres: on PostgreSQL an id beyond 32 bits used to fail the query (500)."""
from __future__ import annotations

import re

import pytest

from tests.web.helpers import login_as
from tests.web.html_page import parse

# 2**31 (one past PostgreSQL's integer), 2**63 (one past bigint and SQLite's integer), a
# number of 31 digits and one of 5,000 (Python's int() refuses strings over 4,300 digits).
HUGE = ("2147483648", "9223372036854775808", "1" + "0" * 30, "9" * 5000)
ROLES = (None, "school_editor", "national_coordinator", "curator", "administrator")
_INT = re.compile(r"<int:\w+>")
# /readyz answers 503 by design while the model and index load (a load balancer reads it).
READINESS = {"/readyz"}
_ANY = re.compile(r"<[^>]+>")


def _routes(app, *, with_ids: bool):
    """(url template, methods) of every route of the app but static files."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or bool(_INT.search(rule.rule)) != with_ids:
            continue
        yield rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def _rows(response) -> int:
    """Rows of a list page (table rows, or search results)."""
    html = response.get_data(as_text=True)
    return html.count("<tr") - html.count("<thead") + html.count("<article")


def _signed_in(client, make_account, role):
    if role is not None:
        options = {"country": "FR"} if role == "national_coordinator" else {}
        assert login_as(client, make_account(role, **options)).status_code == 302


@pytest.mark.postgres
@pytest.mark.parametrize("role", ROLES)
def test_an_id_beyond_32_bits_is_not_found_on_every_route(app, client, make_account,
                                                          add_practice, role):
    add_practice("published")
    _signed_in(client, make_account, role)
    routes = list(_routes(app, with_ids=True))
    assert len(routes) > 20  # the practice, revision, account, token and institution routes
    for template, methods in routes:
        for value in HUGE:
            url = _INT.sub(value, template)
            for method in methods:
                response = client.open(url, method=method)
                # 405: another route's pattern (with a text parameter) matches the address
                # for GET only; still "no such thing here", never a database lookup.
                allowed = {404} if method == "GET" else {404, 405}
                assert response.status_code in allowed, (method, template, value[:20])


@pytest.mark.postgres
def test_the_largest_32_bit_id_reaches_the_view_and_is_answered_without_error(
        app, client, make_account):
    # The bound is the column's: ids up to it are looked up (and not found), none fail.
    _signed_in(client, make_account, "curator")
    for template, methods in _routes(app, with_ids=True):
        url = _INT.sub(str(2**31 - 1), template)
        for method in methods:
            assert client.open(url, method=method).status_code < 500, (method, template)


@pytest.mark.postgres
@pytest.mark.parametrize("role", ROLES)
def test_a_page_beyond_the_database_range_never_fails_on_any_page(app, client, make_account,
                                                                  add_practice, role):
    add_practice("published")
    _signed_in(client, make_account, role)
    for template, methods in _routes(app, with_ids=False):
        if "GET" not in methods or _ANY.search(template) or template in READINESS:
            continue
        for value in HUGE:
            response = client.get(template, query_string={"page": value, "limit": value})
            assert response.status_code < 500, (template, value[:20])


@pytest.mark.postgres
@pytest.mark.parametrize(("role", "path"), [
    ("administrator", "/audit"),
    ("administrator", "/admin/users"),
    ("administrator", "/admin/institutions"),
    ("curator", "/curation/queue"),
    ("curator", "/curation/curated"),
])
def test_a_page_beyond_the_last_shows_the_last_page(client, make_account, add_practice, role,
                                                    path):
    add_practice("published")
    add_practice("promising")
    _signed_in(client, make_account, role)
    first = client.get(path)
    assert first.status_code == 200
    assert _rows(first) >= 1
    for value in HUGE:
        response = client.get(path, query_string={"page": value})
        assert response.status_code == 200, value[:20]
        assert _rows(response) == _rows(first)  # a short list: the last page is the first


def test_a_search_page_beyond_the_range_links_back_to_the_last(client, add_practice):
    add_practice("published")
    for value in HUGE:
        response = client.get("/search", query_string={"page": value})
        assert response.status_code == 200
        notice = parse(response.data).one("div", class_="notice")
        assert "page=" not in notice.one("a")["href"]  # to page 1 of 1


@pytest.mark.parametrize("value", ["x", "-1", "0", "1.5", "１"])
def test_a_page_that_is_not_a_page_number_is_a_clear_400_naming_it(client, make_account, value):
    _signed_in(client, make_account, "administrator")
    for path in ("/audit", "/admin/users", "/search"):
        response = client.get(path, query_string={"page": value})
        assert response.status_code == 400, (path, value)
        assert "page" in response.get_data(as_text=True)


def test_the_message_about_a_bad_page_is_in_the_visitors_language(client):
    response = client.get("/search?page=x", headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert "n’est pas un nombre entier" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_ids_in_filters_beyond_32_bits_find_nothing_instead_of_failing(client, make_account):
    _signed_in(client, make_account, "administrator")
    for value in HUGE:
        response = client.get("/audit", query_string={"practice": value, "user": value})
        assert response.status_code == 200
    _signed_in(client, make_account, "curator")
    for path in ("/curation/curated", "/curation/curated.csv", "/curation/curated.json"):
        for value in HUGE:
            response = client.get(path, query_string={"id": value, "min_total": value})
            assert response.status_code == 200, (path, value[:20])
