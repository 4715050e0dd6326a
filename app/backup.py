"""Backing up and restoring the whole database (`flask db backup PATH`, `flask db restore PATH`).

PostgreSQL: `pg_dump --format=custom` (one compressed file: schema, data and sequences, taken
in one snapshot while the site runs) and `pg_restore --clean --if-exists --single-transaction`
(all or nothing). The client must be at least the server's major version: Debian installs
each version's tools in /usr/lib/postgresql/<major>/bin, and that one is used when present
(`apt-get install postgresql-client-<major>` otherwise).

SQLite: the online backup API (sqlite3.Connection.backup), which copies a consistent
snapshot while others keep writing; a restore copies the backup's pages over the database
the same way, in one transaction.

A backup is written to a temporary file beside PATH and renamed when complete, so PATH is
never half a backup. The search index is a cache of the database: after a restore,
`restore` records a change that makes every running process rebuild its index from the
restored vectors on its next request (nothing is re-encoded).
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

PG_TOOLS = Path("/usr/lib/postgresql")


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


def backup(database_url: str, path: str | Path) -> Path:
    """Write a backup of the database at `database_url` to `path`; return the path.

    Raises:
        BackupError: the engine is not supported, a tool is missing or failed.
    """
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    url = make_url(database_url)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_file(url), Path(partial))
        elif url.get_backend_name() == "postgresql":
            _run([_pg_tool("pg_dump", url), "--format=custom", "--no-owner",
                  f"--file={partial}", *_pg_connection(url)], url)
        else:
            raise BackupError(f"no backup for {url.get_backend_name()} databases")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return target


def restore(database_url: str, path: str | Path) -> None:
    """Replace the database at `database_url` by the backup at `path` (all or nothing).

    Raises:
        BackupError: no such backup, the engine is not supported, a tool failed.
    """
    source = Path(path).resolve()
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(source, _sqlite_file(url))
    elif url.get_backend_name() == "postgresql":
        _run([_pg_tool("pg_restore", url), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--exit-on-error", *_pg_connection(url),
              str(source)], url)
    else:
        raise BackupError(f"no restore for {url.get_backend_name()} databases")


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    with _sqlite(source) as src, _sqlite(target) as dst:
        src.backup(dst)


def _sqlite_restore(source: Path, target: Path) -> None:
    with _sqlite(source) as src:
        try:
            intact = src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            intact = False
        if not intact:
            raise BackupError(f"{source} is not an intact SQLite database")
        with _sqlite(target) as dst:
            src.backup(dst)  # one transaction on the target: readers see before or after


class _sqlite:
    """A sqlite3 connection closed on exit (sqlite3's own context manager only commits)."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *_exc) -> None:
        self.connection.close()


def _pg_connection(url: URL) -> list[str]:
    args = [f"--host={url.host or '127.0.0.1'}", f"--port={url.port or 5432}"]
    if url.username:
        args.append(f"--username={url.username}")
    args.append(f"--dbname={url.database}")
    return args


def _run(command: list[str], url: URL) -> None:
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password  # never on the command line (visible in ps)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _pg_tool(name: str, url: URL) -> str:
    """Return the path of `name` (pg_dump, pg_restore) for the server's major version."""
    major = _server_major(url)
    versioned = PG_TOOLS / str(major) / "bin" / name
    if versioned.is_file():
        return str(versioned)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is missing: apt-get install postgresql-client-{major}")
    version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    client = re.search(r"(\d+)(?:\.\d+)?", version)
    if client is None or int(client.group(1)) < major:
        raise BackupError(f"{found} ({version.strip()}) is older than the server ({major}): "
                          f"apt-get install postgresql-client-{major}")
    return found


def _server_major(url: URL) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            number = int(conn.execute(text("SHOW server_version_num")).scalar_one())
    except Exception as exc:
        raise BackupError(f"cannot reach the database: {exc}") from exc
    finally:
        engine.dispose()
    return number // 10000
