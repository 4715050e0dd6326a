"""On-disk snapshot of a SearchIndex, so a process starts without rebuilding from the database.

Layout of the snapshot directory:
    index.faiss    FAISS IndexIDMap2 of the neutralised chunk vectors (faiss.write_index)
    vectors.npz    chunk id -> document id
    keywords.npz   BM25 postings (KeywordIndex.state)
    facets.npz     facet value codes and sort keys (FacetTable.state)
    facets.json    facet value names
    balance.npz    the language balance's hubness table (optional: without it, or when it does
                   not fit, the table is computed on load; see balance.py)
    meta.json      model, dim, count, chunks, neutralizer, faiss_version, built_at, seq, and
                   the SHA-256 of every file above
No pickle anywhere (np.load runs with allow_pickle=False). Each file is written to a temporary
name and moved into place with os.replace; meta.json goes last and its checksums reveal a
snapshot mixed from two writers or cut short, which `read_snapshot` then refuses.

A temporary file is deleted when its write fails; one left by a killed process (kill -9 of
`flask search-index rebuild` mid-save) carries that process's id in its name
(`.<file>.<pid>-<random>.tmp`) and is deleted by the next save or load once that process no
longer runs (`remove_stale_temp_files`).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .atomic_dir import pid_alive
from .errors import IndexMismatch, SnapshotError
from .facets import FacetTable
from .keywords import KeywordIndex
from .vectors import VectorIndex, require_faiss

FORMAT = 1
# How old a temporary file without a process id (written by an older version) must be before
# it is taken for a leftover: no save takes an hour.
STALE_UNNAMED_SECONDS = 3600
_TEMP_NAME = re.compile(r"^\..+\.(?P<pid>\d+)-[^.]*\.tmp$")
META = "meta.json"
_FILES = ("index.faiss", "vectors.npz", "keywords.npz", "facets.npz", "facets.json")
BALANCE = "balance.npz"


@dataclass(frozen=True)
class SnapshotMeta:
    """What meta.json records about a snapshot.

    Attributes:
        seq: the caller's opaque marker (e.g. the last change sequence number applied).
    """

    format: int
    model: str
    dim: int
    count: int
    chunks: int
    neutralizer: str | None
    faiss_version: str
    built_at: str
    seq: Any
    files: dict[str, str]


def write_snapshot(
    directory: Path, *, vectors: VectorIndex, keywords: KeywordIndex, facets: FacetTable,
    model: str, neutralizer: str | None, seq: Any, balance: dict[str, np.ndarray] | None = None,
) -> SnapshotMeta:
    """Write the parts of an index to `directory` (created if needed); return its meta.

    The caller holds the index's lock: the parts must not change while they are written.
    """
    lib = require_faiss()
    directory.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(directory)
    faiss_index, chunk_map = vectors.state()
    facet_arrays, facet_names = facets.state()
    writers: dict[str, Callable[[str], object]] = {
        "index.faiss": lambda path: lib.write_index(faiss_index, path),
        "vectors.npz": lambda path: _save_npz(path, chunk_map),
        "keywords.npz": lambda path: _save_npz(path, keywords.state()),
        "facets.npz": lambda path: _save_npz(path, facet_arrays),
        "facets.json": lambda path: Path(path).write_text(json.dumps(facet_names)),
    }
    if balance is not None:
        writers[BALANCE] = lambda path: _save_npz(path, balance)
    files = {name: _write_atomic(directory, name, write) for name, write in writers.items()}
    meta = SnapshotMeta(
        format=FORMAT, model=model, dim=vectors.dim, count=len(facets),
        chunks=vectors.chunk_count, neutralizer=neutralizer, faiss_version=lib.__version__,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"), seq=seq, files=files,
    )
    text = json.dumps(asdict(meta), indent=2, ensure_ascii=False)
    _write_atomic(directory, META, lambda path: Path(path).write_text(text, encoding="utf-8"))
    return meta


def read_meta(directory: Path) -> SnapshotMeta | None:
    """Return the meta of the snapshot in `directory`, or None if there is none.

    Raises:
        SnapshotError: meta.json is unreadable or of another format.
    """
    path = directory / META
    remove_stale_temp_files(directory)
    if not path.exists():
        return None
    try:
        meta = SnapshotMeta(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise SnapshotError(f"{path} is not a snapshot description: {exc}") from exc
    if meta.format != FORMAT:
        raise SnapshotError(f"{path}: snapshot format {meta.format}, expected {FORMAT}")
    return meta


def read_snapshot(
    directory: Path, *, model: str, dim: int, neutralizer: str | None,
    facet_fields: Sequence[str],
) -> tuple[VectorIndex, KeywordIndex, FacetTable, SnapshotMeta]:
    """Read the parts written by `write_snapshot`, checking they fit the configured model.

    Raises:
        IndexMismatch: model id, dimension or neutralizer fingerprint differ.
        SnapshotError: no snapshot, a file missing or altered, or other facet fields.
    """
    meta = read_meta(directory)
    if meta is None:
        raise SnapshotError(f"no search index snapshot in {directory}")
    _check_identity(meta, model=model, dim=dim, neutralizer=neutralizer)
    # Each file is read once and parsed from the verified bytes, so a writer replacing files
    # meanwhile cannot slip an unverified version in.
    try:
        blobs = {name: _read_verified(directory / name, meta.files[name]) for name in _FILES}
        lib = require_faiss()
        vectors = VectorIndex.from_state(
            lib.deserialize_index(np.frombuffer(blobs["index.faiss"], np.uint8)),
            _npz(blobs["vectors.npz"]),
        )
        keywords = KeywordIndex.from_state(_npz(blobs["keywords.npz"]))
        names = json.loads(blobs["facets.json"])
        facets = FacetTable.from_state(_npz(blobs["facets.npz"]), names, facet_fields)
    except (KeyError, ValueError, RuntimeError, OSError) as exc:
        raise SnapshotError(f"cannot read the snapshot in {directory}: {exc!r}") from exc
    return vectors, keywords, facets, meta


def read_balance(directory: Path, meta: SnapshotMeta) -> dict[str, np.ndarray] | None:
    """Return the balance state saved with the snapshot `meta` describes, or None when it
    has none or the file no longer matches its checksum (a newer snapshot replaced it)."""
    if BALANCE not in meta.files:
        return None
    try:
        return _npz(_read_verified(directory / BALANCE, meta.files[BALANCE]))
    except (ValueError, OSError):
        return None


def _check_identity(meta: SnapshotMeta, **expected: object) -> None:
    found = {"model": meta.model, "dim": meta.dim, "neutralizer": meta.neutralizer}
    differences = [f"{key} {found[key]!r} (configured: {value!r})"
                   for key, value in expected.items() if found[key] != value]
    if differences:
        raise IndexMismatch(
            "the search index snapshot was built with " + ", ".join(differences)
            + "; run `flask search-index rebuild`"
        )


def remove_stale_temp_files(directory: Path) -> list[Path]:
    """Delete the temporary files in `directory` that no running writer owns; return them.

    A file names its writer's process id; one of a process that no longer runs is a leftover.
    Files named the way older versions did (no id) are deleted after STALE_UNNAMED_SECONDS.
    """
    removed = []
    if not directory.is_dir():
        return removed
    for path in directory.glob(".*.tmp"):
        found = _TEMP_NAME.match(path.name)
        try:
            stale = (not pid_alive(int(found["pid"])) if found
                     else time.time() - path.stat().st_mtime > STALE_UNNAMED_SECONDS)
            if stale:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # its writer moved it into place or removed it meanwhile
            continue
    return removed


def _write_atomic(directory: Path, name: str, write: Callable[[str], object]) -> str:
    """Write via a temporary file in `directory`, move it to `name`; return its SHA-256."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.{os.getpid()}-", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        digest = _sha256(Path(tmp))
        os.replace(tmp, directory / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def _save_npz(path: str, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as handle:  # a file object: np.savez would append ".npz" to a name
        np.savez(handle, **arrays)


def _npz(blob: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def _read_verified(path: Path, digest: str) -> bytes:
    blob = path.read_bytes()
    if hashlib.sha256(blob).hexdigest() != digest:
        raise ValueError(f"{path.name} does not match its checksum in {META}")
    return blob


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
