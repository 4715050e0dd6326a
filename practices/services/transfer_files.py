"""Files in the import/export records: each JSON Lines record may carry its revision's files.

    "attachments": [{"name": "ورقة عمل.pdf", "media_type": "application/pdf", "size": 5120,
                     "sha256": "<64 hex>", "content_base64": "<the bytes, RFC 4648 Base64>"}]

An export writes the files of the revision whose content the record holds (the practice's
current revision). An import reads `name` and `content_base64` (required); `sha256` and `size`,
when present, must match the decoded bytes (a file damaged or cut on the way is refused);
`media_type` is informative: the type is read from the content. Every file then goes through
the form's own check and storage (practices.attachments.check_file and
practices.services.attachments.store_file): kind from the bytes, size limit, images decoded
and re-encoded with a new thumbnail, the name kept for display only.

A record without "attachments" leaves the stored practice's files as they are (CSV carries
none); with it, the practice ends up with exactly those files.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from practices.attachments import MAX_BYTES, MAX_PER_PRACTICE, check_file, display_name
from practices.blobs import BlobStore
from practices.errors import NotFound, ValidationError
from practices.i18n import Message
from practices.models import Attachment, Practice
from practices.permissions import Actor
from practices.records import RecordError
from practices.services import audit
from practices.services.attachments import (
    StoredFile,
    already_attached,
    new_attachment,
    store_file,
)

FIELD = "attachments"
_CHUNK = 500  # practices per query of their files
_KEYS = frozenset({"name", "media_type", "size", "sha256", "content_base64"})


@dataclass(frozen=True)
class FileIntake:
    """Where an import puts the files of its records, and the size limit of each.

    Args:
        store: the blob store (the app's ATTACHMENTS_DIR).
        max_bytes: the largest file accepted (the app's ATTACHMENT_MAX_BYTES, as for the form).
    """

    store: BlobStore
    max_bytes: int = MAX_BYTES


def read_files(line: int, raw: Any, intake: FileIntake | None
               ) -> tuple[tuple[StoredFile, ...], list[RecordError]]:
    """Check and store the files of one record's "attachments" value.

    Bytes are stored as each file passes (content-addressed: storing again is harmless), so
    that an import of many files holds one file at a time in memory; a record that is then
    refused leaves only unreferenced bytes (practices.blobs.BlobStore.orphans), no row.

    Returns:
        (the stored files, in the record's order; every problem as RecordError(line, ...)).
    """
    if intake is None:
        return (), [RecordError(line, FIELD, Message(
            "this import does not take files; import a JSON Lines file with the command or "
            "the Import practices page"))]
    if not isinstance(raw, list) or not all(isinstance(f, dict) for f in raw):
        return (), [RecordError(line, FIELD, Message(
            'must be a list of files, each with "name" and "content_base64"'))]
    if len(raw) > MAX_PER_PRACTICE:
        return (), [RecordError(line, FIELD, Message(
            "a practice can carry at most %(count)s files", count=MAX_PER_PRACTICE))]
    stored: list[StoredFile] = []
    errors: list[RecordError] = []
    for number, entry in enumerate(raw):
        place = _place(number, entry)
        try:
            data = _content(entry)
            file = store_file(check_file(entry["name"], data, max_bytes=intake.max_bytes),
                              intake.store)
        except ValidationError as exc:
            errors.append(RecordError(line, place, next(iter(exc.errors.values()))))
            continue
        if any(f.blob_key == file.blob_key for f in stored):
            errors.append(RecordError(line, place, already_attached(file.name).message))
            continue
        stored.append(file)
    return tuple(stored), errors


def same_files(rows: Sequence[Attachment], wanted: Sequence[StoredFile]) -> bool:
    """Tell whether a revision's rows are already the wanted files (bytes and names)."""
    return sorted((r.blob_key, r.name) for r in rows) == sorted(
        (f.blob_key, f.name) for f in wanted)


def current_files(session: Session, practices: Iterable[Practice]) -> dict[int, list[Attachment]]:
    """Return {practice id: the rows of its current revision}, in a few chunked queries."""
    keys = [(p.id, p.current_revision_no) for p in practices]
    found: dict[int, list[Attachment]] = {}
    for start in range(0, len(keys), _CHUNK):
        stmt = (select(Attachment)
                .where(tuple_(Attachment.practice_id, Attachment.revision_no)
                       .in_(keys[start:start + _CHUNK]))
                .order_by(Attachment.id))
        for row in session.scalars(stmt):
            found.setdefault(row.practice_id, []).append(row)
    return found


def write_files(session: Session, practice: Practice, revision_no: int,
                rows: Sequence[Attachment], wanted: Sequence[StoredFile], *, actor: Actor,
                note: str) -> None:
    """Give revision `revision_no` exactly the `wanted` files: rows whose bytes are wanted
    stay (renamed if the record names them otherwise), the others are deleted, new ones added;
    each file added or taken off gets an audit entry ("attach", "detach"). No query, no flush.

    Args:
        rows: the revision's rows now (none for a new revision).
    """
    by_key = {r.blob_key: r for r in rows}
    status = practice.status
    for file in wanted:
        row = by_key.pop(file.blob_key, None)
        if row is not None:
            row.name = file.name
            continue
        session.add(new_attachment(practice, revision_no, file))
        _audit(session, practice, revision_no, status, "attach", file, actor, note)
    for row in by_key.values():
        _audit(session, practice, revision_no, status, "detach", StoredFile.of(row), actor, note)
        session.delete(row)


def carry_files(session: Session, practice: Practice, revision_no: int,
                previous: Sequence[Attachment], wanted: Sequence[StoredFile] | None, *,
                actor: Actor, note: str) -> None:
    """Give a new revision its files: the `wanted` ones, or (None) copies of the `previous`
    revision's rows; audit entries only for files that differ from the previous revision's.
    No query, no flush."""
    kept = [StoredFile.of(r) for r in previous]
    files = kept if wanted is None else wanted
    for file in files:
        session.add(new_attachment(practice, revision_no, file))
    before = {f.blob_key for f in kept}
    after = {f.blob_key for f in files}
    for file in files:
        if file.blob_key not in before:
            _audit(session, practice, revision_no, practice.status, "attach", file, actor, note)
    for file in kept:
        if file.blob_key not in after:
            _audit(session, practice, revision_no, practice.status, "detach", file, actor, note)


def file_records(rows: Sequence[Attachment], store: BlobStore) -> list[dict[str, Any]]:
    """Return the "attachments" value of an export record: each file with its bytes.

    Raises:
        NotFound: a file's bytes are missing from the store (ATTACHMENTS_DIR not restored
            with the database).
    """
    return [_file_record(row, store) for row in rows]


def _file_record(row: Attachment, store: BlobStore) -> dict[str, Any]:
    try:
        data = store.read(row.blob_key)
    except FileNotFoundError:
        raise NotFound(Message(
            "the bytes of %(name)s (practice %(id)s, sha256 %(sha256)s) are missing from the "
            "attachments folder", name=row.name, id=row.practice_id,
            sha256=row.blob_key)) from None
    return {"name": row.name, "media_type": row.media_type, "size": len(data),
            "sha256": row.blob_key, "content_base64": base64.b64encode(data).decode("ascii")}


def _content(entry: Mapping[str, Any]) -> bytes:
    """Return the decoded bytes of one file entry, checked against its sha256 and size."""
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        _refuse(Message("unknown field %(field)r; use %(fields)s", field=unknown[0],
                        fields=", ".join(sorted(_KEYS))))
    name, text = entry.get("name"), entry.get("content_base64")
    if not isinstance(name, str) or not isinstance(text, str):
        _refuse(Message("name and content_base64 are required (text)"))
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        _refuse(Message("content_base64 is not valid Base64"))
    sha256, size = entry.get("sha256"), entry.get("size")
    if sha256 is not None and sha256 != hashlib.sha256(data).hexdigest():
        _refuse(Message("sha256 does not match the decoded content; the file was changed or "
                        "cut on the way"))
    if size is not None and size != len(data):
        _refuse(Message("size says %(stated)s bytes but the decoded content has %(actual)s",
                        stated=size, actual=len(data)))
    return data


def _place(number: int, entry: Mapping[str, Any]) -> str:
    name = entry.get("name")
    return f"{FIELD}[{number}]" + (f" {display_name(name)!r}" if isinstance(name, str) else "")


def _refuse(message: str):
    raise ValidationError({"file": message})


def _audit(session: Session, practice: Practice, revision_no: int, status: str, action: str,
           file: StoredFile, actor: Actor, note: str) -> None:
    audit.record(
        session, actor=actor, action=action, practice=practice, revision_no=revision_no,
        from_status=status, to_status=status, note=note,
        details={"file": file.name, "sha256": file.blob_key},
    )  # fmt: skip

