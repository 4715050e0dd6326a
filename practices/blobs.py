"""Where attached files' bytes live: a folder keyed by the SHA-256 of the content.

The database holds what a file is (practices.models.Attachment); this folder holds its bytes
under <root>/<first 2 hex digits>/<sha256>. A name chosen by a person never becomes a path, the
same bytes attached twice are stored once, and a file is written to a temporary name and
renamed into place, so a crash never leaves half a file under a real key. Bytes written for a
transaction that then fails stay unreferenced; `orphans` lists them for clean-up.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_KEY = re.compile(r"[0-9a-f]{64}")


class BlobStore:
    """Content-addressed file storage in one folder.

    Args:
        root: the folder (created on first write).
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def put(self, data: bytes) -> str:
        """Store `data` (if not already there) and return its key, the SHA-256 hex digest."""
        key = hashlib.sha256(data).hexdigest()
        path = self.path(key)
        if path.exists():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return key

    def path(self, key: str) -> Path:
        """Return the file of `key`.

        Raises:
            ValueError: `key` is not a SHA-256 hex digest (never a path from outside).
        """
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a blob key: {key!r}")
        return self.root / key[:2] / key

    def read(self, key: str) -> bytes:
        """Return the bytes stored under `key`.

        Raises:
            FileNotFoundError: nothing is stored under it.
        """
        return self.path(key).read_bytes()

    def keys(self) -> Iterator[str]:
        """Yield every stored key."""
        if self.root.is_dir():
            for path in self.root.glob("??/*"):
                if _KEY.fullmatch(path.name):
                    yield path.name

    def orphans(self, referenced: Iterable[str]) -> list[str]:
        """Return the stored keys that are not in `referenced` (the database's keys)."""
        return sorted(set(self.keys()) - set(referenced))

    def delete(self, key: str) -> None:
        """Remove the bytes of `key` (nothing if absent)."""
        self.path(key).unlink(missing_ok=True)
