"""The API's views: each parses the request, calls one service, commits at most once."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError

from app.api import params, schema, serialize
from app.api.auth import CHALLENGE, require_writer
from app.api.schema import openapi_document, openapi_text
from app.db import get_session
from app.search import get_search, get_writer
from app.search.suggestions import suggest_tags
from practices import require, search_text, validate_practice
from practices.errors import Conflict
from practices.services import create_draft, get_public_practice, transition
from practices.tag_reference import draft_text

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.after_request
def _challenge(response):
    # app/errors.py builds its own JSON response, so Unauthorized's header is added here.
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", CHALLENGE)
    return response


@bp.get("/search")
def search():
    """Search the public practices; an empty q lists them newest first."""
    cfg = current_app.config
    p = params.search_params(request.args, default_limit=cfg["SEARCH_RESULTS_LIMIT"],
                             max_limit=cfg["SEARCH_MAX_LIMIT"],
                             max_query=cfg["SEARCH_MAX_QUERY_CHARS"])
    page = get_search().search(get_session(), query=p.query, filters=p.filters,
                               page=p.page, limit=p.limit, order=p.sort)
    return jsonify(serialize.result_page(page))


@bp.get("/practices/<int:practice_id>")
def practice(practice_id: int):
    """Return a public practice in full; anything else is 404."""
    params.only(request.args, ())
    return jsonify(serialize.record(get_public_practice(get_session(), practice_id)))


@bp.get("/practices/<int:practice_id>/similar")
def similar(practice_id: int):
    """Return the public practices closest in content to a public practice."""
    args = request.args
    params.only(args, {"limit", "other_languages", "other_countries"})
    limit = params.integer(args, "limit", current_app.config["SEARCH_RESULTS_LIMIT"], 1,
                           current_app.config["SEARCH_MAX_LIMIT"])
    items = get_search().similar(
        get_session(), practice_id, limit=limit,
        other_languages=params.boolean(args, "other_languages"),
        other_countries=params.boolean(args, "other_countries"))
    return jsonify(serialize.similar(items))


@bp.post("/practices")
def submit():
    """Submit a practice of the token owner's institution for review (import-format JSON),
    through the same workflow as the pages; 201 with its Location."""
    user = require_writer()
    require(user, "create")  # a curator's token gets 403 whatever the body says
    data = validate_practice(schema.request_body("the practice"))
    session = get_session()
    get_writer().prepare(session, [search_text(data)])  # before writing: see app/search/writer
    try:
        created = create_draft(session, data, actor=user)
        transition(session, created.id, "submit", actor=user)
        answer = serialize.record(created)  # read before the commit (see take_transition)
        session.commit()
    except IntegrityError:  # another request took the same external_id meanwhile
        session.rollback()
        raise Conflict(f"a practice with external_id {data.external_id!r} exists") from None
    location = url_for("api.practice", practice_id=created.id, _external=True)
    return jsonify(answer), 201, {"Location": location}


@bp.post("/tag-suggestions")
def tag_suggestions():
    """Suggest tags for a draft's title, summary and body (nothing is stored or applied)."""
    user = require_writer()
    require(user, "create")
    text = draft_text(params.json_object(request, "the draft", "its title, summary and body"))
    return jsonify(suggest_tags(text["title"], text["summary"], text["body"]).as_dict())


@bp.get("/openapi.yaml")
def openapi_yaml():
    """The OpenAPI 3.1 description of this API."""
    return Response(openapi_text(), mimetype="application/yaml")


@bp.get("/openapi.json")
def openapi_json():
    """The same description as JSON."""
    return jsonify(openapi_document())
