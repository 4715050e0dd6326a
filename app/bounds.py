"""Input checked where it enters the app (issue 8): whole numbers from URLs and query strings
bounded, NUL characters refused, bodies without a length held to the size limit, and the
upload views' larger limits applied before anything reads a body (`body_limit`).

Every `<int:...>` of every route is read by `BoundedIntConverter` (installed by `init_app` as
the map's `int` converter, so a route added later is bounded too): an id beyond what the
database's 32-bit `integer` column holds is simply no page (404), never a query that fails.
Page numbers and page sizes of the pages come through `page_number` and `whole_number`, which
refuse what is not a whole number (400, in the visitor's language) and bring one beyond
`MAX_PAGE` back to it; the list services then show the last page (practices.services.pages).
The API reads its own parameters with the same `whole_number` (app/api/params.py).
"""
from __future__ import annotations

import builtins
import io
from collections.abc import Callable, Mapping
from contextlib import nullcontext

from flask import Flask, current_app, g, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, ValidationError

from app.errors import wants_json

# PostgreSQL's `integer` (practices.id and every other id column) is 32-bit signed.
MAX_ID = 2**31 - 1
# Pages beyond this are never asked for by a link: a list of 50 a page would need 100 billion
# rows. Larger numbers are read as this one; offsets stay well inside 64 bits on both engines.
MAX_PAGE = 2**31 - 1
# Enough digits for MAX_ID; longer strings are refused before int() (which refuses strings of
# over 4,300 digits with a ValueError of its own).
_MAX_DIGITS = len(str(MAX_ID))


class BoundedIntConverter(IntegerConverter):
    """The `int` URL converter of the app: 0..MAX_ID unless a route says narrower; a longer
    number does not match the route (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_ID if max is None else builtins.min(max, MAX_ID),
                         signed=signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("-0")) > _MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)


def init_app(app: Flask) -> None:
    """Make `BoundedIntConverter` the `int` converter (before any blueprint is registered)
    and hold bodies sent without a length (chunked) to MAX_CONTENT_LENGTH too."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, lambda: app.config.get("MAX_CONTENT_LENGTH"))
    app.before_request(apply_body_limit)  # first: the next hook reads the form
    app.before_request(refuse_nul_characters)


def body_limit(config_key: str, overhead: int = 0) -> Callable:
    """Decorate an upload view (right under its route) so that its request body may be up to
    `app.config[config_key]` + `overhead` bytes instead of MAX_CONTENT_LENGTH; pages saying
    "too large" (413) then state `app.config[config_key]`.

    The limit has to be set before any hook reads the form (refuse_nul_characters does):
    set inside the view, it came too late, and a 3 MB attachment was refused at 2 MiB.
    """
    def mark(view: Callable) -> Callable:
        view.body_limit = (config_key, overhead)  # type: ignore[attr-defined]
        return view

    return mark


def apply_body_limit() -> None:
    """Give the request the body limit its view declared with `body_limit`, if any."""
    view = current_app.view_functions.get(request.endpoint or "")
    declared = getattr(view, "body_limit", None)
    if declared is not None:
        config_key, overhead = declared
        g.stated_body_limit = current_app.config[config_key]
        request.max_content_length = g.stated_body_limit + overhead


def refuse_nul_characters() -> None:
    """Refuse a query string or form holding a NUL character (400, naming the field).

    No text of ours may hold one (PostgreSQL refuses it even in a lookup: a `?country=%00`
    was a 500), and no form can send one. Stored text is checked again by the domain
    (practices/storable.py), for JSON and the CLI import.

    Raises:
        BadRequest: a parameter or form field (name or value) contains NUL.
    """
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for source in sources:
        for name, value in source.items(multi=True):
            if "\x00" in name or "\x00" in value:
                with force_locale("en") if wants_json() else nullcontext():
                    raise BadRequest(_("%(name)s: contains a NUL character (\\x00), which no "
                                       "text may hold; remove it and send again",
                                       name=name.replace("\x00", "\\x00")))


class ChunkedBodyLimit:
    """WSGI middleware: a body sent without Content-Length (Transfer-Encoding: chunked) and
    longer than the limit is answered 413 like any other, instead of being cut at the limit
    (Werkzeug's LimitedStream stops reading there, and the view saw truncated JSON).

    Such a body is read here, up to one byte past the limit: within it, the view gets it with
    its length; beyond, the request says it is one byte too long, so Flask raises
    RequestEntityTooLarge (413, app/errors.py says the limit) when the view reads it.
    """

    def __init__(self, wsgi_app, limit) -> None:
        self.wsgi_app, self.limit = wsgi_app, limit

    def __call__(self, environ, start_response):
        limit = self.limit()
        if (limit is not None and not environ.get("CONTENT_LENGTH")
                and environ.get("wsgi.input_terminated")):
            body = environ["wsgi.input"].read(limit + 1)
            too_long = len(body) > limit
            environ["wsgi.input"] = io.BytesIO(b"" if too_long else body)
            environ["CONTENT_LENGTH"] = str(limit + 1 if too_long else len(body))
            # Now an ordinary body with its length (Werkzeug ignores the length of a chunked one).
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        return self.wsgi_app(environ, start_response)


def bounded_int(raw: str, high: int = MAX_ID) -> int | None:
    """Return `raw` (ASCII digits, spaces around allowed) as a number no larger than `high`
    (a larger one is read as `high`: no id or score goes beyond it), or None when it is not
    a whole number. For numbers inside other filters (`?practice=12`, `?id=3&id=4`)."""
    digits = (raw or "").strip()
    if not (digits.isascii() and digits.isdigit()):
        return None
    digits = digits.lstrip("0") or "0"
    return high if len(digits) > len(str(high)) else builtins.min(int(digits), high)


def whole_number(args: Mapping, name: str, default: int, low: int, high: int, *,
                 clamp: bool = False) -> int:
    """Return query parameter `name` as a whole number in [low, high] (`default` when absent
    or empty).

    Args:
        clamp: bring a number above `high` back to `high` instead of refusing it.

    Raises:
        BadRequest: given twice, not a whole number, below `low`, or above `high` without
            `clamp`; the message names the parameter (in the interface language on pages,
            in English in the API, like every API message).
    """
    with force_locale("en") if wants_json() else nullcontext():
        return _whole_number(args, name, default, low, high, clamp)


def _whole_number(args: Mapping, name: str, default: int, low: int, high: int,
                  clamp: bool) -> int:
    values = args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]
    values = [v for v in values if v is not None]
    if len(values) > 1:
        raise BadRequest(_("%(name)s: given %(count)s times; give it once",
                           name=name, count=len(values)))
    raw = values[0].strip() if values else ""
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise BadRequest(_("%(name)s: %(value)s is not a whole number",
                           name=name, value=repr(raw[:20])))
    digits = raw.lstrip("0") or "0"
    too_big = len(digits) > len(str(high)) or int(digits) > high
    if too_big and clamp:
        return high
    if too_big or int(digits) < low:
        raise BadRequest(_("%(name)s: must be between %(low)s and %(high)s, not %(value)s",
                           name=name, low=low, high=high, value=digits[:12]))
    return int(digits)


def page_number(args: Mapping, name: str = "page") -> int:
    """Return the page asked for (from 1; absent: 1); one beyond MAX_PAGE is read as MAX_PAGE.

    Raises:
        BadRequest: not a whole number, or 0.
    """
    return whole_number(args, name, 1, 1, MAX_PAGE, clamp=True)
