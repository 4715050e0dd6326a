"""Adding a search filter is one entry in practices.filters.FILTERS (plus its translation and
its OpenAPI parameter): the results page, its filter groups, the API and the index's facets
all follow the table. The entry below is a real one a product could add: the year a practice
started, named with a label the catalogues already translate."""
from __future__ import annotations

import pytest

from practices import fields
from practices import filters as filter_table
from practices.filters import Filter
from practices.i18n import N_
from tests.web.html_page import parse

YEAR = Filter("year", N_("Year the practice started"), fields.list_of(fields.start_year),
              lambda p: [str(p.start_year)] if p.start_year else [])


@pytest.fixture
def year_filter(monkeypatch):
    """FILTERS with one more entry (for this test only)."""
    monkeypatch.setitem(filter_table._TABLE, "year", YEAR)


def documented_filters(spec) -> set[str]:
    """Return the filter parameters app/openapi.yaml documents for GET /search."""
    names = {p["$ref"].rsplit("/", 1)[1] if "$ref" in p else p["name"]
             for p in spec["paths"]["/search"]["get"]["parameters"]}
    return names - {"q", "page", "limit"}


def test_a_new_table_entry_is_a_filter_of_the_page_the_api_and_the_facets(
        year_filter, client, add_practice):
    old = add_practice(title="Garden since 2019", year=2019)
    add_practice(title="Garden since 2021", year=2021)

    api = client.get("/api/v1/search?q=garden&year=2019").get_json()
    assert [r["id"] for r in api["results"]] == [old]
    assert client.get("/api/v1/search").get_json()["facets"]["year"] == {"2019": 1, "2021": 1}
    refused = client.get("/api/v1/search?year=1800")
    assert refused.status_code == 400 and "year" in refused.get_json()["error"]

    page = parse(client.get("/search?year=2019", headers={"Accept-Language": "fr"}).data)
    form = page.one("form", class_="filters")
    box = form.one("input", name="year")
    assert box["value"] == "2019" and box.get("checked") is not None
    assert "Année de début de la pratique" in form.text
    assert [h.text for h in page.one("ol", class_="results").find_all("h3")] == [
        "Garden since 2019"]
    assert client.get("/search?year=1800").status_code == 422


def test_a_new_table_entry_without_its_openapi_parameter_is_reported(year_filter, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert set(filter_table.FILTERS) - documented_filters(spec) == {"year"}
