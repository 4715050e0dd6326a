"""The few errors search_index raises; the app maps them to operator messages or a rebuild."""
from __future__ import annotations


class SearchIndexError(Exception):
    """Base class of every error raised on purpose by search_index."""


class SnapshotError(SearchIndexError):
    """An on-disk snapshot is missing, partial or damaged; rebuild the index from the database."""


class IndexMismatch(SnapshotError):
    """A snapshot was built with another model, dimension or neutralizer than the one configured.

    The message names the differing values and tells the operator to run
    `flask search-index rebuild`.
    """


class UnknownDocument(SearchIndexError, KeyError):
    """A document id that is not in the index was asked for (e.g. `similar(doc_id)`)."""

    def __str__(self) -> str:
        # KeyError's str() would add quotes around the message.
        return str(self.args[0]) if self.args else ""
