"""Files travel with their practice: `flask practices export` writes each practice's files into
its JSON Lines record, and an import in another installation (the command, a queued job, the
Import practices page) gives the practice the same files, each checked as an upload is."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import time

import pytest
from PIL import Image
from sqlalchemy import func, select

from app import create_app
from app.db import get_session
from practices.attachments import check_file
from practices.blobs import BlobStore
from practices.models import Attachment, AuditEntry, Practice
from tests.factories import practice_record
from tests.sample_files import PDF_BYTES, jpeg_with_location, png_bytes
from tests.web.helpers import audit_actions, login_as, new_user, post_action, school_and_editor
from tests.web.html_page import parse
from tests.web.test_attachments import CONTENT, attach, file_links

WORKSHEET = "ورقة عمل — الماء.pdf"  # Arabic
POSTER = "海报 水循环.png"  # Chinese
PHOTO = "sortie scolaire.jpg"


def _published_with_files(app) -> int:
    """A Moroccan school writes a practice, attaches three files through the form, submits;
    its National Coordinator publishes it. Returns its id."""
    _, editor = school_and_editor(app, country="MA")
    coordinator = new_user(app, "national_coordinator", country="MA")
    school, nc = app.test_client(), app.test_client()
    login_as(school, editor)
    login_as(nc, coordinator)
    response = school.post("/submit", data={**CONTENT, "intent": "save"})
    practice_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    for name, data in ((WORKSHEET, PDF_BYTES), (POSTER, png_bytes((64, 40), "RGB")),
                       (PHOTO, jpeg_with_location((120, 80)))):
        assert attach(school, practice_id, name, data).status_code == 303
    post_action(school, practice_id, "submit", "draft")
    assert post_action(nc, practice_id, "publish", "submitted").status_code == 303
    return practice_id


def _files(app) -> list[tuple[str, str, bytes, int | None, int | None]]:
    """(name, media type, bytes, width, height) of every stored file row, by name."""
    with app.app_context():
        session = get_session()
        store = BlobStore(app.config["ATTACHMENTS_DIR"])
        rows = session.scalars(select(Attachment).order_by(Attachment.name)).all()
        return [(r.name, r.media_type, store.read(r.blob_key), r.width, r.height)
                for r in rows]


def _count(app, model) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model))


def _fresh_installation(app, app_config, migrated_database, tmp_path):
    """Another installation: its own empty database and attachments folder. (On PostgreSQL
    the tests' one database is emptied: `app` is disposed first.)"""
    app.extensions["db_engine"].dispose()
    (tmp_path / "b").mkdir()
    return create_app({**app_config, "DATABASE_URL": migrated_database(tmp_path / "b"),
                       "ATTACHMENTS_DIR": str(tmp_path / "b" / "attachments"),
                       "SEARCH_INDEX_DIR": str(tmp_path / "b" / "search_index")})


def _record_with(*files, **fields) -> dict:
    return {**practice_record(external_id="x-files", **fields), "attachments": list(files)}


def _file(name: str, data: bytes, **fields) -> dict:
    return {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
            "content_base64": base64.b64encode(data).decode("ascii"), **fields}


def _jsonl(path, *records) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return str(path)


@pytest.mark.postgres
def test_an_exported_practice_arrives_in_another_installation_with_its_files(
        app, app_config, migrated_database, tmp_path):
    practice_id = _published_with_files(app)
    before = _files(app)
    export = tmp_path / "export.jsonl"
    result = app.test_cli_runner().invoke(args=["practices", "export", str(export)])
    assert result.exit_code == 0, result.output
    record = json.loads(export.read_text(encoding="utf-8"))
    assert [f["name"] for f in record["attachments"]] == [WORKSHEET, POSTER, PHOTO]

    other = _fresh_installation(app, app_config, migrated_database, tmp_path)
    try:
        runner = other.test_cli_runner()
        result = runner.invoke(args=["practices", "import", str(export), "--publish"])
        assert result.exit_code == 0, result.output
        assert "1 created" in result.output
        after = _files(other)
        # Names in any script, media types, pixel sizes; the same bytes for the PDF and
        # the PNG. A JPEG is re-encoded again, as any uploaded photo is (lossy: its bytes
        # change, its size in pixels does not).
        assert [(n, t, w, h) for n, t, _, w, h in after] == [
            (n, t, w, h) for n, t, _, w, h in before]
        same = {n: a == b for (n, _, a, *_), (_, _, b, *_) in zip(after, before, strict=True)}
        assert same[WORKSHEET] and same[POSTER]

        visitor = other.test_client()
        with other.app_context():
            new_id = get_session().scalar(select(Practice.id))
        links = file_links(visitor, f"/practices/{new_id}")
        assert set(links) == {WORKSHEET, POSTER, PHOTO}
        assert visitor.get(links[WORKSHEET]).data == PDF_BYTES
        assert visitor.get(links[POSTER]).headers["Content-Type"] == "image/png"
        thumbnails = parse(visitor.get(f"/practices/{new_id}").data).find(
            "section", id="files").find_all("img")
        assert len(thumbnails) == 2
        for img in thumbnails:  # regenerated in the new installation
            assert visitor.get(img["src"]).status_code == 200

        # The same export again: nothing new, no file twice.
        result = runner.invoke(args=["practices", "import", str(export), "--publish"])
        assert result.exit_code == 0 and "1 unchanged" in result.output, result.output
        assert _count(other, Practice) == 1 and _count(other, Attachment) == 3
    finally:
        other.extensions["db_engine"].dispose()
    assert practice_id


def test_a_reimport_with_other_files_changes_the_published_files_in_a_new_revision(
        app, runner, tmp_path):
    path = tmp_path / "p.jsonl"
    first = _record_with(_file("plan.pdf", PDF_BYTES))
    assert runner.invoke(args=["practices", "import", _jsonl(path, first),
                               "--publish"]).exit_code == 0
    second = _record_with(_file("poster.png", png_bytes()))
    result = runner.invoke(args=["practices", "import", _jsonl(path, second), "--publish"])
    assert "1 updated" in result.output, result.output
    with app.app_context():
        practice = get_session().scalar(select(Practice))
        practice_id = practice.id
        assert practice.current_revision_no == 2
    assert set(file_links(app.test_client(), f"/practices/{practice_id}")) == {"poster.png"}
    assert {"attach", "detach"} <= set(audit_actions(app, practice_id))
    # A record without "attachments" (a CSV line, an older file) leaves the files alone, also
    # when its new text makes a new published revision.
    third = {k: v for k, v in second.items() if k != "attachments"}
    third["title"] = "A new title"
    result = runner.invoke(args=["practices", "import", _jsonl(path, third), "--publish"])
    assert "1 updated" in result.output, result.output
    with app.app_context():
        assert get_session().get(Practice, practice_id).current_revision_no == 3
    assert set(file_links(app.test_client(), f"/practices/{practice_id}")) == {"poster.png"}


@pytest.mark.parametrize("bad_file, expected", [
    ({"name": "a.pdf", "content_base64": "not base64!"}, "content_base64 is not valid Base64"),
    (_file("a.pdf", PDF_BYTES, sha256="0" * 64), "sha256 does not match the decoded content"),
    (_file("a.pdf", PDF_BYTES, size=7), "size says 7 bytes"),
    (_file("prog.pdf", b"MZ\x90\x00program"), "this kind of file cannot be attached"),
    (_file("big.pdf", PDF_BYTES + b"\0" * 1024 * 1024), "larger than the limit of 1 MB"),
    ({"content_base64": "JVBERi0="}, "name and content_base64 are required"),
])
def test_a_bad_file_names_its_line_and_nothing_of_the_file_is_written(
        app, runner, tmp_path, bad_file, expected):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    good = _record_with(_file("plan.pdf", PDF_BYTES))
    bad = {**_record_with(bad_file), "external_id": "x-bad"}
    path = _jsonl(tmp_path / "p.jsonl", good, bad)
    result = runner.invoke(args=["practices", "import", path])
    assert result.exit_code == 1
    assert "line 2: attachments[0]" in result.output and expected in result.output
    assert _count(app, Practice) == 0 and _count(app, Attachment) == 0
    assert _count(app, AuditEntry) == 0


def test_the_same_file_twice_in_a_record_is_refused(app, runner, tmp_path):
    record = _record_with(_file("a.pdf", PDF_BYTES), _file("b.pdf", PDF_BYTES))
    result = runner.invoke(args=["practices", "import", _jsonl(tmp_path / "p.jsonl", record)])
    assert result.exit_code == 1
    assert "line 1: attachments[1] 'b.pdf': b.pdf is already attached" in result.output
    assert _count(app, Practice) == 0


def test_an_imported_photo_is_checked_as_an_upload_is(app, runner, tmp_path):
    """Re-encoded (no location, turned upright), a thumbnail made, the name never a path."""
    record = _record_with(_file("../../etc/sortie.jpg", jpeg_with_location((120, 80))))
    result = runner.invoke(args=["practices", "import", _jsonl(tmp_path / "p.jsonl", record)])
    assert result.exit_code == 0, result.output
    [(name, media_type, data, width, height)] = _files(app)
    assert (name, media_type, width, height) == ("sortie.jpg", "image/jpeg", 80, 120)
    assert Image.open(io.BytesIO(data)).getexif() == {}
    with app.app_context():
        assert get_session().scalar(select(Attachment.thumbnail_key)) is not None


def test_a_csv_export_says_it_carries_no_files(app, runner, tmp_path):
    runner.invoke(args=["practices", "import",
                        _jsonl(tmp_path / "p.jsonl", _record_with(_file("a.pdf", PDF_BYTES)))])
    result = runner.invoke(args=["practices", "export", str(tmp_path / "out.csv")])
    assert result.exit_code == 0
    assert "CSV carries no attached files" in result.output


def test_an_export_whose_file_bytes_are_lost_says_which_file(app, runner, tmp_path):
    runner.invoke(args=["practices", "import",
                        _jsonl(tmp_path / "p.jsonl", _record_with(_file("a.pdf", PDF_BYTES)))])
    key = hashlib.sha256(PDF_BYTES).hexdigest()
    (tmp_path / "attachments" / key[:2] / key).unlink()
    result = runner.invoke(args=["practices", "export", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    assert "a.pdf" in result.output and "missing from the attachments folder" in result.output


# --- The Import practices page (the job path) -----------------------------------------------


def _upload(client, content: bytes, name: str = "practices.jsonl"):
    data = {"file": (io.BytesIO(content), name), "publish": "y"}
    response = client.post("/imports", data=data, content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()
    return response


def _finished_page(client, location: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = client.get(location).get_data(as_text=True)
        if 'http-equiv="refresh"' not in text:
            return text
        time.sleep(0.1)
    raise AssertionError("the import did not end within 60 s")


@pytest.mark.postgres
def test_the_upload_page_imports_files_states_its_limit_and_lists_bad_files(
        app, client, make_account):
    login_as(client, make_account("curator"))
    page = parse(client.get("/imports").data)
    assert "64 MB" in page.one("span", id="file-hint").text
    poster = png_bytes((64, 40), "RGB")
    good = json.dumps(_record_with(_file(POSTER, poster)), ensure_ascii=False)
    bad = json.dumps(_record_with(_file("x.pdf", PDF_BYTES, sha256="f" * 64)))
    text = _finished_page(client, _upload(client, (good + "\n" + bad + "\n").encode())
                          .headers["Location"])
    assert "Nothing was imported." in text
    assert "line 2: attachments[0] &#39;x.pdf&#39;: sha256 does not match" in text
    assert _count(app, Attachment) == 0

    response = _upload(client, (good + "\n").encode())
    text = _finished_page(client, response.headers["Location"])
    assert "1 created" in text
    with app.app_context():
        practice_id = get_session().scalar(select(Practice.id))
    links = file_links(app.test_client(), f"/practices/{practice_id}")
    assert app.test_client().get(links[POSTER]).data == check_file(POSTER, poster).data
    # The same upload again: updated in place, no second file.
    text = _finished_page(client, _upload(client, (good + "\n").encode()).headers["Location"])
    assert "1 unchanged" in text and _count(app, Attachment) == 1


def test_an_upload_over_the_page_limit_is_refused_saying_the_limit(app, client, make_account):
    login_as(client, make_account("curator"))
    blank = b"\n" * (3 * 1024 * 1024)  # over MAX_CONTENT_LENGTH, under IMPORT_MAX_BYTES
    assert _upload(client, blank).status_code == 303
    app.config["IMPORT_MAX_BYTES"] = 100 * 1024
    response = _upload(client, b"{}\n" * 60_000)
    assert response.status_code == 413
    assert "the limit is 100 KiB" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_an_export_reads_files_batch_by_batch_each_with_its_own_practice(
        app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr("practices.services.transfer._CHUNK", 2)  # 5 practices: 3 batches
    records = [{**_record_with(_file(f"plan-{n}.pdf", PDF_BYTES + str(n).encode())),
                "external_id": f"x-{n}"} for n in range(5)]
    assert runner.invoke(args=["practices", "import",
                               _jsonl(tmp_path / "in.jsonl", *records)]).exit_code == 0
    out = tmp_path / "out.jsonl"
    assert runner.invoke(args=["practices", "export", str(out)]).exit_code == 0
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["external_id"], [f["name"] for f in r["attachments"]]) for r in exported] == [
        (f"x-{n}", [f"plan-{n}.pdf"]) for n in range(5)]
    assert base64.b64decode(exported[3]["attachments"][0]["content_base64"]) == PDF_BYTES + b"3"
