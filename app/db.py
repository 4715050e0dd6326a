"""Database engine and per-request session (flaskr's db.py, with SQLAlchemy 2.0).

Services never commit: a view or CLI command calls `get_session().commit()` once.
"""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


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


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout for concurrent writers."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def get_engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions["db_engine"]


def get_session() -> Session:
    """Return this request's (or CLI command's) session, creating it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the session at the end of the app context; uncommitted work is rolled back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
