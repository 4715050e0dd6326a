"""app/openapi.yaml describes the API as it is: the same routes, and real responses that
validate against the documented schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses)."""
from __future__ import annotations

import re

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.config import DefaultConfig
from practices.filters import FILTERS
from tests.factories import practice_record

SPEC_URI = "urn:practice-exchange:openapi"
PREFIX = "/api/v1"


@pytest.fixture
def spec(client):
    return client.get(f"{PREFIX}/openapi.json").get_json()


def _validator(spec, schema) -> Draft202012Validator:
    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    return Draft202012Validator(schema, registry=registry)


def _response_schema(spec, path: str, method: str, status: int) -> dict:
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    ref = schema.get("$ref")
    return {"$ref": f"{SPEC_URI}{ref}"} if ref else schema


def _check(spec, path, method, response):
    schema = _response_schema(spec, path, method, response.status_code)
    errors = sorted(_validator(spec, schema).iter_errors(response.get_json()), key=str)
    assert errors == [], [e.message for e in errors]


def test_the_spec_lists_exactly_the_api_routes(app, spec):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len(PREFIX):])
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert routes == documented


def test_the_yaml_and_json_documents_are_the_same(client, spec):
    response = client.get(f"{PREFIX}/openapi.yaml")
    assert response.mimetype == "application/yaml"
    assert yaml.safe_load(response.get_data(as_text=True)) == spec
    assert spec["openapi"].startswith("3.1")


def test_every_schema_of_the_spec_is_valid_json_schema(spec):
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # raises SchemaError saying what is wrong


def test_the_documented_search_parameters_are_the_accepted_ones(spec):
    documented = {p["$ref"].rsplit("/", 1)[1] if "$ref" in p else p["name"]
                  for p in spec["paths"]["/search"]["get"]["parameters"]}
    assert documented == {"q", "page", "limit", "sort", *FILTERS}
    limit = spec["components"]["parameters"]["limit"]["schema"]
    assert limit["maximum"] == DefaultConfig.SEARCH_MAX_LIMIT


def test_the_documented_filter_values_are_the_filter_tables(spec):
    for key, entry in FILTERS.items():
        parameter = spec["components"]["parameters"][key]
        assert parameter["name"] == key and parameter["in"] == "query"
        items = parameter["schema"]["items"]
        if entry.vocabulary is None:
            continue
        if items["type"] == "integer":  # the pillars
            assert list(range(items["minimum"], items["maximum"] + 1)) == [
                int(code) for code in entry.vocabulary]
        else:
            assert items["enum"] == list(entry.vocabulary), key


def test_real_responses_match_their_documented_schemas(client, spec, add_practice, api_auth):
    practice_id = add_practice(title="Dance from partner schools", language="es", country="MX",
                               institution={"name": "Escuela Sol", "country": "MX"})
    add_practice(title="Dance festival", institution="Lycée Lumière", country="FR")
    _check(spec, "/search", "get", client.get(f"{PREFIX}/search?q=dance"))
    _check(spec, "/search", "get", client.get(f"{PREFIX}/search?theme=esd&limit=1"))
    _check(spec, "/search", "get", client.get(f"{PREFIX}/search?theme=nope"))
    _check(spec, "/practices/{practice_id}", "get",
           client.get(f"{PREFIX}/practices/{practice_id}"))
    _check(spec, "/practices/{practice_id}", "get", client.get(f"{PREFIX}/practices/999"))
    _check(spec, "/practices/{practice_id}/similar", "get",
           client.get(f"{PREFIX}/practices/{practice_id}/similar"))
    post = f"{PREFIX}/practices"
    _check(spec, "/practices", "post", client.post(post, json=practice_record(),
                                                   headers=api_auth))
    _check(spec, "/practices", "post", client.post(post, json={"title": ""}, headers=api_auth))
    _check(spec, "/practices", "post", client.post(post, json=practice_record()))


def test_the_documented_input_schema_accepts_the_import_records(spec):
    validator = _validator(spec, {"$ref": f"{SPEC_URI}#/components/schemas/PracticeInput"})
    record = practice_record(
        external_id="e-1", pillars=[1, 2], levels=["primary", "secondary"], sdg_targets=["4.7"],
        institution={"name": "Escuela Sol", "country": "MX", "levels": ["primary"]})
    assert list(validator.iter_errors(record)) == []
