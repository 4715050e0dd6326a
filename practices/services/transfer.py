"""Bulk import and export of practices in the record format of practices.records.

An import is all or nothing: every record is validated before anything is written, and a
file with any bad line raises ImportFailed listing every problem. It is built for files of
10,000 records: existing practices are found with a few chunked IN queries, institutions are
loaded once per country, and the rows are flushed once at the end.

Files travel inside JSON Lines records ("attachments", practices.services.transfer_files):
exported with the revision whose content the record holds, imported through the same check
and storage as the form's upload.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from practices.blobs import BlobStore
from practices.errors import ValidationError
from practices.models import Attachment, Practice
from practices.permissions import PERMISSIONS, Actor, Scope, practice_country, require
from practices.records import ImportFailed, Item, RecordError
from practices.roles import Role
from practices.search_text import SearchText, search_text
from practices.services.attachments import StoredFile
from practices.services.editing import add_practice, write_content
from practices.services.institutions import Institutions
from practices.services.mapping import to_record
from practices.services.transfer_files import (
    FIELD,
    FileIntake,
    carry_files,
    current_files,
    file_records,
    read_files,
    same_files,
    write_files,
)
from practices.services.transitions import carry_out, plan
from practices.validation import PracticeData, require_substance, validate_practice
from practices.visibility import membership_blocker
from practices.workflow import PUBLIC_STATUSES, Status, available_actions

# Ids per IN (...) query: far below SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
_CHUNK = 500
_NOTE = "import"  # the audit note of everything an import does


@dataclass(frozen=True)
class ValidRecords:
    """Records checked by validate_records: (line number, practice data), in file order, and
    the files of the records that carry "attachments" ({line number: files}, already in the
    blob store; a line without the field is absent: its practice's files stay as they are)."""

    records: tuple[tuple[int, PracticeData], ...]
    files: Mapping[int, tuple[StoredFile, ...]] = field(default_factory=dict)

    def texts(self) -> list[SearchText]:
        """Return the searchable text of every record (to encode before importing)."""
        return [search_text(data) for _, data in self.records]


@dataclass(frozen=True)
class ImportReport:
    """How many practices an import created, updated and found already up to date."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def validate_records(items: Iterable[Item], files: FileIntake | None = None) -> ValidRecords:
    """Check every record (as practices.records.read_records yields them) before anything is
    written to the database; external_ids must be unique in the file.

    Args:
        files: where the records' files go (practices.services.transfer_files): each is
            checked as the form checks an upload and its bytes are stored by SHA-256. None:
            a record carrying "attachments" is refused.

    Raises:
        ImportFailed: every bad line (a bad file among them: "attachments[N] 'name'"), and
            every repeated external_id.
    """
    return _validate_all(items, files)


def import_records(
    session: Session,
    items: ValidRecords | Iterable[Item],
    *,
    actor: Actor,
    publish: bool,
    on_progress: Callable[[int, int], None] | None = None,
    note: str = _NOTE,
    files: FileIntake | None = None,
) -> ImportReport:
    """Create or update practices from records: as practices.records.read_records yields
    them, or already checked by validate_records (the CLI encodes their text in between, so
    that the commit, which also stores search vectors, writes quickly).

    A record whose external_id is already stored updates that practice; one whose content
    (and files, when it carries "attachments") is the same is left alone (updated_at does not
    move), so importing one export twice adds no practice and no file. New practices start
    SUBMITTED, or PUBLISHED when `publish` is true, which also publishes existing practices
    not yet public by walking the workflow's transitions. Flushes once; never commits.

    Args:
        on_progress: called as on_progress(done, total) after each record is written.

    Institutions the file introduces are created as certified members (an operator imports
    the network's practices); existing ones keep their membership status. Every created or
    changed practice and every transition gets an audit entry by the system.

        note: the audit note of every change (default "import"; an upload names its uploader).
        files: as validate_records, for items not yet validated.

    Raises:
        PermissionDenied: the actor is not the system ("transfer").
        ImportFailed: any item is a RecordError or fails validation, two records share
            an external_id, or `publish` is asked for practices of an institution that is not
            a certified member; nothing has been written.
    """
    require(actor, "transfer")
    checked = items if isinstance(items, ValidRecords) else _validate_all(items, files)
    valid = list(checked.records)
    existing = _existing(session, [d.external_id for _, d in valid if d.external_id])
    stored_files = current_files(session, existing.values())
    institutions = Institutions(session)
    institutions.preload({d.institution.country for _, d in valid if d.institution})
    if publish:
        _require_publishable(valid, institutions)
    outcomes: Counter[str] = Counter()
    # Everything needed was loaded above: no query (hence no autoflush) happens per record.
    with session.no_autoflush:
        for done, (line, data) in enumerate(valid, 1):
            practice = existing.get(data.external_id) if data.external_id else None
            rows = stored_files.get(practice.id, []) if practice is not None else []
            files_now = _Files(rows, checked.files.get(line))
            outcomes[_import_one(session, data, practice, institutions, publish, actor,
                                 note, files_now)] += 1
            if on_progress is not None:
                on_progress(done, len(valid))
    session.flush()
    return ImportReport(**outcomes)


def check_importer(session: Session, valid: ValidRecords, actor: Actor) -> None:
    """Check that `actor` may have these records imported ("import": a curator any, a
    National Coordinator only practices of their own country, new or already stored); the
    import itself then runs as the system. Call it before encoding.

    Raises:
        PermissionDenied: the actor may not import at all.
        ImportFailed: a line (or the stored practice its external_id names) is from
            another country than the actor's; nothing has been written.
    """
    require(actor, "import")
    if PERMISSIONS["import"].roles.get(Role(actor.role)) != Scope.OWN_COUNTRY:
        return
    own = actor.scope_country
    stored = _existing(session, [d.external_id for _, d in valid.records if d.external_id])
    errors = []
    for line, data in valid.records:
        country = data.institution.country if data.institution else data.country
        practice = stored.get(data.external_id) if data.external_id else None
        if practice is not None and practice_country(practice) != own:
            country = practice_country(practice)
        if country != own:
            errors.append(RecordError(
                line, "country", f"a National Coordinator of {own} may import practices of "
                f"{own} only; this one is from {country or 'no country'}"))
    if errors:
        raise ImportFailed(errors)


def export_records(session: Session, *, actor: Actor, status: str | None = None,
                   files: BlobStore | None = None) -> Iterator[dict[str, Any]]:
    """Yield every practice (or those in `status`), drafts included, as an import record, in
    id order; only the system may ("transfer").

    Importing the result into an empty database gives equal practices (status aside: the
    import's `publish` flag decides that), with the same files when `files` is given.

    Args:
        files: the blob store: each record then carries the files of its current revision
            with their bytes ("attachments", practices.services.transfer_files), read for
            500 practices at a time. None: no files (CSV, which cannot hold them).

    Raises:
        PermissionDenied: the actor is not the system (raised when iteration starts).
        NotFound: a file's bytes are missing from the store.
    """
    require(actor, "transfer")
    stmt = select(Practice).order_by(Practice.id)
    if status is not None:
        stmt = stmt.where(Practice.status == status)
    stmt = stmt.options(selectinload(Practice.tags), selectinload(Practice.institution))
    batch: list[Practice] = []
    for practice in session.scalars(stmt.execution_options(yield_per=_CHUNK)):
        batch.append(practice)
        if len(batch) == _CHUNK:
            yield from _exported(session, batch, files)
            batch = []
    yield from _exported(session, batch, files)


def _exported(session: Session, practices: list[Practice],
              store: BlobStore | None) -> Iterator[dict[str, Any]]:
    stored = current_files(session, practices) if store is not None and practices else {}
    for practice in practices:
        record = to_record(practice)
        if rows := stored.get(practice.id):
            record[FIELD] = file_records(rows, store)
        yield record


@dataclass(frozen=True)
class _Files:
    """The files of one record: its practice's current rows, and those the record wants
    (None: the record carries no "attachments", the rows stay as they are)."""

    rows: list[Attachment]
    wanted: tuple[StoredFile, ...] | None

    @property
    def changed(self) -> bool:
        return self.wanted is not None and not same_files(self.rows, self.wanted)


def _validate_all(items: Iterable[Item], intake: FileIntake | None) -> ValidRecords:
    errors: list[RecordError] = []
    valid: list[tuple[int, PracticeData]] = []
    files: dict[int, tuple[StoredFile, ...]] = {}
    first_line: dict[str, int] = {}
    for item in items:
        if isinstance(item, RecordError):
            errors.append(item)
            continue
        line, record = item
        problems: list[RecordError] = []
        if FIELD in record:
            record = dict(record)
            files[line], problems = read_files(line, record.pop(FIELD), intake)
        try:
            data = validate_practice(record)
            require_substance(data)  # every imported practice is submitted or published
        except ValidationError as exc:
            errors.extend(RecordError(line, f, m) for f, m in exc.errors.items())
            errors.extend(problems)
            continue
        if problems:
            errors.extend(problems)
            continue
        if data.external_id is not None:
            first = first_line.setdefault(data.external_id, line)
            if first != line:
                errors.append(_duplicate(line, first, data.external_id))
                continue
        valid.append((line, data))
    if errors:
        raise ImportFailed(errors)
    return ValidRecords(tuple(valid), files)


def _duplicate(line: int, first: int, external_id: str) -> RecordError:
    return RecordError(
        line,
        "external_id",
        f"{external_id!r} is also on line {first}; each external_id may appear once per file",
    )


def _require_publishable(
    valid: list[tuple[int, PracticeData]], institutions: Institutions
) -> None:
    errors = []
    for line, data in valid:
        found = institutions.find(data.institution) if data.institution else None
        if blocker := membership_blocker(found):
            errors.append(RecordError(line, "institution", f"cannot publish: {blocker}"))
    if errors:
        raise ImportFailed(errors)


def _existing(session: Session, external_ids: Sequence[str]) -> dict[str, Practice]:
    found: dict[str, Practice] = {}
    for start in range(0, len(external_ids), _CHUNK):
        stmt = (
            select(Practice)
            .where(Practice.external_id.in_(external_ids[start : start + _CHUNK]))
            .options(
                selectinload(Practice.tags),
                selectinload(Practice.institution),
                selectinload(Practice.revisions),
            )
        )
        found.update((p.external_id, p) for p in session.scalars(stmt))
    return found


def _import_one(
    session: Session,
    data: PracticeData,
    practice: Practice | None,
    institutions: Institutions,
    publish: bool,
    actor: Actor,
    note: str,
    files: _Files,
) -> str:
    """Write one record; return "created", "updated" or "unchanged"."""
    institution = institutions.resolve(data.institution) if data.institution else None
    if practice is None:
        status = Status.PUBLISHED if publish else Status.SUBMITTED
        practice = add_practice(session, data, institution, status=status, actor=actor,
                                note=note)
        write_files(session, practice, 1, [], files.wanted or (), actor=actor, note=note)
        return "created"
    before = practice.current_revision_no
    changed = write_content(session, practice, data, institution, actor=actor, note=note,
                            files_changed=files.changed)
    if practice.current_revision_no != before:  # a new published revision: give it its files
        carry_files(session, practice, practice.current_revision_no, files.rows, files.wanted,
                    actor=actor, note=note)
    elif files.changed:
        write_files(session, practice, before, files.rows, files.wanted, actor=actor, note=note)
    if publish and practice.status not in PUBLIC_STATUSES:
        for action in ("submit", "publish"):
            if action in available_actions(practice.status):
                move = plan(practice, action, actor=actor)
                carry_out(session, practice, move, actor=actor, note=note)
                changed = True
    return "updated" if changed else "unchanged"
