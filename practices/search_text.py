"""What of a practice is searchable: the domain decides, the search index only receives text.

The text_once_* functions tell the web layer which text a save or a workflow action is about
to make searchable, so that it is encoded before the transaction writes (app.search.writer).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from practices.rendering import plain_text
from practices.workflow import PUBLIC_STATUSES


class Searchable(Protocol):
    """Anything with a practice's text fields (a Practice row or a PracticeData)."""

    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class SearchText:
    """A practice's searchable text: `header` (repeated on every chunk) and `body`."""

    header: str
    body: str

    @property
    def full(self) -> str:
        """Header and body as one text, for keyword indexing."""
        return f"{self.header}\n\n{self.body}" if self.body else self.header


def search_text(practice: Searchable) -> SearchText:
    """Return the searchable text of a practice.

    header = the title; body = the summary, then the Markdown body as plain text (markup,
    link addresses and code fences removed; see rendering.plain_text).
    """
    parts = [practice.summary.strip(), plain_text(practice.body)]
    return SearchText(header=practice.title, body="\n\n".join(p for p in parts if p))


def text_once_saved(practice: Any, data: Searchable) -> SearchText | None:
    """Return the searchable text a practice has once a school saves `data` as its content
    (services.create_draft with practice None, or services.edit_practice), or None when
    saving leaves it unchanged: the edit of a public practice waits in a pending revision
    and the public text stays until it is published."""
    if practice is not None and practice.status in PUBLIC_STATUSES:
        return None
    return search_text(data)


def text_once_acted(practice: Any, action: str) -> SearchText | None:
    """Return the searchable text a practice has once workflow `action` is taken, or None when
    the action leaves it unchanged: only publishing the pending revision of a public practice
    changes it (to the revision's)."""
    pending = practice.pending_revision
    if action != "publish" or pending is None or practice.status not in PUBLIC_STATUSES:
        return None
    return search_text(pending)
