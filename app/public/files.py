"""Serving attached files: the published revision's to everyone, other revisions' to those
who may see the practice under review; never as HTML a browser would run."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort

from app.accounts.auth import current_actor
from app.db import get_session
from app.storage import blob_store
from practices.attachments import EXTENSIONS
from practices.services.attachments import readable_file

bp = Blueprint("files", __name__, url_prefix="/practices/<int:practice_id>/files")

# Files are never a page: no script, no plugin, no frame, nothing loaded from elsewhere.
_SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@bp.get("/<int:attachment_id>/<path:name>")
def download(practice_id: int, attachment_id: int, name: str):
    """Send a file: images shown in the browser, documents downloaded, under their name."""
    attachment = readable_file(get_session(), practice_id, attachment_id, actor=current_actor())
    data = _read(attachment.blob_key)
    disposition = "inline" if attachment.is_image else "attachment"
    return _send(data, attachment.media_type, attachment, disposition, attachment.name)


@bp.get("/<int:attachment_id>/thumbnail")
def thumbnail(practice_id: int, attachment_id: int):
    """Send the thumbnail of an image (404 for documents)."""
    attachment = readable_file(get_session(), practice_id, attachment_id, actor=current_actor())
    if attachment.thumbnail_key is None:
        abort(404)
    data = _read(attachment.thumbnail_key)
    return _send(data, attachment.media_type, attachment, "inline", "thumbnail-" + attachment.name)


def _read(key: str) -> bytes:
    try:
        return blob_store().read(key)
    except FileNotFoundError:
        abort(404)


def _send(data: bytes, media_type: str, attachment, disposition: str, name: str) -> Response:
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = _disposition(disposition, name, media_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = _SANDBOX
    practice = attachment.practice
    published = practice.is_public and attachment.revision_no == practice.current_revision_no
    response.headers["Cache-Control"] = "public, max-age=3600" if published else "private, no-store"
    return response


def _disposition(kind: str, name: str, media_type: str) -> str:
    """RFC 6266: an ASCII fallback name and the real name in UTF-8 (RFC 8187 filename*)."""
    extension = EXTENSIONS.get(media_type, "bin")
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    if not fallback.strip("_.") or not fallback.lower().endswith("." + extension):
        fallback = f"{fallback.strip('_.') or 'file'}.{extension}"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
