"""What a school may attach: the kind is read from the bytes, images are re-encoded without
their metadata, names are for display only."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from practices.attachments import (
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    THUMBNAIL_PX,
    check_file,
    display_name,
)
from practices.errors import ValidationError
from tests.sample_files import (
    PDF_BYTES,
    docx_bytes,
    jpeg_with_location,
    odt_bytes,
    png_bytes,
    zip_bytes,
)


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("fiche.pdf", PDF_BYTES, PDF),
    ("lesson.docx", docx_bytes(), DOCX),
    ("plan.odt", odt_bytes(), ODT),
    ("worksheet", PDF_BYTES, PDF),  # no extension: the content decides
    ("photo.pdf", png_bytes(), PNG),  # a wrong extension does not fool it
])  # fmt: skip
def test_documents_and_images_are_recognised_by_their_content(name, data, kind):
    assert check_file(name, data).media_type == kind


@pytest.mark.parametrize(("name", "data"), [
    ("page.pdf", b"<html><script>alert(1)</script></html>"),
    ("setup.pdf", b"MZ\x90\x00" + b"\0" * 200),
    ("archive.docx", zip_bytes()),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
    ("notes.txt", "Texte en français".encode()),
])  # fmt: skip
def test_other_kinds_are_refused_whatever_their_name(name, data):
    with pytest.raises(ValidationError) as refused:
        check_file(name, data)
    assert "cannot be attached" in refused.value.errors["file"]
    assert "PDF" in refused.value.errors["file"]  # says what is accepted


def test_an_empty_file_and_a_file_over_the_limit_are_refused_saying_the_limit():
    with pytest.raises(ValidationError, match="empty"):
        check_file("a.pdf", b"")
    with pytest.raises(ValidationError) as refused:
        check_file("big.pdf", PDF_BYTES + b"\0" * 3 * 1024 * 1024, max_bytes=2 * 1024 * 1024)
    assert "the limit of 2 MB" in refused.value.errors["file"]


def test_a_photo_loses_its_location_and_is_turned_upright_with_a_thumbnail():
    checked = check_file("sortie.jpg", jpeg_with_location((1200, 800)))

    assert checked.media_type == JPEG
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.getexif() == {}  # no GPS position, no camera data
    assert (checked.width, checked.height) == (800, 1200) == stored.size  # upright
    thumb = Image.open(io.BytesIO(checked.thumbnail))
    assert max(thumb.size) == THUMBNAIL_PX


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    huge = png_bytes((9000, 9000), mode="1")  # 81 megapixels, a few kB compressed
    with pytest.raises(ValidationError, match="too large"):
        check_file("bomb.png", huge)


def test_a_damaged_image_is_refused_clearly():
    with pytest.raises(ValidationError, match="damaged"):
        check_file("broken.png", png_bytes()[:60])


@pytest.mark.parametrize(("given", "shown"), [
    ("C:\\Users\\Amina\\Desktop\\درس المياه.pdf", "درس المياه.pdf"),
    ("../../etc/passwd", "passwd"),
    ("report\u202etxt.exe", "reporttxt.exe"),  # a right-to-left override hid the extension
    ("学校菜园 — 教案.docx", "学校菜园 — 教案.docx"),
    ("Cafe\u0301.pdf", "Café.pdf"),  # stored composed (NFC)
    ("...", "file"),
])  # fmt: skip
def test_names_are_kept_for_display_in_any_script_but_never_as_paths(given, shown):
    assert display_name(given) == shown
