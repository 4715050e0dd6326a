"""The search write path: every commit that changes a practice's searchable text also stores
its vectors, and every commit that touches a practice records a change for every process.

1. Encode first, outside the write transaction. A view or command that is about to save
   text calls `prepare(session, texts)` with the validated text (practices.search_text of
   the form's or the file's data) before it writes anything: encoding takes seconds for a
   long practice with the real model, and SQLite lets one connection write at a time, so
   nobody else's sign-in or save waits for it. Texts already encoded are skipped.
2. Collect. At each flush the hooks note which practices were touched (a Practice, one of
   its tags, or its institution changed).
3. Write, in the committing transaction. Just before the commit, the touched practices whose
   searchable text changed get their vector rows replaced, from the prepared vectors when
   their text was prepared, else from vectors another practice stores for the same text,
   else encoded now (a caller that did not prepare, or text that changed after it prepared:
   correctness first, never stale vectors). One SearchChange row per touched practice follows:
   content, vectors and change sequence commit together or not at all. Sequence numbers are
   taken this late so the window in which a number is taken but not committed stays short
   (see changes.py).
4. After the commit, `after_commit` runs (the reader catches up this process's index); other
   processes catch up on their next request.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from app.search.documents import practices_by_institution
from app.search.settings import LazyEncoder
from app.search.vectors import (
    batches,
    content_hash,
    stale_practices,
    vectors_of_texts,
    write_vectors,
)
from practices import SearchText, search_text
from practices.models import Institution, Practice, PracticeTag, PracticeVector, SearchChange
from practices.search_text import text_once_acted
from search_index import embed

log = logging.getLogger(__name__)

_TOUCHED = "search_touched"  # session.info: Touched since the last commit
_PREPARED = "search_prepared"  # session.info: {content hash: vectors} encoded by prepare()
_CHANGED = "search_changed"  # session.info: this commit wrote change rows


@dataclass
class Touched:
    """Ids seen changing in a session since its last commit."""

    practices: set[int] = field(default_factory=set)
    institutions: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.practices or self.institutions)


class SearchWriter:
    """Keeps the stored vectors and the change sequence in step with the commits of the
    app's sessions (once `install`ed on their factory).

    Args:
        encoder: the process's encoder, loaded on first use.
        new_session: opens a Session of its own on the app's database (to look at a practice
            without loading it into the caller's session, whose transition must lock it
            before it reads it).
    """

    def __init__(self, encoder: LazyEncoder, new_session: Callable[[], Session]) -> None:
        self.encoder = encoder
        self.new_session = new_session

    def install(self, sessions: sessionmaker, *, after_commit: Callable[[], None]) -> None:
        """Attach the write path to every session `sessions` makes: a commit of one of them
        also writes vectors and change rows; `after_commit()` runs after each commit that
        recorded changes (and must not raise)."""
        event.listen(sessions, "after_flush", self._collect)
        event.listen(sessions, "before_commit", self._before_commit)
        event.listen(sessions, "after_commit", lambda s: self._after_commit(s, after_commit))
        event.listen(sessions, "after_transaction_end", self._forget)

    def prepare(self, session: Session, texts: Iterable[SearchText], *,
                progress: bool = False) -> int:
        """Encode, now and in one batch, the texts no practice has vectors for yet; keep the
        vectors for this session's next commit. Reads only: call it before the
        transaction's first write. Returns how many texts were encoded."""
        wanted = {content_hash(t): t for t in texts}
        wanted = {h: t for h, t in wanted.items() if h not in self._prepared(session)}
        stored = _stored_hashes(session, self.encoder.model_id, list(wanted))
        return self._encode(session, [t for h, t in wanted.items() if h not in stored],
                            progress=progress)

    def prepare_action(self, session: Session, practice_id: int, action: str) -> int:
        """Prepare the text workflow `action` is about to make searchable (publishing the
        pending edit of a public practice), if any; call it before the action writes."""
        with self.new_session() as peek:
            practice = peek.get(Practice, practice_id)
            text = text_once_acted(practice, action) if practice is not None else None
        return self.prepare(session, [text]) if text is not None else 0

    def refresh(self, session: Session, practices: Collection[Practice], *,
                progress: bool = False) -> int:
        """Encode those of `practices` whose stored vectors are stale and replace their rows
        now (see reencode); return how many."""
        stale = stale_practices(session, practices, self.encoder.model_id)
        return self.reencode(session, stale, progress=progress)

    def reencode(self, session: Session, practices: Sequence[Practice], *,
                 progress: bool = False) -> int:
        """Encode `practices` (one batch, even when rows hold their text: those may be the
        broken ones) and replace their vector rows now; return how many. For maintenance:
        it writes right away, in the caller's transaction."""
        self._encode(session, [search_text(p) for p in practices], progress=progress)
        self._write(session, practices)
        return len(practices)

    def _encode(self, session: Session, texts: Sequence[SearchText], *,
                progress: bool = False) -> int:
        if not texts:
            return 0
        vectors = embed(self.encoder.get(), [(t.header, t.body) for t in texts],
                        progress=progress)
        self._prepared(session).update(
            (content_hash(t), v) for t, v in zip(texts, vectors, strict=True))
        return len(texts)

    def _collect(self, session: Session, _context: object) -> None:
        # after_flush still shows the flushed objects in new/dirty/deleted, with ids assigned.
        record = touched(session)
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, Practice) and (obj not in session.dirty
                                              or session.is_modified(obj)):
                record.practices.add(obj.id)
            elif isinstance(obj, PracticeTag) and obj.practice_id is not None:
                record.practices.add(obj.practice_id)
            elif isinstance(obj, Institution) and obj in session.dirty and session.is_modified(
                    obj, include_collections=False):  # a practice joining it changes nothing
                record.institutions.add(obj.id)

    def _before_commit(self, session: Session) -> None:
        session.flush()  # the commit flushes after this hook: collect what is still pending
        record = session.info.get(_TOUCHED)
        if not record:
            return
        ids = record.practices | practices_by_institution(session, record.institutions)
        existing = [p for batch in batches(sorted(ids))
                    for p in session.scalars(select(Practice).where(Practice.id.in_(batch)))]
        self._write(session, stale_practices(session, existing, self.encoder.model_id))
        session.add_all(SearchChange(practice_id=i) for i in sorted(ids))
        session.flush()
        session.info.pop(_TOUCHED, None)
        session.info[_CHANGED] = True

    def _write(self, session: Session, practices: Sequence[Practice]) -> None:
        """Replace the vector rows of `practices` with the vectors of their current text."""
        if not practices:
            return
        texts = {p.id: search_text(p) for p in practices}
        hashes = {p.id: content_hash(texts[p.id]) for p in practices}
        prepared = self._prepared(session)
        known = {**vectors_of_texts(session, self.encoder.model_id,
                                    set(hashes.values()) - set(prepared)), **prepared}
        late = [p for p in practices if hashes[p.id] not in known]
        if late:  # not prepared: encoded inside the transaction
            log.debug("encoding %d practices at commit time", len(late))
            encoded = embed(self.encoder.get(), [(texts[p.id].header, texts[p.id].body)
                                                 for p in late])
            known.update((hashes[p.id], v) for p, v in zip(late, encoded, strict=True))
        write_vectors(session, self.encoder.model_id,
                      {p.id: (hashes[p.id], known[hashes[p.id]]) for p in practices})

    def _after_commit(self, session: Session, then: Callable[[], None]) -> None:
        if session.info.pop(_CHANGED, False):
            then()

    def _forget(self, session: Session, transaction: SessionTransaction) -> None:
        # The end of the outermost transaction (commit, rollback or close) ends what it had
        # touched and prepared.
        if transaction.parent is None and not transaction.nested:
            for key in (_TOUCHED, _PREPARED, _CHANGED):
                session.info.pop(key, None)

    def _prepared(self, session: Session) -> dict[str, np.ndarray]:
        return session.info.setdefault(_PREPARED, {})


def touched(session: Session) -> Touched:
    """Return the (mutable) record of what `session` changed since its last commit."""
    return session.info.setdefault(_TOUCHED, Touched())


def _stored_hashes(session: Session, model: str, hashes: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for batch in batches(sorted(hashes)):
        found.update(session.scalars(
            select(PracticeVector.content_hash).distinct()
            .where(PracticeVector.model == model, PracticeVector.content_hash.in_(batch))))
    return found
