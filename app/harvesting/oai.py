"""OAI-PMH 2.0 at /oai: the six verbs over public practices, Dublin Core (oai_dc), sets by
thematic area ("theme:esd") and country ("country:FR"), resumption tokens, and the protocol's
errors (section 3.6 of the specification), which are answered with HTTP 200 as it requires.
"""
from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, current_app, request, url_for

from app.db import get_session
from app.harvesting import oai_xml as x
from practices import harvest
from practices.models import Practice, utcnow
from practices.vocab import THEMES

bp = Blueprint("oai", __name__)

VERBS = ("Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords",
         "GetRecord")
# Arguments each verb accepts: (required, optional); resumptionToken is exclusive.
_ARGS = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ("resumptionToken",)),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
}


class OAIError(Exception):
    """A protocol error: its code (badArgument, noRecordsMatch...) and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@bp.route("/oai", methods=["GET", "POST"])
def endpoint():
    """Answer one OAI-PMH request (arguments in the query string, or the form for POST)."""
    args = request.form if request.method == "POST" else request.args
    now = utcnow()
    verb = args.get("verb", "")
    try:
        checked = _check(args)
        root = x.envelope(base_url(), checked, now)
        _HANDLERS[verb](root, checked)
    except OAIError as error:
        keep = verb in VERBS and error.code not in ("badArgument", "badVerb")
        root = x.envelope(base_url(), dict(args.items()) if keep else None, now)
        x.child(root, "error", error.message, code=error.code)
    return Response(x.serialize(root), mimetype="text/xml", headers={"Cache-Control": "no-store"})


def base_url() -> str:
    """The repository's base URL (this endpoint, absolute)."""
    return url_for("oai.endpoint", _external=True)


def _check(args) -> dict[str, str]:
    verb = args.get("verb")
    if verb not in VERBS or len(args.getlist("verb")) != 1:
        raise OAIError("badVerb", "the verb argument is missing, repeated or not an OAI-PMH verb")
    required, optional = _ARGS[verb]
    given = {k: args.getlist(k) for k in args if k != "verb"}
    unknown = set(given) - set(required) - set(optional)
    if unknown or any(len(v) != 1 for v in given.values()):
        raise OAIError("badArgument", f"illegal or repeated arguments: {sorted(unknown) or ''}")
    values = {k: v[0] for k, v in given.items()}
    if "resumptionToken" in values:
        if len(values) != 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument")
    elif missing := [name for name in required if name not in values]:
        raise OAIError("badArgument", f"missing required arguments: {missing}")
    return {"verb": verb, **values}


def identifier(practice_id: int) -> str:
    """Return the OAI identifier of a practice: oai:<repository identifier>:practice/<id>."""
    return f"oai:{repository_id()}:practice/{practice_id}"


def repository_id() -> str:
    """The repository identifier (OAI_REPOSITORY_IDENTIFIER, else this request's host name)."""
    return current_app.config.get("OAI_REPOSITORY_IDENTIFIER") or request.host.split(":")[0]


def _practice_id(oai_identifier: str) -> int:
    prefix = f"oai:{repository_id()}:practice/"
    number = oai_identifier.removeprefix(prefix)
    if not oai_identifier.startswith(prefix) or not number.isdecimal():
        raise OAIError("idDoesNotExist", f"{oai_identifier} is not an identifier of this "
                                         "repository")
    return int(number)


