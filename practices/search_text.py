"""What of a practice is searchable: the domain decides, the search index only receives text."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from practices.rendering import plain_text


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
