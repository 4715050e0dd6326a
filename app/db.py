"""Database engine and per-request session (flaskr's db.py, with SQLAlchemy 2.0).

Services never commit: a view or CLI command calls `get_session().commit()` once.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


def init_app(app: Flask) -> sessionmaker:
    """Create the app's engine and session factory, close the session after each request,
    and return the factory (create_app installs the search write path on it)."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    # expire_on_commit=False: objects stay readable after the view commits (SQLAlchemy advice).
    sessions = sessionmaker(engine, expire_on_commit=False)
    app.extensions["db_sessionmaker"] = sessions
    app.teardown_appcontext(close_session)
    return sessions


# How long a SQLite connection waits for another's write lock before giving up ("database is
# locked"). Writes hold it for milliseconds (encoding happens before, see app/search/writer.py).
SQLITE_BUSY_TIMEOUT_S = 30


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL, a busy timeout for concurrent writers,
    and the write lock taken before a locking read (see _sqlite_lock_before_reading)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_execute", _sqlite_lock_before_reading)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cur.close()


def _sqlite_lock_before_reading(conn, statement, *_args) -> None:
    # SQLite has no row locks and compiles SELECT ... FOR UPDATE (practices.services.locking)
    # without them. Take the database's write lock before such a read instead: BEGIN
    # IMMEDIATE waits (busy timeout) while another connection writes, and then nobody else
    # can commit until this transaction ends, so what the read returns stays true while the
    # caller decides and writes. pysqlite opens its own transaction only before the first
    # INSERT/UPDATE/DELETE (earlier reads run on their own), so a connection in a transaction
    # already holds the write lock.
    if getattr(statement, "_for_update_arg", None) is None:
        return
    driver = conn.connection.driver_connection
    # (isolation_level None: the driver in autocommit mode, where nobody would end it.)
    if not driver.in_transaction and driver.isolation_level is not None:
        driver.execute("BEGIN IMMEDIATE")


def get_engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions["db_engine"]


def get_session() -> Session:
    """Return this request's (or CLI command's) session, creating it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the session at the end of the app context; uncommitted work is rolled back.

    When the database went away meanwhile (a restart), the rollback itself fails: the
    transaction is gone with the connection, and the answer already made stands, so the
    connections are discarded instead of turning that answer into a 500."""
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except DBAPIError as exc:
        log.warning("closing a session on a lost database connection: %s",
                    str(exc).splitlines()[0])
        session.invalidate()
