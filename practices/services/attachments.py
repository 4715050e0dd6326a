"""Attaching files to a practice, removing them, and who may read them.

Files belong to a revision (practices.models.Attachment): the school changes the files of the
revision it is working on (the draft, or the pending edit of a public practice, opened here if
there is none), reviewers see that revision's files, and the public sees the files of the
published revision. Bytes are stored (practices.blobs) before the rows are flushed; if the
transaction then fails, the bytes stay unreferenced and nothing in the database points at half
a file.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from practices.attachments import MAX_BYTES, MAX_PER_PRACTICE, CheckedFile, check_file
from practices.blobs import BlobStore
from practices.errors import Conflict, InvalidTransition, NotFound, ValidationError
from practices.i18n import Message
from practices.models import Attachment, Practice, PracticeRevision, User, utcnow
from practices.permissions import Actor, may_see_revision, require
from practices.services import audit
from practices.services.content import revision_data, write_revision
from practices.services.editing import next_revision_no
from practices.services.transitions import load_for_update
from practices.visibility import is_editable
from practices.workflow import PUBLIC_STATUSES, Status


@dataclass(frozen=True)
class StoredFile:
    """A checked file whose bytes (and thumbnail) are in the blob store: everything an
    Attachment row holds but its practice and revision. `size` is in bytes, as stored."""

    name: str
    media_type: str
    size: int
    blob_key: str
    thumbnail_key: str | None = None
    width: int | None = None
    height: int | None = None

    @classmethod
    def of(cls, attachment: Attachment) -> StoredFile:
        """Return what a stored row holds (to give another revision the same file)."""
        return cls(attachment.name, attachment.media_type, attachment.size,
                   attachment.blob_key, attachment.thumbnail_key, attachment.width,
                   attachment.height)


def store_file(checked: CheckedFile, store: BlobStore) -> StoredFile:
    """Put a checked file's bytes and thumbnail in `store` (practices.blobs: by SHA-256, written
    to a temporary name and renamed); the form's upload and the import both store this way."""
    return StoredFile(
        checked.name, checked.media_type, len(checked.data), store.put(checked.data),
        store.put(checked.thumbnail) if checked.thumbnail else None, checked.width,
        checked.height,
    )  # fmt: skip


def new_attachment(practice: Practice, revision_no: int, stored: StoredFile,
                   created_by: User | None = None) -> Attachment:
    """Return the row giving revision `revision_no` of `practice` a stored file (not added to
    the session; the practice may not have an id yet)."""
    return Attachment(
        practice=practice, revision_no=revision_no, name=stored.name,
        media_type=stored.media_type, size=stored.size, blob_key=stored.blob_key,
        thumbnail_key=stored.thumbnail_key, width=stored.width, height=stored.height,
        created_by=created_by,
    )  # fmt: skip


def attach_file(
    session: Session, practice_id: int, name: str, data: bytes, store: BlobStore, *,
    actor: Actor, max_bytes: int = MAX_BYTES,
) -> Attachment:
    """Check a file (practices.attachments.check_file), store it and attach it to the
    revision the school is working on; flush. An image also gets a stored thumbnail.

    Raises:
        NotFound: no such practice.
        PermissionDenied: the actor may not edit this practice.
        InvalidTransition / Conflict: the practice is not editable now.
        ValidationError: {"file": why} (kind, size, damaged, too many files).
        Conflict: the same file is already attached.
    """
    practice = load_for_update(session, practice_id)
    require(actor, "edit", practice)
    checked = check_file(name, data, max_bytes=max_bytes)
    revision = _working_revision(session, practice, actor)
    files = revision_files(session, practice_id, revision.number)
    if len(files) >= MAX_PER_PRACTICE:
        raise ValidationError({"file": Message("a practice can carry at most %(count)s files",
                                               count=MAX_PER_PRACTICE)})
    stored = store_file(checked, store)
    if any(f.blob_key == stored.blob_key for f in files):
        raise already_attached(checked.name)
    attachment = new_attachment(practice, revision.number, stored,
                                actor if isinstance(actor, User) else None)
    session.add(attachment)
    _record(session, practice, revision, actor, "attach", attachment)
    return attachment


