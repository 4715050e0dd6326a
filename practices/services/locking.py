"""The one way a service takes a row it is about to decide on: lock, then read, then decide.

Two people acting on the same thing at the same moment (a double click, two curators, a
coordinator publishing while a curator declines) must be serialised: the second must see
what the first did and be refused, not decide on the state both read before either wrote.
So every service that changes state after checking it (workflow transitions, curation,
edits, memberships, accounts, tokens) first calls `lock_row`, and reads only afterwards.

How the lock is taken depends on the database, and the domain only says what it means:
- PostgreSQL: SELECT ... FOR UPDATE locks the row until the transaction ends; a second
  locker waits, then reads the committed row (READ COMMITTED re-reads it).
- SQLite has no row locks and drops FOR UPDATE; the app's engine (app/db.py) takes the
  database's write lock (BEGIN IMMEDIATE) before such a SELECT runs, so one writer at a time
  reads and decides, the others wait (busy timeout) and then read what it committed.
"""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


def lock_row(session: Session, model: type[T], ident: Any) -> T | None:
    """Return the row `ident` of `model` (None when there is none), locked until the
    session's transaction ends.

    What the session had loaded before is read again under the lock: the row itself
    (populate_existing: SQLAlchemy keeps a loaded object's values on a new SELECT otherwise)
    and every other object (expired, reloaded on next use), e.g. a practice's revisions that
    a page loaded before the action was taken. Pending changes are flushed first.
    """
    session.flush()
    session.expire_all()
    return session.get(model, ident, with_for_update=True, populate_existing=True)
