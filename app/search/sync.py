"""The write path: session hooks that keep vectors and the change sequence in step with commits.

At each flush the hooks note which practices were touched (a Practice, one of its tags, or its
institution changed). Just before the commit they encode, in one batch, the touched practices
whose searchable text changed (practices.search_text; unchanged text is never re-encoded),
replace their PracticeVector rows and add one SearchChange row per touched practice, all in
the committing transaction: vectors, content and change sequence commit together or not at
all. Sequence numbers are taken this late so the window in which a number is taken but not yet
committed stays short (see changes.py). After the commit the local index catches up; other
processes catch up on their next request.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from app.search.documents import batches, practices_by_institution
from practices.models import Institution, Practice, PracticeTag, SearchChange

log = logging.getLogger(__name__)

_TOUCHED = "search_touched"
_COMMITTED = "search_committed"


@dataclass
class Touched:
    """Ids seen changing in a session since its last commit."""

    practices: set[int] = field(default_factory=set)
    institutions: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.practices or self.institutions)


def touched(session: Session) -> Touched:
    """Return the (mutable) record of what `session` changed since its last commit."""
    return session.info.setdefault(_TOUCHED, Touched())


def install(factory: sessionmaker, get_search: Callable[[], object]) -> None:
    """Attach the hooks to every session `factory` makes; `get_search` returns the
    PracticeSearch (looked up at commit time, so it is built lazily)."""
    event.listen(factory, "after_flush", _collect)
    event.listen(factory, "before_commit", lambda s: _before_commit(s, get_search()))
    event.listen(factory, "after_commit", lambda s: _after_commit(s, get_search()))
    event.listen(factory, "after_transaction_end", _forget)


def _collect(session: Session, _context: object) -> None:
    # after_flush still shows the flushed objects in new/dirty/deleted, with ids assigned.
    record = touched(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Practice) and (obj not in session.dirty or session.is_modified(obj)):
            record.practices.add(obj.id)
        elif isinstance(obj, PracticeTag) and obj.practice_id is not None:
            record.practices.add(obj.practice_id)
        elif isinstance(obj, Institution) and obj in session.dirty and session.is_modified(
                obj, include_collections=False):  # a practice joining it changes nothing here
            record.institutions.add(obj.id)


def _before_commit(session: Session, search) -> None:
    session.flush()  # the commit flushes after this hook: collect what is still pending
    record = session.info.get(_TOUCHED)
    if not record:
        return
    ids = record.practices | practices_by_institution(session, record.institutions)
    existing = [p for batch in batches(sorted(ids))
                for p in session.scalars(select(Practice).where(Practice.id.in_(batch)))]
    search.refresh_vectors(session, existing)
    session.add_all(SearchChange(practice_id=i) for i in sorted(ids))
    session.flush()
    session.info.pop(_TOUCHED, None)
    session.info[_COMMITTED] = True


def _after_commit(session: Session, search) -> None:
    if session.info.pop(_COMMITTED, False) and search.loaded:
        # The committing session cannot run SQL any more: catch up with a fresh one.
        try:
            with search.new_session() as fresh:
                search.catch_up(fresh)
        except Exception:  # the commit succeeded; the next search catches up again
            log.exception("catching up the search index after a commit failed")


def _forget(session: Session, transaction) -> None:
    # A rollback (or close) of the outermost transaction discards what it had touched.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_TOUCHED, None)
