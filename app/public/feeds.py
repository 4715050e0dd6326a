"""Atom feeds (RFC 4287) of the newest public practices, filtered like the search page.

GET /feeds/practices.atom takes the query string of the search page (q, theme, pillar, level,
country, language, emerging_issue, sdg_target, status; `page` is ignored) and lists the
FEED_SIZE practices that search finds, newest publication first: without `q` the newest
matching practices, with `q` the FEED_SIZE best matches. Only public practices appear, as
search holds no others (practices.visibility); promising ones carry a status category and a
badge in their content.

Written with xml.etree.ElementTree, which escapes text and attributes. feedgen 1.0.0, the
latest release, was left out: it drops rel, type and hreflang from entry links
(lkiesow/python-feedgen#135) and cannot put xml:lang on an entry's title.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from flask import Blueprint, Response, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from app.db import get_session
from app.labels import display
from app.labels.translate import describe
from app.labels.vocab import field_name, value_label
from app.labels.workflow import badges as recognition_badges
from app.public.search_page import SearchState
from app.search import get_search
from practices.errors import ValidationError
from practices.filters import SearchFilters
from practices.models import Practice

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

FEED_SIZE = 30  # entries in a feed
SUMMARY_LENGTH = 600  # characters of a practice's summary in its entry
ATOM_TYPE = "application/atom+xml; charset=utf-8"

_ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry (its Char production, XML 1.0 §2.2): C0 controls other
# than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. Only NUL is
# refused on input, so a pasted control character must not break the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# An empty feed still needs an <updated>; a fixed instant keeps its ETag stable.
_NOTHING_YET = datetime(1970, 1, 1, tzinfo=UTC)


@bp.get("/practices.atom")
def practices():
    """Serve the Atom feed of the newest public practices matching the query string.

    Returns 400 (the site's error page) for a bad filter value, and 304 when the feed reader's
    If-None-Match names the current version.
    """
    try:
        state = SearchState.from_args(request.args)
    except ValidationError as exc:
        raise BadRequest(describe(exc)) from exc
    found = get_search().search(
        get_session(), query=state.query, filters=state.filters, page=1, limit=FEED_SIZE
    )
    newest = sorted((item.practice for item in found.items), key=_published, reverse=True)
    response = Response(_feed_xml(state, newest), content_type=ATOM_TYPE)
    response.vary.add("Accept-Language")  # titles and labels follow the interface language
    response.add_etag()
    return response.make_conditional(request)


@bp.app_template_global("practices_feed_url")
def practices_feed_url(
    query: str = "",
    filters: SearchFilters | Mapping[str, Sequence[str]] | None = None,
    *,
    external: bool = False,
) -> str:
    """Return the URL of the feed of a search (values sorted: one search, one feed URL)."""
    args = {name: sorted(values) for name, values in (filters or {}).items() if values}
    return url_for("feeds.practices", q=query or None, _external=external, **args)


def _feed_xml(state: SearchState, practices: Sequence[Practice]) -> bytes:
    # Elements are built without namespace and the root declares Atom as the default one:
    # ElementTree's default_namespace option refuses unprefixed attributes such as rel.
    feed = ET.Element("feed", {"xmlns": _ATOM, _XML_LANG: str(get_locale() or "en")})
    self_url = practices_feed_url(state.query, state.filters.as_lists(), external=True)
    _add(feed, "id", self_url)
    _add(feed, "title", _feed_title(state))
    _add(feed, "subtitle", _(
        "Good practices of schools of the UNESCO Associated Schools Network (ASPnet), "
        "in the language they were written in."
    ))
    _add(feed, "updated", _timestamp(max(map(_updated, practices), default=_NOTHING_YET)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    search_url = url_for("find.search", q=state.query or None, _external=True,
                         **state.filters.as_lists())
    _add(feed, "link", rel="alternate", type="text/html", href=search_url)
    # The feed's author stands for the entries of practices that have no institution.
    _add(_add(feed, "author"), "name", _("Practice Exchange"))
    for practice in practices:
        _add_entry(feed, practice)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _feed_title(state: SearchState) -> str:
    chosen = [_("“%(query)s”", query=state.query)] if state.query else []
    chosen += [
        _("%(field)s: %(values)s", field=field_name(name),
          values=", ".join(value_label(name, value) for value in values))
        for name, values in state.filters.items()
    ]
    if not chosen:
        return _("Practice Exchange: newest practices")
    return _("Practice Exchange: newest practices (%(search)s)", search="; ".join(chosen))


def _add_entry(feed: ET.Element, practice: Practice) -> None:
    """Append the entry of one practice; the school's own words carry its language."""
    url = url_for("catalog.practice", practice_id=practice.id, _external=True)
    language = practice.language
    entry = _add(feed, "entry")
    _add(entry, "id", url)
    _add(entry, "title", practice.title, lang=language)
    _add(entry, "updated", _timestamp(_updated(practice)))
    _add(entry, "published", _timestamp(_published(practice)))
    _add(entry, "link", rel="alternate", type="text/html", hreflang=language, href=url)
    if practice.institution is not None:
        _add(_add(entry, "author", lang=language), "name", practice.institution.name)
    badges = recognition_badges(practice)
    _add_categories(entry, "theme", practice.themes)
    _add_categories(entry, "status", [code for code, _label in badges])
    summary = display.snippet(practice, SUMMARY_LENGTH)
    _add(entry, "summary", summary, lang=language, type="text")
    _add(entry, "content", _content_html(summary, language, badges), type="html")
    if practice.license:
        _add(entry, "rights", practice.license)


def _add_categories(entry: ET.Element, field: str, codes: Iterable[str]) -> None:
    # scheme + term is the search for that value, so a category is also a working link.
    scheme = url_for("find.search", _external=True) + f"?{field}="
    for code in codes:
        _add(entry, "category", term=code, scheme=scheme, label=value_label(field, code))


def _content_html(summary: str, language: str, badges: list[tuple[str, str]]) -> str:
    """Return the entry's content: the recognition badges (interface language), then the
    summary marked with its language and writing direction, which Atom text cannot carry."""
    parts = []
    if badges:
        strong = (Markup("<strong>{}</strong>").format(label) for _code, label in badges)
        parts.append(Markup("<p>{}</p>").format(Markup(" · ").join(strong)))
    parts.append(Markup("<p {}>{}</p>").format(display.lang_attrs(language), summary))
    return str(Markup("").join(parts))


def _add(
    parent: ET.Element, tag: str, text: str | None = None, *, lang: str | None = None,
    **attributes: str | None,
) -> ET.Element:
    """Append an Atom element with `text`, xml:lang `lang` and the attributes that are set."""
    element = ET.SubElement(parent, tag, {
        name: _NOT_XML.sub("", value) for name, value in attributes.items() if value
    })
    if lang:
        element.set(_XML_LANG, lang)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _published(practice: Practice) -> datetime:
    return practice.published_at or practice.created_at


def _updated(practice: Practice) -> datetime:
    return max(practice.updated_at, _published(practice))


def _timestamp(moment: datetime) -> str:
    """Return an RFC 3339 date-time in UTC, to the second ("2024-05-01T09:30:00Z")."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
