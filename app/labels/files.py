"""How attached files are described on pages: their kind and size, in the interface language."""
from __future__ import annotations

from babel.units import format_unit
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.labels.translate import translate
from practices import attachments as kinds

_KINDS = {
    kinds.PDF: _l("PDF document"),
    kinds.ODT: _l("OpenDocument text"),
    kinds.ODS: _l("OpenDocument spreadsheet"),
    kinds.ODP: _l("OpenDocument presentation"),
    kinds.DOCX: _l("Word document"),
    kinds.XLSX: _l("Excel spreadsheet"),
    kinds.PPTX: _l("PowerPoint presentation"),
}


def file_kind(media_type: str) -> str:
    """Return what a person calls a file of `media_type` ("PDF document", "Image")."""
    if media_type.startswith("image/"):
        return str(_l("Image"))
    return str(_KINDS.get(media_type, media_type))


def file_size(size: int) -> str:
    """Return `size` (bytes) in kB or MB, written the locale's way (CLDR units)."""
    locale = get_locale() or "en"
    if size < 1024 * 1024:
        return format_unit(max(1, round(size / 1024)), "digital-kilobyte", length="short",
                           locale=locale)
    value = round(size / (1024 * 1024), 1)
    return format_unit(int(value) if value.is_integer() else value, "digital-megabyte",
                       length="short", locale=locale)


def accepted_kinds() -> str:
    """Return the sentence listing the kinds of file a school may attach."""
    return translate(kinds.ACCEPTED_KINDS)
