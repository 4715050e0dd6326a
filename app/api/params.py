"""Query-string parsing of the API: every bad parameter is a 400 naming the parameter."""
from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.wrappers import Request

from app.api.schema import parse_json
from app.bounds import whole_number
from practices.errors import ValidationError
from practices.filters import FILTERS, SearchFilters
from search_index import ORDERS

# Deeper pages are always empty: a result set holds at most 2 x SEARCH_CANDIDATES practices.
MAX_PAGE = 10_000
_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class SearchParams:
    """A validated search request: query text, filters, page (from 1) and page size."""

    query: str
    filters: SearchFilters
    page: int
    limit: int
    sort: str = "relevance"  # search_index ORDERS


def search_params(args: MultiDict, *, default_limit: int, max_limit: int,
                  max_query: int) -> SearchParams:
    """Parse GET /search parameters (filters repeated or comma-separated).

    Raises:
        BadRequest: an unknown parameter, a bad number, or an unknown filter value.
    """
    only(args, {"q", "page", "limit", "sort", *FILTERS})
    query = single(args, "q") or ""
    if len(query) > max_query:
        raise BadRequest(f"q: is {len(query)} characters long; the limit is {max_query}")
    try:
        filters = SearchFilters.parse({key: args.getlist(key) for key in FILTERS if key in args})
    except ValidationError as exc:
        raise BadRequest(str(exc)) from None
    sort = single(args, "sort") or "relevance"
    if sort not in ORDERS:
        raise BadRequest(f"sort: {sort!r} is not an order; use {' or '.join(ORDERS)}")
    return SearchParams(query, filters, integer(args, "page", 1, 1, MAX_PAGE),
                        integer(args, "limit", default_limit, 1, max_limit), sort)


def only(args: MultiDict, allowed: Collection[str]) -> None:
    """Refuse parameters not in `allowed` (a typo would otherwise be ignored silently)."""
    for name in args:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"use {', '.join(sorted(allowed))}"
            raise BadRequest(f"{name}: unknown parameter; {hint}")


def single(args: Mapping, name: str) -> str | None:
    """Return the one value of parameter `name`, or None when absent."""
    values = args.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"{name}: given {len(values)} times; give it once")
    return values[0] if values else None


def integer(args: Mapping, name: str, default: int, low: int, high: int) -> int:
    """Return parameter `name` as a whole number in [low, high] (default when absent): the
    app's one parser of numbers in query strings, app.bounds.whole_number."""
    return whole_number(args, name, default, low, high)


def boolean(args: Mapping, name: str) -> bool:
    """Return parameter `name` as a flag: 1/true/yes/on or 0/false/no/off (absent: false)."""
    raw = (single(args, name) or "").strip().lower()
    if raw not in _TRUE | _FALSE:
        raise BadRequest(f"{name}: {raw!r} is not true or false")
    return raw in _TRUE


def json_object(request: Request, what: str, shape: str) -> dict:
    """Return the request body parsed as one JSON object.

    `what` names the content in messages ("the practice"), `shape` describes the object
    expected ("the practice's fields").

    Raises:
        UnsupportedMediaType: the body is not sent as application/json (415).
        BadRequest: it is not valid JSON, or not one object (400).
    """
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(f"send {what} as JSON (Content-Type: application/json)")
    body = parse_json(request.get_data())  # refuses bodies nested too deep
    if not isinstance(body, dict):
        raise BadRequest(f"the body must be one JSON object with {shape}")
    return body
