"""Files attached to a practice: what a school may attach, recognised from the bytes.

A school attaches worksheets, lesson plans and photos. The type is read from the content,
never from the name or the browser's Content-Type, and only the kinds below are kept:

- PDF (ISO 32000: the file starts with "%PDF-");
- OpenDocument text, spreadsheet and presentation (OASIS ODF 1.3, part 2 §3.3: a ZIP whose
  first member is the uncompressed "mimetype" file naming the type);
- Office Open XML word processing, spreadsheet and presentation (ECMA-376 part 2: a ZIP with
  "[Content_Types].xml" and the main part, e.g. "word/document.xml");
- JPEG, PNG, WebP and GIF images, decoded by Pillow and re-encoded (so nothing but pixels
  survives: no EXIF location, no appended payload) with a thumbnail.

Names are kept for display only (any script), never used as paths: files are stored under the
SHA-256 of their bytes (practices.blobs).
"""
from __future__ import annotations

import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from practices.errors import ValidationError
from practices.i18n import N_, Message

MAX_BYTES = 10 * 1024 * 1024  # per file; app config ATTACHMENT_MAX_BYTES may lower it
MAX_PER_PRACTICE = 20
MAX_NAME_CHARS = 200
THUMBNAIL_PX = 320  # longest side of a thumbnail
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused (decompression bombs)

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
JPEG, PNG, WEBP, GIF = "image/jpeg", "image/png", "image/webp", "image/gif"

# The kinds a person sees in the form's hint and in refusals.
ACCEPTED_KINDS = N_("PDF, OpenDocument or Word/Excel/PowerPoint documents, JPEG, PNG, WebP "
                    "or GIF images")

_ODF_TYPES = frozenset({ODT, ODS, ODP})
_OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX,
                     "ppt/presentation.xml": PPTX}
_PILLOW_TYPES = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP, "GIF": GIF}
# Re-encoded images keep their format, except GIF (first frame only) which becomes PNG.
_SAVE_AS = {JPEG: ("JPEG", {"quality": 88}), PNG: ("PNG", {"optimize": True}),
            WEBP: ("WEBP", {"quality": 88}), GIF: ("PNG", {"optimize": True})}
EXTENSIONS = {PDF: "pdf", ODT: "odt", ODS: "ods", ODP: "odp", DOCX: "docx", XLSX: "xlsx",
              PPTX: "pptx", JPEG: "jpg", PNG: "png", WEBP: "webp"}


@dataclass(frozen=True)
class CheckedFile:
    """A file accepted for attaching: its bytes as they will be stored, its media type, its
    display name, and for images the thumbnail (PNG or JPEG bytes) and size in pixels."""

    name: str
    media_type: str
    data: bytes
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        """True for re-encoded images (shown inline with their thumbnail)."""
        return self.media_type.startswith("image/")


def check_file(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Return `data` as a file a practice may carry, recognised from its bytes.

    Args:
        name: the name the person's computer gave it (display only; any script).
        data: the whole file.
        max_bytes: the size limit in bytes (MAX_BYTES unless the app sets a lower one).

    Raises:
        ValidationError: {"file": why} for an empty or oversized file, a kind that is not
            accepted, or an image Pillow cannot decode or that is too large in pixels.
    """
    if not data:
        _refuse(Message("the file is empty"))
    if len(data) > max_bytes:
        _refuse(Message("the file is larger than the limit of %(limit)s MB",
                        limit=_megabytes(max_bytes)))
    display = display_name(name)
    media_type = _document_type(data)
    if media_type is not None:
        return CheckedFile(display, media_type, data)
    return _image(display, data)


def display_name(name: str) -> str:
    """Return `name` fit to show: the last path component, NFC, without control or format
    characters (bidi overrides that disguise an extension), at most MAX_NAME_CHARS; "file"
    when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in unicodedata.normalize("NFC", base)
                   if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Zl", "Zp"})
    return kept.strip().strip(".")[:MAX_NAME_CHARS] or "file"


def _document_type(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else _refuse_kind()
            if "[Content_Types].xml" in names:
                found = [t for part, t in _OOXML_MAIN_PARTS.items() if part in names]
                return found[0] if found else _refuse_kind()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(Message("the document is damaged and cannot be read"))
    return _refuse_kind()


def _image(name: str, data: bytes) -> CheckedFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                media_type = _PILLOW_TYPES.get(image.format or "")
                if media_type is None:
                    _refuse_kind()
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    _refuse(Message("the image is too large (%(pixels)s megapixels; the "
                                    "limit is %(limit)s)", pixels=_mega(image), limit=40))
                image.load()
                return _reencoded(name, media_type, ImageOps.exif_transpose(image))
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        _refuse_kind()
    except (OSError, SyntaxError, ValueError):
        _refuse(Message("the image is damaged and cannot be read"))


def _reencoded(name: str, media_type: str, image: Image.Image) -> CheckedFile:
    image = _displayable(image, media_type)
    fmt, options = _SAVE_AS[media_type]
    stored = _encode(image, fmt, options)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    thumbnail = _encode(thumb, fmt, options)
    stored_type = PNG if fmt == "PNG" else media_type
    return CheckedFile(name, stored_type, stored, thumbnail, image.width, image.height)


def _displayable(image: Image.Image, media_type: str) -> Image.Image:
    if media_type == JPEG:
        return image.convert("RGB")
    if image.mode in {"P", "LA", "PA", "1", "I", "I;16", "F"}:
        return image.convert("RGBA")
    return image


def _encode(image: Image.Image, fmt: str, options: dict) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)  # no exif= and no info: metadata is dropped
    return out.getvalue()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _mega(image: Image.Image) -> int:
    return round(image.width * image.height / 1_000_000)


def _refuse_kind():
    _refuse(Message("this kind of file cannot be attached; accepted: %(kinds)s",
                    kinds=Message(ACCEPTED_KINDS)))


def _refuse(message: str):
    raise ValidationError({"file": message})
