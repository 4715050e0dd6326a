"""Permanent records of public practices for machines: sitemap.xml (and its parts beyond
50,000 addresses, the protocol's limit), robots.txt, and each practice's citation as BibTeX and
CSL-JSON. A practice's permanent URL is its page, /practices/<id>."""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, url_for

from app.db import get_session
from practices import harvest

bp = Blueprint("records", __name__)

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_LIMIT = 50_000  # addresses per sitemap file (sitemaps.org protocol)
# Areas that are private or per-person: crawlers are asked to stay out.
PRIVATE_PATHS = ("/auth/", "/account", "/my", "/submit", "/review", "/curation", "/admin",
                 "/audit", "/monitoring", "/api/")


@bp.get("/robots.txt")
def robots():
    """Tell crawlers what to index and where the sitemap is."""
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in PRIVATE_PATHS), "Allow: /",
             f"Sitemap: {url_for('records.sitemap', _external=True)}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    """List every public practice's permanent URL (an index of parts above 50,000)."""
    total = harvest.public_count(get_session())
    if total <= SITEMAP_LIMIT:
        return _urlset(0)
    root = ET.Element(f"{{{SITEMAP}}}sitemapindex")
    for part in range((total + SITEMAP_LIMIT - 1) // SITEMAP_LIMIT):
        entry = ET.SubElement(root, f"{{{SITEMAP}}}sitemap")
        ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = url_for(
            "records.sitemap_part", part=part + 1, _external=True)
    return _xml(root)


@bp.get("/sitemap-<int:part>.xml")
def sitemap_part(part):
    """One part of a sitemap of more than 50,000 addresses (numbered from 1)."""
    if part < 1:
        abort(404)
    return _urlset((part - 1) * SITEMAP_LIMIT)


@bp.get("/practices/<int:practice_id>/cite.bib")
def cite_bibtex(practice_id):
    """Download the citation of a public practice as BibTeX."""
    practice = harvest.public_practice(get_session(), practice_id)
    body = harvest.bibtex(practice, _permanent_url(practice_id))
    return _download(body, "application/x-bibtex", f"practice-{practice_id}.bib")


@bp.get("/practices/<int:practice_id>/cite.json")
def cite_csl(practice_id):
    """Download the citation of a public practice as CSL-JSON (a list of one item)."""
    practice = harvest.public_practice(get_session(), practice_id)
    body = json.dumps([harvest.citation(practice, _permanent_url(practice_id))],
                      ensure_ascii=False, indent=2)
    return _download(body, "application/vnd.citationstyles.csl+json",
                     f"practice-{practice_id}.json")


def _permanent_url(practice_id: int) -> str:
    return url_for("catalog.practice", practice_id=practice_id, _external=True)


def _urlset(offset: int) -> Response:
    entries = harvest.sitemap_entries(get_session(), offset, SITEMAP_LIMIT)
    if offset and not entries:
        abort(404)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    if not offset:
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = (
            url_for("find.home", _external=True))
    for practice_id, changed in entries:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = _permanent_url(practice_id)
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = changed.date().isoformat()
    return _xml(root)


def _xml(root: ET.Element) -> Response:
    ET.register_namespace("", SITEMAP)
    return Response(ET.tostring(root, encoding="utf-8", xml_declaration=True),
                    mimetype="application/xml")


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=f"{mimetype}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