def remove_file(session: Session, practice_id: int, attachment_id: int, *, actor: Actor) -> str:
    """Take a file off the revision the school is working on; return its name; flush.
    The public version keeps its own copy until the edit is published.

    Raises:
        NotFound: no such practice or file (or a file of another revision).
        PermissionDenied / InvalidTransition / Conflict: as attach_file.
    """
    practice = load_for_update(session, practice_id)
    require(actor, "edit", practice)
    revision = _working_revision(session, practice, actor)
    by_blob = {f.blob_key: f for f in revision_files(session, practice_id, revision.number)}
    original = session.get(Attachment, attachment_id)
    if original is None or original.practice_id != practice_id:
        raise _no_file(attachment_id)
    attachment = by_blob.get(original.blob_key)  # its copy in a newly opened revision
    if attachment is None:
        raise _no_file(attachment_id)
    _record(session, practice, revision, actor, "detach", attachment)
    session.delete(attachment)
    session.flush()
    return attachment.name


def revision_files(session: Session, practice_id: int, revision_no: int) -> list[Attachment]:
    """Return the files of one revision, in the order they were attached."""
    return list(session.scalars(
        select(Attachment)
        .where(Attachment.practice_id == practice_id, Attachment.revision_no == revision_no)
        .order_by(Attachment.id)
    ))  # fmt: skip


def readable_file(session: Session, practice_id: int, attachment_id: int, *,
                  actor: Actor | None) -> Attachment:
    """Return a file if `actor` (None: a visitor) may read it: a file of the published
    revision of a public practice, or a revision's file for those who may see that revision
    under review (practices.permissions.may_see_revision: a draft is its school's alone).

    Raises:
        NotFound: no such file, or one the actor may not read (indistinguishable).
    """
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.practice_id != practice_id:
        raise _no_file(attachment_id)
    practice = attachment.practice
    published = practice.is_public and attachment.revision_no == practice.current_revision_no
    revision = next(r for r in practice.revisions if r.number == attachment.revision_no)
    if not (published or may_see_revision(actor, revision)):
        raise _no_file(attachment_id)
    return attachment


def copy_files(session: Session, practice_id: int, from_no: int, to_no: int) -> None:
    """Give revision `to_no` copies of the rows of revision `from_no` (the same blobs)."""
    for f in revision_files(session, practice_id, from_no):
        session.add(Attachment(
            practice_id=practice_id, revision_no=to_no, name=f.name, media_type=f.media_type,
            size=f.size, blob_key=f.blob_key, thumbnail_key=f.thumbnail_key, width=f.width,
            height=f.height, created_at=f.created_at, created_by_id=f.created_by_id,
        ))  # fmt: skip


def _working_revision(session: Session, practice: Practice, actor: Actor) -> PracticeRevision:
    if not is_editable(practice):
        pending = practice.pending_revision
        if pending is not None and practice.status in PUBLIC_STATUSES:
            raise Conflict(Message(
                "revision %(number)d of this practice is under review; its files can be "
                "changed again if the reviewer requests changes", number=pending.number))
        raise InvalidTransition("edit", practice.status)
    if practice.status not in PUBLIC_STATUSES:
        return practice.current_revision
    if practice.pending_revision is not None:
        return practice.pending_revision
    current = practice.current_revision
    revision = PracticeRevision(number=next_revision_no(practice), status=Status.DRAFT)
    revision.author = actor if isinstance(actor, User) else None
    write_revision(revision, revision_data(current))
    revision.updated_at = utcnow()
    practice.revisions.append(revision)
    session.flush()
    copy_files(session, practice.id, current.number, revision.number)
    return revision


def _record(session: Session, practice: Practice, revision: PracticeRevision, actor: Actor,
            action: str, attachment: Attachment) -> None:
    audit.record(
        session, actor=actor, action=action, practice=practice, revision_no=revision.number,
        from_status=revision.status, to_status=revision.status,
        details={"file": attachment.name, "sha256": attachment.blob_key},
    )  # fmt: skip
    session.flush()


def already_attached(name: str) -> Conflict:
    """Return the Conflict of a file a revision carries already (the same bytes)."""
    return Conflict(Message("%(name)s is already attached", name=name))


def _no_file(attachment_id: int) -> NotFound:
    return NotFound(Message("file %(id)s does not exist", id=attachment_id))
