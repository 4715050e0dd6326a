"""“This looks like practice N (in Arabic, from Morocco)”: translations and near copies of a
text among the practices the person may see.

The signal is search_index's (duplicates.py: the score and the threshold measured on
labelled pairs, benchmarks/eval_duplicates.py); what counts as seen is the domain's
(practices.services.unpublished_seen_by, practices.permissions). Candidates are the public
practices nearest the text in the live index, whatever their language, and the practices
under work the person may see (their school's; a reviewer's country's); each is scored on
its stored vectors, so nothing already encoded is encoded again.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from app.search import get_search
from app.search.vectors import content_hash, stored_vectors, vectors_of_texts
from practices import SearchText, Status, search_text
from practices.models import Practice
from practices.permissions import practice_country
from practices.services import get_practices, unpublished_seen_by
from search_index import embed
from search_index.duplicates import near_copies, rule_for

CANDIDATES = 20  # public practices nearest the text that are scored (a translation is 1st)
SHOWN = 3  # likely copies named on a page, best first

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LikelyCopy:
    """A practice the text looks like a translation or a near copy of; `score` in cosine
    units (search_index.duplicates.copy_score)."""

    practice: Practice
    score: float

    @property
    def country(self) -> str | None:
        """The practice's country (its school's, else its own), ISO 3166-1 alpha-2."""
        return practice_country(self.practice)


def likely_copies(session: Session, actor, text: SearchText, *, own_id: int | None = None,
                  country: str | None = None, limit: int = SHOWN) -> list[LikelyCopy]:
    """Return the practices `actor` may see that `text` looks like a copy of, best first.

    Args:
        own_id: the practice the text belongs to (never its own copy).
        country: a reviewer's country, whose practices under work they may see too.
    """
    if not (text.header.strip() or text.body.strip()):
        return []
    reader = get_search()
    index = reader.catch_up(session).index
    vectors = _text_vectors(session, reader.encoder.get(), text)
    excluded = {own_id} if own_id is not None else set()
    public = index.nearest(vectors, CANDIDATES, excluded=excluded)
    under_work = [p.id for p in unpublished_seen_by(session, actor, country=country)
                  if p.id not in excluded]
    neutralizer = index.neutralizer
    rule = rule_for(index.encoder.model_id, neutralizer is not None)
    space = neutralizer.transform if rule.neutralized and neutralizer is not None else None
    found = near_copies(_in(space, vectors), _candidates(session, index, public + under_work,
                                                         space), rule)
    practices = get_practices(session, [d for d, _ in found])
    seen = set(under_work)
    return [LikelyCopy(practices[d], score) for d, score in found
            if d in practices and (practices[d].is_public or d in seen)][:limit]


def _text_vectors(session: Session, encoder, text: SearchText) -> np.ndarray:
    """The raw chunk vectors of `text`: those stored for it, else encoded now."""
    digest = content_hash(text)
    stored = vectors_of_texts(session, encoder.model_id, [digest])
    if digest in stored:
        return stored[digest]
    return embed(encoder, [(text.header, text.body)])[0]


def _candidates(session: Session, index, ids: Iterable[int], space):
    """(id, vectors) of the practices `ids` from their stored raw vectors, in the rule's
    space."""
    dim = index.encoder.dim
    for practice_id, stored in stored_vectors(session, index.encoder.model_id,
                                              sorted(set(ids))).items():
        yield practice_id, _in(space, stored.matrix(dim))


def _in(space, vectors: np.ndarray) -> np.ndarray:
    return vectors if space is None else np.asarray(space(vectors), np.float32)


UNDER_WORK = frozenset({Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED})


def copies_on_page(session: Session, actor, practice: Practice, revision, *,
                   reviewer: bool) -> list[LikelyCopy]:
    """The likely copies of the revision under work shown on the school's or the reviewers'
    page of `practice` (none once the revision is public or closed). A reviewer sees those
    among the practice's country's practices under work too.

    Never raises: the warning is an aid, so a failing search is logged and the page shows
    none (the same search fails visibly on the search page).
    """
    if revision.status not in UNDER_WORK:
        return []
    country = practice_country(practice) if reviewer else None
    return copies_shown(session, actor, search_text(revision), own_id=practice.id,
                        country=country)


def copies_shown(session: Session, actor, text: SearchText, *, own_id: int | None = None,
                 country: str | None = None) -> list[LikelyCopy]:
    """likely_copies for a page, never raising: the warning is an aid, so a failing search
    is logged and the page shows none (the same failure shows on the search page)."""
    try:
        return likely_copies(session, actor, text, own_id=own_id, country=country)
    except Exception:
        log.exception("looking for copies of practice %s failed", own_id)
        return []
