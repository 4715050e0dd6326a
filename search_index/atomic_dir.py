"""Create a directory all at once: build it under a hidden name, then rename it into place.

Whatever sits at the target path is therefore either the previous complete directory or the new
complete one, never a half-written mix, even if the process is interrupted or killed.
"""
from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def building(target: Path) -> Iterator[Path]:
    """Yield an empty hidden sibling of `target`; on normal exit it replaces `target`.

    The sibling is named ``.<name>.partial-<pid>``. Its contents are flushed to disk before the
    rename, so after a crash the rename cannot have outlived them. On any exception (including
    KeyboardInterrupt) the sibling is deleted and `target` is left as it was. Leftovers of killed
    processes (their pid no longer runs) are deleted when the next build starts.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(target)
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        yield partial
        _fsync_tree(partial)
        _swap_into_place(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _fsync_tree(folder: Path) -> None:
    """Flush every file and directory under `folder` (itself included) to disk."""
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_into_place(built: Path, target: Path) -> None:
    """Rename `built` to `target`; an existing `target` is moved aside, then deleted."""
    if not target.exists():
        os.replace(built, target)
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    os.replace(target, old)
    try:
        os.replace(built, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """Return whether a process with this id runs on this machine (any owner)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        pass
    return True


def _remove_stale_builds(target: Path) -> None:
    """Delete hidden build leftovers of `target` whose process no longer runs."""
    for path in target.parent.glob(f".{target.name}.*-*"):
        pid = path.name.rsplit("-", 1)[1]
        if pid.isdigit() and not pid_alive(int(pid)):
            log.info("removing leftover %s", path)
            shutil.rmtree(path, ignore_errors=True)