def _identify(root, args) -> None:
    earliest = harvest.earliest_change(get_session()) or datetime(2000, 1, 1, tzinfo=UTC)
    element = x.child(root, "Identify")
    for name, value in (
        ("repositoryName", current_app.config["OAI_REPOSITORY_NAME"]),
        ("baseURL", base_url()), ("protocolVersion", "2.0"),
        ("adminEmail", current_app.config["OAI_ADMIN_EMAIL"]),
        ("earliestDatestamp", x.datestamp(earliest)), ("deletedRecord", "no"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        x.child(element, name, value)


def _list_metadata_formats(root, args) -> None:
    if "identifier" in args:
        _record_or_error(_practice_id(args["identifier"]))
    element = x.child(root, "ListMetadataFormats")
    fmt = x.child(element, "metadataFormat")
    x.child(fmt, "metadataPrefix", "oai_dc")
    x.child(fmt, "schema", x.OAI_DC_SCHEMA)
    x.child(fmt, "metadataNamespace", x.OAI_DC)


def _list_sets(root, args) -> None:
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "ListSets is answered in one response")
    element = x.child(root, "ListSets")
    names = {"theme": "Thematic areas", "country": "Countries"}
    for spec in ("theme", "country", *harvest.set_specs(get_session())):
        kind, _, code = spec.partition(":")
        one = x.child(element, "set")
        x.child(one, "setSpec", spec)
        x.child(one, "setName", THEMES[code] if kind == "theme" and code else
                names.get(spec) or f"Country {code}")


def _list(root, args, records: bool) -> None:
    selection, cursor = _selection(args)
    size = current_app.config["OAI_PAGE_SIZE"]
    page, total = harvest.harvest(get_session(), selection, size)
    if not page:
        raise OAIError("noRecordsMatch", "no public practice matches these arguments")
    element = x.child(root, "ListRecords" if records else "ListIdentifiers")
    for practice in page:
        if records:
            _record(x.child(element, "record"), practice)
        else:
            x.header(element, identifier(practice.id), practice.updated_at, _sets(practice))
    done = cursor + len(page)
    token = _token(args, page[-1].id, done) if done < total else ""
    x.child(element, "resumptionToken", token, completeListSize=str(total), cursor=str(cursor))


def _get_record(root, args) -> None:
    _format(args["metadataPrefix"])
    practice = _record_or_error(_practice_id(args["identifier"]))
    _record(x.child(x.child(root, "GetRecord"), "record"), practice)


def _record_or_error(practice_id: int) -> Practice:
    from practices.errors import NotFound

    try:
        return harvest.public_practice(get_session(), practice_id)
    except NotFound:
        raise OAIError("idDoesNotExist", f"no public practice {practice_id}") from None


def _record(element, practice: Practice) -> None:
    x.header(element, identifier(practice.id), practice.updated_at, _sets(practice))
    url = url_for("catalog.practice", practice_id=practice.id, _external=True)
    fields = [("title", practice.title)]
    if practice.institution is not None:
        fields.append(("creator", practice.institution.name))
    fields += [("subject", THEMES[t]) for t in practice.themes if t in THEMES]
    fields += [("subject", f"SDG target {t}") for t in practice.sdg_targets]
    if practice.summary:
        fields.append(("description", practice.summary))
    fields.append(("publisher", harvest.PUBLISHER))
    if practice.published_at is not None:
        fields.append(("date", practice.published_at.date().isoformat()))
    fields += [("type", "Text"), ("format", "text/html"), ("identifier", url),
               ("language", practice.language)]
    if practice.country:
        fields.append(("coverage", practice.country))
    if practice.license:
        fields.append(("rights", practice.license))
    x.dublin_core(element, fields)


def _sets(practice: Practice) -> list[str]:
    specs = [f"theme:{t}" for t in practice.themes]
    return specs + ([f"country:{practice.country}"] if practice.country else [])


def _format(prefix: str) -> None:
    if prefix != "oai_dc":
        raise OAIError("cannotDisseminateFormat", f"{prefix!r} is not offered; use oai_dc")


def _selection(args) -> tuple[harvest.Selection, int]:
    if "resumptionToken" in args:
        return _from_token(args["resumptionToken"])
    _format(args["metadataPrefix"])
    since, until = _date(args.get("from"), False), _date(args.get("until"), True)
    if args.get("from") and args.get("until") and len(args["from"]) != len(args["until"]):
        raise OAIError("badArgument", "from and until must have the same granularity")
    if since and until and since >= until:
        raise OAIError("badArgument", "from is later than until")
    spec = args.get("set")
    if spec and spec not in ("theme", "country") and not harvest.is_set_spec(spec):
        raise OAIError("noRecordsMatch", f"no set {spec!r} in this repository")
    return harvest.Selection(since=since, before=until, set_spec=spec), 0


def _date(value: str | None, end: bool) -> datetime | None:
    """Parse a from/until argument; `until` becomes the first moment after it."""
    if not value:
        return None
    for fmt, step in (("%Y-%m-%d", timedelta(days=1)), ("%Y-%m-%dT%H:%M:%SZ",
                                                         timedelta(seconds=1))):
        try:
            moment = datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
        return moment + step if end else moment
    raise OAIError("badArgument", f"{value!r} is not a date (YYYY-MM-DD or "
                                  "YYYY-MM-DDThh:mm:ssZ)")


def _token(args, last_id: int, cursor: int) -> str:
    state = {k: args[k] for k in ("metadataPrefix", "from", "until", "set") if k in args}
    if "resumptionToken" in args:
        state = _decode(args["resumptionToken"])["q"]
    raw = json.dumps({"q": state, "a": last_id, "c": cursor}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str) -> dict:
    try:
        padded = token + "=" * (-len(token) % 4)
        state = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(state.get("q"), dict) or not isinstance(state.get("a"), int):
            raise ValueError(token)
        return state
    except (ValueError, TypeError, AttributeError):
        raise OAIError("badResumptionToken", "this resumption token is not one of ours") from None


def _from_token(token: str) -> tuple[harvest.Selection, int]:
    state = _decode(token)
    try:
        selection, _ = _selection(state["q"])
    except OAIError:
        raise OAIError("badResumptionToken", "this resumption token is not valid") from None
    cursor = state.get("c", 0)
    return harvest.Selection(since=selection.since, before=selection.before,
                             set_spec=selection.set_spec, after_id=state["a"]), int(cursor)


_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": lambda root, args: _list(root, args, records=False),
    "ListRecords": lambda root, args: _list(root, args, records=True),
    "GetRecord": _get_record,
}
