"""The product's jobs: importing a file of practices, rebuilding the search index, fitting the
language neutralizer. The commands run them here and now (app.jobs.run_here) or queue them
(`--background`); the upload page queues imports.

Only these jobs and the commands act as the system (tests/test_architecture.py): a job
queued by a page carries the uploader's id and checks their permission before it writes.
"""
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Mapping
from typing import Any

from flask import current_app

from app.db import get_session
from app.jobs.core import JobContext, JobRefused, register_job
from app.search import get_maintenance, get_writer
from app.storage import blob_store
from practices import services
from practices.models import User
from practices.permissions import SYSTEM, Actor
from practices.records import ImportFailed, Item, RecordError, read_records
from practices.services.transfer_files import FileIntake

ENCODE_BATCH = 256  # texts encoded between two progress reports (one model batch for small files)


@register_job("practices.import")
def import_practices(ctx: JobContext, *, fmt: str, publish: bool = False,
                     content: bytes | None = None, path: str | None = None,
                     actor_id: int | None = None, source: str = "",
                     keyed_lines: bool = False) -> Mapping[str, Any]:
    """Import a JSON Lines or CSV file of practices, all or nothing (practices.services
    .import_records): check every line, encode the new text in batches while nothing is
    written (SQLite's write lock is never held while encoding), then write and commit once.
    Files carried by JSON Lines records ("attachments") are checked as the form checks an
    upload (ATTACHMENT_MAX_BYTES each) and stored in ATTACHMENTS_DIR while the lines are.

    Args:
        fmt: "jsonl" or "csv". content: the file's bytes (an upload), or path: its path.
        actor_id: the uploader (a curator, or a National Coordinator for their country
            only), checked before anything else; None: the system (a command).
        source: the file's name, for the audit note.
        keyed_lines: give every record without an external_id the id
            "upload-<sha256 of the file, 16 hex>-<line>", so that running the same file
            again (a retry after a worker died between the commit and the report, or the
            same upload twice) updates those practices instead of adding them twice.

    Returns: {"total", "created", "updated", "unchanged", "encoded"}.

    Raises:
        JobRefused: bad lines ("line N: field: message", every one), or lines out of the
            uploader's scope; nothing was written.
    """
    session = get_session()
    actor = _actor(session, actor_id)
    data = content if content is not None else _read(path)
    ctx.progress(0, None, stage="checking")
    digest = hashlib.sha256(data).hexdigest()[:16]
    items = read_records(io.BytesIO(data), fmt)
    if keyed_lines:
        items = _keyed(items, digest)
    try:
        valid = services.validate_records(items, _intake())
        if actor is not SYSTEM:
            services.check_importer(session, valid, actor)
    except ImportFailed as exc:
        raise _refusal(exc.record_errors) from None
    # Longest first across the whole file, not only within each group of ENCODE_BATCH: the
    # model's batches then hold texts of nearly one length (little padding to compute).
    texts = sorted(valid.texts(), key=lambda t: len(t.header) + len(t.body), reverse=True)
    total = len(texts)
    writer = get_writer()
    encoded = 0
    ctx.progress(0, total, stage="encoding")
    for start in range(0, total, ENCODE_BATCH):
        encoded += writer.prepare(session, texts[start:start + ENCODE_BATCH])
        ctx.progress(min(start + ENCODE_BATCH, total), total, stage="encoding")
    note = "import" if actor is SYSTEM else f"import of {source or 'a file'} by {actor.email}"
    ctx.progress(0, total, stage="writing")
    try:
        report = services.import_records(
            session, valid, actor=SYSTEM, publish=publish, note=note,
            on_progress=lambda done, of: ctx.progress(done, of, stage="writing"))
    except ImportFailed as exc:
        session.rollback()
        raise _refusal(exc.record_errors) from None
    session.commit()
    ctx.progress(total, total, stage="done")
    return {"total": total, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "encoded": encoded}


@register_job("search.rebuild")
def rebuild_index(ctx: JobContext, *, reembed: bool = False) -> Mapping[str, Any]:
    """Build the search index anew from the stored vectors (first re-encoding stale ones when
    `reembed`), save its snapshot; running processes follow through the change sequence.

    Returns: {"indexed", "chunks", "reembedded", "missing", "seconds"}.
    """
    session = get_session()
    search = prepared_search(ctx)
    ctx.progress(0, None, stage="rebuilding")
    report = search.rebuild(session, reembed=reembed)
    session.commit()
    search.save_snapshot()
    ctx.progress(1, 1, stage="done")
    return {"indexed": report.indexed, "chunks": report.chunks,
            "reembedded": report.reembedded, "missing": len(report.missing),
            "seconds": round(report.seconds, 1)}


@register_job("search.prepare")
def prepare_neutralizer(ctx: JobContext) -> Mapping[str, Any]:
    """Fit the language neutralizer of this model if it has none yet (minutes, once per
    model). Returns {"fitted": bool, "enabled": bool}."""
    search = get_maintenance()
    fitted = search.neutralizer_missing
    prepared_search(ctx)
    ctx.progress(1, 1, stage="done")
    return {"fitted": bool(fitted), "enabled": bool(search.settings.neutralizer)}


def prepared_search(ctx: JobContext):
    """The search maintenance with the language neutralizer fitted (once per model)."""
    search = get_maintenance()
    if search.neutralizer_missing:
        ctx.progress(0, None, stage="fitting the language neutralizer")
        search.prepare_neutralizer()
    return search


def _actor(session, actor_id: int | None) -> Actor:
    if actor_id is None:
        return SYSTEM
    user = session.get(User, actor_id)
    if user is None or not user.active:
        raise JobRefused(["the account that uploaded this file no longer exists or is "
                          "deactivated"])
    return user


def _intake() -> FileIntake:
    """Where the import's files go, with the form's size limit (one rule for both)."""
    return FileIntake(blob_store(), max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"])


def _read(path: str | None) -> bytes:
    if path is None:
        raise ValueError("import_practices needs content or path")
    with open(path, "rb") as stream:
        return stream.read()


def _keyed(items: Iterator[Item], digest: str) -> Iterator[Item]:
    for item in items:
        if isinstance(item, RecordError):
            yield item
            continue
        line, record = item
        if isinstance(record, dict) and not record.get("external_id"):
            record = {**record, "external_id": f"upload-{digest}-{line}"}
        yield line, record


def _refusal(errors: list[RecordError]) -> JobRefused:
    return JobRefused([str(e) for e in errors],
                      message=f"nothing imported: {len(errors)} problem(s)")
