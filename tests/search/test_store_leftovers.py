"""A snapshot save killed half-way (kill -9 of `flask search-index rebuild`) leaves no temporary
file behind for long: the next save or load deletes it; a failed write deletes its own."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from search_index import store

ROOT = Path(__file__).resolve().parents[2]

# A writer that starts a snapshot file, says so, and hangs half-way (as a save of a large
# index does while FAISS writes).
_HANGING_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from search_index import store

    def write(path):
        Path(path).write_bytes(b"half of an index")
        print("writing", flush=True)
        time.sleep(600)

    store._write_atomic(Path(sys.argv[1]), "index.faiss", write)
""")


def _temp_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(".*.tmp"))


def _killed_mid_save(directory: Path) -> None:
    """Run a save in a real process and kill -9 it while the temporary file is half written."""
    child = subprocess.Popen([sys.executable, "-c", _HANGING_WRITER, str(directory)],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL


def test_a_save_killed_half_way_leaves_a_file_the_next_load_removes(tmp_path):
    _killed_mid_save(tmp_path)
    assert len(_temp_files(tmp_path)) == 1  # what kill -9 left

    assert store.read_meta(tmp_path) is None  # a start of the app (no snapshot yet)

    assert _temp_files(tmp_path) == []


def test_a_save_killed_half_way_leaves_a_file_the_next_save_removes(tmp_path):
    from search_index.facets import FacetTable
    from search_index.keywords import KeywordIndex
    from search_index.vectors import VectorIndex

    _killed_mid_save(tmp_path)
    store.write_snapshot(tmp_path, vectors=VectorIndex(4), keywords=KeywordIndex(),
                         facets=FacetTable(()), model="m", neutralizer=None, seq=0)
    assert _temp_files(tmp_path) == []
    assert (tmp_path / "meta.json").exists()


def test_a_temporary_file_of_a_running_writer_is_left_alone(tmp_path):
    mine = tmp_path / f".index.faiss.{os.getpid()}-abc123.tmp"
    mine.write_bytes(b"being written")
    assert store.remove_stale_temp_files(tmp_path) == []
    assert mine.exists()


def test_an_old_style_temporary_file_is_removed_once_an_hour_old(tmp_path):
    recent, old = tmp_path / ".index.faiss.recent.tmp", tmp_path / ".index.faiss.old.tmp"
    for path in (recent, old):
        path.write_bytes(b"x")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    assert store.remove_stale_temp_files(tmp_path) == [old]
    assert recent.exists()


def test_a_write_that_fails_removes_its_temporary_file(tmp_path):
    def failing(path):
        Path(path).write_bytes(b"partial")
        raise OSError("disk full")

    with pytest.raises(OSError):
        store._write_atomic(tmp_path, "index.faiss", failing)
    assert _temp_files(tmp_path) == []
