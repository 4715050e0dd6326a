"""Files on a practice, through the pages: a school attaches worksheets and photos to its
draft, its reviewers see them, the public gets them once the practice is published, and an
edit of a public practice changes its files only when the edit is published."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from PIL import Image

from tests.sample_files import PDF_BYTES, jpeg_with_location
from tests.web.helpers import (
    audit_actions,
    login_as,
    new_user,
    post_action,
    school_and_editor,
)
from tests.web.html_page import parse

CONTENT = {
    "language": "ar", "title": "حديقة المدرسة", "summary": "يزرع التلاميذ الخضروات.",
    "body": "بنينا أحواضاً للزراعة.\n\nيسقي التلاميذ النباتات كل يوم.", "themes": ["esd"],
}  # fmt: skip
WORKSHEET = "ورقة عمل — الماء.pdf"


@pytest.fixture
def people(app):
    """Signed-in clients: a Moroccan school editor, Morocco's National Coordinator, a visitor
    and an editor of another Moroccan school."""
    _, editor = school_and_editor(app, country="MA")
    _, other_editor = school_and_editor(app, country="MA")
    coordinator = new_user(app, "national_coordinator", country="MA")
    school, nc, other = app.test_client(), app.test_client(), app.test_client()
    login_as(school, editor)
    login_as(nc, coordinator)
    login_as(other, other_editor)
    return school, nc, app.test_client(), other


def write(school) -> int:
    response = school.post("/submit", data={**CONTENT, "intent": "save"})
    assert response.status_code == 303, response.data
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def attach(client, practice_id: int, name: str, data: bytes):
    """Post the upload form with one file."""
    response = client.post(f"/my/practices/{practice_id}/files",
                           data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    # The test client spools a large body to a temporary file and leaves it open.
    response.request.environ["wsgi.input"].close()
    return response


def file_links(client, url: str) -> dict[str, str]:
    """Return {file name: download link} of the Files section of the page at `url`."""
    section = parse(client.get(url).data).find("section", id="files")
    if section is None:
        return {}
    return {a.text.strip(): a["href"] for a in section.find_all("a") if a.text.strip()}


def test_a_school_attaches_files_reviewers_see_them_the_public_after_publication(app, people):
    school, nc, visitor, other = people
    practice_id = write(school)
    assert attach(school, practice_id, WORKSHEET, PDF_BYTES).status_code == 303
    assert attach(school, practice_id, "sortie.jpg", jpeg_with_location()).status_code == 303

    links = file_links(school, f"/my/practices/{practice_id}")
    assert set(links) == {WORKSHEET, "sortie.jpg"}
    pdf_url = links[WORKSHEET]
    assert school.get(pdf_url).data == PDF_BYTES
    for outsider in (visitor, other, nc):  # a draft is the school's alone
        assert outsider.get(pdf_url).status_code == 404

    post_action(school, practice_id, "submit", "draft")
    assert set(file_links(nc, f"/review/practices/{practice_id}")) == {WORKSHEET, "sortie.jpg"}
    assert nc.get(pdf_url).status_code == 200
    assert visitor.get(pdf_url).status_code == 404  # still under review

    post_action(nc, practice_id, "publish", "submitted")
    public = file_links(visitor, f"/practices/{practice_id}")
    assert set(public) == {WORKSHEET, "sortie.jpg"}
    download = visitor.get(public[WORKSHEET])
    assert download.data == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote(WORKSHEET, safe="") in disposition
    assert audit_actions(app, practice_id)[:3] == ["create", "attach", "attach"]


def test_a_photo_is_served_without_its_location_and_with_a_thumbnail(app, people):
    school, *_ = people
    practice_id = write(school)
    attach(school, practice_id, "sortie.jpg", jpeg_with_location((1200, 800)))
    page = parse(school.get(f"/my/practices/{practice_id}").data)
    thumbnail = page.find("section", id="files").find("img")["src"]

    photo = Image.open(io.BytesIO(school.get(file_links(
        school, f"/my/practices/{practice_id}")["sortie.jpg"]).data))
    assert photo.getexif() == {} and photo.size == (800, 1200)
    small = Image.open(io.BytesIO(school.get(thumbnail).data))
    assert max(small.size) <= 320


def test_a_file_of_another_kind_is_refused_on_the_page_and_nothing_is_attached(app, people):
    school, *_ = people
    practice_id = write(school)
    response = attach(school, practice_id, "cours.pdf", b"MZ\x90\x00program")
    assert response.status_code == 422
    problem = parse(response.data).one("div", class_="error-summary").text
    assert "cannot be attached" in problem and "PDF" in problem
    assert file_links(school, f"/my/practices/{practice_id}") == {}


def test_the_form_states_the_size_limit_and_a_bigger_file_is_refused_saying_it(app, people):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    school, *_ = people
    practice_id = write(school)
    hint = parse(school.get(f"/my/practices/{practice_id}").data).one("p", id="attach-hint")
    assert "1 MB" in hint.text
    response = attach(school, practice_id, "gros.pdf", PDF_BYTES + b"\0" * (1024 * 1024))
    assert response.status_code == 422
    assert "the limit of 1 MB" in parse(response.data).one("div", class_="error-summary").text


def test_a_file_larger_than_other_requests_may_be_is_attached(app, people):
    """MAX_CONTENT_LENGTH (2 MiB) holds other requests; a 3 MB worksheet is under the 10 MB
    the form states (it was refused with 413 before the limit was applied ahead of the
    hook that reads forms)."""
    school, *_ = people
    practice_id = write(school)
    big = PDF_BYTES + b"\0" * (3 * 1024 * 1024)
    assert attach(school, practice_id, "gros.pdf", big).status_code == 303
    assert school.get(file_links(school, f"/my/practices/{practice_id}")["gros.pdf"]).data == big


def test_another_school_can_neither_attach_nor_remove_files(app, people):
    school, _, _, other = people
    practice_id = write(school)
    attach(school, practice_id, WORKSHEET, PDF_BYTES)
    assert attach(other, practice_id, "x.pdf", PDF_BYTES).status_code in {403, 404}
    assert set(file_links(school, f"/my/practices/{practice_id}")) == {WORKSHEET}


def test_an_edit_of_a_public_practice_changes_its_files_only_once_published(app, people):
    school, nc, visitor, _ = people
    practice_id = write(school)
    attach(school, practice_id, WORKSHEET, PDF_BYTES)
    post_action(school, practice_id, "submit", "draft")
    post_action(nc, practice_id, "publish", "submitted")

    page = parse(school.get(f"/my/practices/{practice_id}").data)
    remove = page.find("section", id="files").find("form")["action"]
    assert school.post(remove).status_code == 303
    assert attach(school, practice_id, "sortie.jpg", jpeg_with_location()).status_code == 303
    assert set(file_links(school, f"/my/practices/{practice_id}")) == {"sortie.jpg"}
    assert set(file_links(visitor, f"/practices/{practice_id}")) == {WORKSHEET}  # still online

    post_action(school, practice_id, "submit", "draft")  # the pending revision
    post_action(nc, practice_id, "publish", "submitted")
    assert set(file_links(visitor, f"/practices/{practice_id}")) == {"sortie.jpg"}
