"""The API's error contract: bad input is a 4xx JSON answer naming what is wrong, never a 500."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.filters import FILTERS


@pytest.mark.parametrize(("query", "named"), [
    ("limit=ten", "limit"),
    ("limit=0", "limit"),
    ("limit=51", "limit"),
    ("limit=-1", "limit"),
    ("limit=1.5", "limit"),
    ("limit=1&limit=2", "limit"),
    ("page=0", "page"),
    ("page=x", "page"),
    ("page=99999999999999999999", "page"),
    ("page=" + "9" * 5000, "page"),
    ("theme=foo", "theme"),
    ("pillar=7", "pillar"),
    ("level=university", "level"),
    ("country=XX", "country"),
    ("country=France", "country"),
    ("language=not-a-language-tag!", "language"),
    ("sdg_target=4.99", "sdg_target"),
    ("emerging_issue=robots", "emerging_issue"),
    ("q=a&q=b", "q"),
    ("q=" + "x" * 1001, "q"),
    ("thme=esd", "thme"),
])
def test_a_bad_search_parameter_is_a_400_naming_it(client, query, named):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400 and body["error"].startswith(f"{named}:")


@pytest.mark.parametrize("address", [
    "/api/v1/practices/1/similar?limit=x",
    "/api/v1/practices/1/similar?other_languages=maybe",
    "/api/v1/practices/1/similar?limit=500",
    "/api/v1/practices/1?expand=all",
])
def test_bad_parameters_of_the_practice_endpoints_are_400(client, add_practice, address):
    add_practice()
    response = client.get(address)
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize(("method", "address", "status"), [
    ("GET", "/api/v1/nowhere", 404),
    ("GET", "/api/v1/practices/abc", 404),
    ("DELETE", "/api/v1/practices/1", 405),
    ("PUT", "/api/v1/search", 405),
])
def test_unknown_addresses_and_methods_answer_in_json(client, method, address, status):
    response = client.open(address, method=method)
    assert response.status_code == status
    assert response.get_json()["status"] == status


_names = st.one_of(st.sampled_from(["q", "page", "limit", *FILTERS]), st.text(max_size=8))
_values = st.one_of(st.text(max_size=30), st.integers().map(str),
                    st.sampled_from(["esd", "fr", "4.7", "1", "0", "", ",", "pt-BR"]))


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_names, _values), max_size=5))
def test_any_query_string_is_answered_with_200_or_a_json_400(client, params):
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    assert response.is_json
