"""Every page and API read answers odd query strings with a page or a clear 4xx, never a 500:
each GET route of app.url_map (a new one is covered without editing this file) is sent every
parameter any page reads, with values no form would send."""
from __future__ import annotations

import re

import pytest

from tests.web.helpers import login_as

PARAMS = ("q", "page", "limit", "theme", "pillar", "level", "country", "language", "sdg_target",
          "emerging_issue", "status", "since", "until", "action", "practice", "user", "id",
          "min_total", "role", "membership", "next", "other_languages", "other_countries")
VALUES = ("\x00", "a\x00b", "%", "_", "'", "\"", "<script>", "9" * 5000, "-1", "x" * 5000,
          "é\u0301", "\uffff", "1e309", "NaN", " ", "2024-02-30", "99999-01-01")
NASTIEST = ("a\x00b", "9" * 5000, "x" * 5000)
_ANY = re.compile(r"<[^>]+>")


@pytest.mark.postgres
@pytest.mark.parametrize("role", ["curator", "administrator"])  # they see every list
def test_odd_query_values_never_give_a_server_error(client, make_account, add_practice, role):
    add_practice("published")
    if role:
        login_as(client, make_account(role))
    paths = [rule.rule for rule in client.application.url_map.iter_rules()
             if "GET" in rule.methods and rule.endpoint != "static"
             and not _ANY.search(rule.rule)
             and rule.rule != "/readyz"]  # 503 by design while the model and index load
    assert len(paths) > 15
    for path in paths:
        for value in VALUES:
            response = client.get(path, query_string={name: value for name in PARAMS})
            assert response.status_code < 500, (path, value[:10])
        # One parameter at a time too (the API refuses unknown ones before reading the rest).
        for name in PARAMS:
            for value in NASTIEST:
                one = client.get(path, query_string={name: value})
                assert one.status_code < 500, (path, name, value[:10])
