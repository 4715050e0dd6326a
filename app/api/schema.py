"""JSON bodies of the API, read and checked against app/openapi.yaml before any view uses them.

`request_body()` finds the operation of the request in the OpenAPI description (by the
route's rule and method, so a new operation is checked as soon as it is described), parses the
body and validates it with jsonschema (Draft 2020-12, the dialect of OpenAPI 3.1): a wrong
type is a 422 whose `fields` name each bad field by its path ("levels.0", "dossier.scores"),
never a value quietly coerced. Bodies nested deeper than MAX_DEPTH are refused (400) before
anything walks them.
"""
from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from flask import request
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from practices.errors import ValidationError

# Our bodies are at most 4 levels deep (a dossier's evidence items); JSON nested 1,000 levels
# deep exhausts Python's recursion (a 500) in the parser and in anything that walks it.
MAX_DEPTH = 32
_API_PREFIX = "/api/v1"
_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def request_body(what: str) -> dict:
    """Return the request's JSON body, valid for its operation's requestBody schema.

    `what` names the content in messages ("the practice").

    Raises:
        UnsupportedMediaType: not sent as application/json (415).
        BadRequest: not valid JSON, or nested deeper than MAX_DEPTH (400).
        ValidationError: not what the schema describes; {field path: message} (422).
    """
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(f"send {what} as JSON (Content-Type: application/json)")
    body = parse_json(request.get_data())
    if not isinstance(body, dict):
        raise BadRequest(f"the body must be one JSON object: {what}'s fields")
    errors = schema_errors(body, _operation_validator(request.url_rule.rule, request.method))
    if errors:
        raise ValidationError(errors)
    return body


def parse_json(data: bytes) -> Any:
    """Return `data` parsed as JSON.

    Raises:
        BadRequest: not UTF-8 JSON, or nested deeper than MAX_DEPTH.
    """
    if _depth_exceeds(data, MAX_DEPTH):
        raise BadRequest(f"the body is nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from None


def schema_errors(body: Any, validator: Draft202012Validator | None) -> dict[str, str]:
    """Return {field path: message} for every place `body` breaks the validator's schema
    ({} when there is no schema)."""
    if validator is None:
        return {}
    errors: dict[str, str] = {}
    for error in sorted(validator.iter_errors(body), key=_where):
        error = _deepest(error)
        if error.validator == "required":
            # The domain reports missing fields itself, with every other problem of the
            # record at once (practices.validation); a type error stops before it runs.
            continue
        errors.setdefault(_where(error) or "", _message(error))
    return errors


def _depth_exceeds(data: bytes, limit: int) -> bool:
    # Counting brackets outside strings: linear, no recursion, before the parser recurses.
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _deepest(error: SchemaError) -> SchemaError:
    # A oneOf/anyOf says only "is not valid under any of the given schemas": name the
    # closest alternative's own complaint instead ("levels.0: None is not of type 'string'").
    while error.context:
        error = best_match(error.context)
    return error


def _where(error: SchemaError) -> str:
    return ".".join(str(part) for part in error.absolute_path)


def _message(error: SchemaError) -> str:
    if error.validator == "type":
        expected = error.validator_value
        kinds = " or ".join(expected) if isinstance(expected, list) else expected
        return f"must be {_article(kinds)}, not {_kind(error.instance)}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are", "unknown field(s):") \
                            .replace("Additional property", "unknown field:")
    return error.message


def _article(kinds: str) -> str:
    return ("an " if kinds[:1] in "aeiou" else "a ") + kinds


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
             float: "number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


@cache
def _operation_validator(rule: str, method: str) -> Draft202012Validator | None:
    # "/api/v1/practices/<int:practice_id>/transitions" -> "/practices/{practice_id}/transitions"
    document = openapi_document()
    path = _PARAM.sub(r"{\1}", rule.removeprefix(_API_PREFIX))
    operation = document["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    # References (#/components/schemas/...) resolve against this document's components.
    return Draft202012Validator({**content["schema"], "components": document["components"]})


@cache
def openapi_text() -> str:
    """Return app/openapi.yaml as text."""
    return files("app").joinpath("openapi.yaml").read_text(encoding="utf-8")


@cache
def openapi_document() -> dict:
    """Return app/openapi.yaml parsed."""
    return yaml.safe_load(openapi_text())
