"""Facet table: which filter values each document has, for pre-ranking filters and counts.

Each field is a (width x slots) int32 matrix of value codes, padded with -1: row j holds every
document's j-th value. Matching looks each row up in a boolean table of the wanted codes and
counting is one `np.bincount` over the selected columns, so both cost O(documents x values per
document) in numpy: tens of microseconds per field at 10k documents. (Row-major storage with
`.any(axis=1)` measured 10x slower.)
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

Filters = Mapping[str, Collection[str]]


class FacetTable:
    """Facet values and a sort key per document id.

    Args:
        fields: the facet field names, e.g. ("theme", "level", "country", "language").
        prefix_fields: fields whose values are BCP 47 tags: a filter "zh" also matches
            "zh-Hans", "pt" matches "pt-BR" (RFC 4647 basic filtering), case-insensitively.
    """

    def __init__(self, fields: Sequence[str], prefix_fields: Collection[str] = ("language",)):
        self.fields = tuple(fields)
        self.prefix_fields = frozenset(prefix_fields) & set(self.fields)
        self._slot_of: dict[int, int] = {}
        self._free: list[int] = []
        self._size = 0  # slots in use or freed; columns beyond are unused capacity
        self._doc_ids = np.full(16, -1, np.int64)
        self._sort_keys = np.zeros(16, np.float64)
        self._codes = {f: np.full((1, 16), -1, np.int32) for f in self.fields}
        self._names: dict[str, list[str]] = {f: [] for f in self.fields}
        self._code_of: dict[str, dict[str, int]] = {f: {} for f in self.fields}
        self._lookup: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot_of

    def ids(self) -> np.ndarray:
        """Return every document id (int64, in no particular order)."""
        return self._doc_ids[: self._size][self._doc_ids[: self._size] >= 0]

    def upsert(self, doc_id: int, facets: Mapping[str, Collection[str]],
               sort_key: float = 0.0) -> None:
        """Set the facet values and sort key of `doc_id` (values are compared as strings).

        Raises:
            ValueError: `facets` names a field the table was not built with.
        """
        unknown = set(facets) - set(self.fields)
        if unknown:
            raise ValueError(f"unknown facet fields {sorted(unknown)}; known: {self.fields}")
        slot = self._slot_of.get(doc_id)
        if slot is None:
            slot = self._allocate(doc_id)
        self._sort_keys[slot] = sort_key
        for field in self.fields:
            codes = [self._code(field, str(v)) for v in dict.fromkeys(facets.get(field, ()))]
            matrix = self._widen(field, len(codes))
            matrix[:, slot] = -1
            matrix[: len(codes), slot] = codes

    def delete(self, doc_ids: Iterable[int]) -> None:
        """Forget the given documents; unknown ids are ignored."""
        for doc_id in doc_ids:
            slot = self._slot_of.pop(doc_id, None)
            if slot is not None:
                self._doc_ids[slot] = -1
                for matrix in self._codes.values():
                    matrix[:, slot] = -1
                self._free.append(slot)
                self._lookup = None

    def match(self, filters: Filters | None = None, excludes: Filters | None = None) -> np.ndarray:
        """Return the ids (int64) of documents that pass `filters` and `excludes`.

        A document passes `filters` when, for every field named, it has at least one of the
        values given (OR within a field, AND across fields); it fails `excludes` when it has any
        value named there. A field mapped to an empty collection does not constrain.

        Raises:
            ValueError: a filter names an unknown field.
        """
        rows = self._doc_ids[: self._size]
        keep = rows >= 0
        for field, values in (filters or {}).items():
            if values:
                keep &= self._has_any(field, values)
        for field, values in (excludes or {}).items():
            if values:
                keep &= ~self._has_any(field, values)
        return rows[keep]

    def counts(self, doc_ids: np.ndarray | Collection[int],
               fields: Sequence[str] | None = None) -> dict[str, dict[str, int]]:
        """Count documents per value of each field among `doc_ids` (unknown ids ignored).

        Returns {field: {value: count}}, values by descending count then value; values with no
        document are left out.
        """
        slots = self._slots(np.asarray(doc_ids, np.int64))
        result = {}
        for field in fields or self.fields:
            names = self._names[field]
            # Row by row: a 2-D fancy index measured 2.5x slower. +1 moves padding to bin 0.
            tally = sum(np.bincount(row[slots] + 1, minlength=len(names) + 1)
                        for row in self._codes[field])[1:]
            found = np.flatnonzero(tally)
            pairs = sorted(((names[c], int(tally[c])) for c in found), key=lambda p: (-p[1], p[0]))
            result[field] = dict(pairs)
        return result

    def values(self, field: str) -> dict[int, list[str]]:
        """Return {doc id: its values of `field`, in the order given} for every document."""
        names = self._names[field]
        codes = self._codes[field][:, : self._size]
        return {int(doc_id): [names[c] for c in codes[:, slot].tolist() if c >= 0]
                for slot, doc_id in enumerate(self._doc_ids[: self._size].tolist())
                if doc_id >= 0}

    def overlap(self, doc_id: int, doc_ids: np.ndarray, fields: Sequence[str]) -> np.ndarray:
        """Return the Jaccard overlap (len(doc_ids),) float64 between the values `doc_id` has
        in `fields` (taken together) and those of each of `doc_ids`; 0 where either has none
        or a document is unknown."""
        doc_ids = np.asarray(doc_ids, np.int64)
        slot = self._slot_of.get(doc_id)
        if slot is None or not len(doc_ids):
            return np.zeros(len(doc_ids))
        self._slots(doc_ids[:0])  # builds the sorted id -> slot lookup
        ids, all_slots = self._lookup
        where = np.clip(np.searchsorted(ids, doc_ids), 0, len(ids) - 1)
        known = ids[where] == doc_ids
        slots = np.where(known, all_slots[where], 0)
        shared = np.zeros(len(doc_ids))
        theirs = np.zeros(len(doc_ids))
        own = 0
        for field in fields:
            matrix = self._codes[field][:, slots]
            theirs += (matrix >= 0).sum(axis=0)
            for code in self._codes[field][:, slot].tolist():
                if code >= 0:
                    own += 1
                    shared += (matrix == code).any(axis=0)
        union = own + theirs - shared
        return np.where(known & (union > 0), shared / np.maximum(union, 1), 0.0)

    def order_by_sort_key(self, doc_ids: np.ndarray, stop: int) -> np.ndarray:
        """Return the first `stop` of `doc_ids` by descending sort key, then descending id."""
        doc_ids = np.asarray(doc_ids, np.int64)
        if stop <= 0:
            return doc_ids[:0]
        keys = self._sort_keys[self._slots(doc_ids)]
        if len(doc_ids) > stop:
            # Keep every id tied with the cut-off key so the tie-break by id stays exact.
            cutoff = -np.partition(-keys, stop - 1)[stop - 1]
            doc_ids, keys = doc_ids[keys >= cutoff], keys[keys >= cutoff]
        return doc_ids[np.lexsort((-doc_ids, -keys))][:stop]

    def state(self) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
        """Return (arrays, value names per field) describing the live documents."""
        live = self._doc_ids[: self._size] >= 0
        arrays = {"doc_ids": self._doc_ids[: self._size][live],
                  "sort_keys": self._sort_keys[: self._size][live]}
        for field in self.fields:
            arrays[f"codes_{field}"] = self._codes[field][:, : self._size][:, live]
        return arrays, {f: list(self._names[f]) for f in self.fields}

    @classmethod
    def from_state(cls, arrays: Mapping[str, np.ndarray], names: Mapping[str, list[str]],
                   fields: Sequence[str], prefix_fields: Collection[str] = ("language",)
                   ) -> FacetTable:
        """Rebuild a table from `state()`; raises KeyError if a field is missing from it."""
        table = cls(fields, prefix_fields)
        doc_ids = np.asarray(arrays["doc_ids"], np.int64)
        table._grow(max(16, len(doc_ids)))
        table._size = len(doc_ids)
        table._doc_ids[: len(doc_ids)] = doc_ids
        table._sort_keys[: len(doc_ids)] = arrays["sort_keys"]
        table._slot_of = {int(d): s for s, d in enumerate(doc_ids.tolist())}
        for field in table.fields:
            codes = np.asarray(arrays[f"codes_{field}"], np.int32)
            table._widen(field, len(codes))[:, : len(doc_ids)] = codes
            table._names[field] = list(names[field])
            table._code_of[field] = {v: c for c, v in enumerate(names[field])}
        return table

    def _has_any(self, field: str, values: Collection[str]) -> np.ndarray:
        if field not in self._codes:
            raise ValueError(f"unknown facet field {field!r}; known: {self.fields}")
        lookup = np.zeros(len(self._names[field]) + 1, bool)  # the last entry answers -1
        lookup[self._matching_codes(field, {str(v) for v in values})] = True
        found = np.zeros(self._size, bool)
        for row in self._codes[field][:, : self._size]:
            found |= lookup[row]
        return found

    def _matching_codes(self, field: str, values: set[str]) -> list[int]:
        if field not in self.prefix_fields:
            return [self._code_of[field][v] for v in values if v in self._code_of[field]]
        wanted = {v.casefold() for v in values}
        return [code for code, name in enumerate(self._names[field])
                if any(_tag_matches(name.casefold(), w) for w in wanted)]

    def _slots(self, doc_ids: np.ndarray) -> np.ndarray:
        if self._lookup is None:
            ids = np.fromiter(self._slot_of, np.int64, len(self._slot_of))
            slots = np.fromiter(self._slot_of.values(), np.int64, len(self._slot_of))
            order = np.argsort(ids)
            self._lookup = ids[order], slots[order]
        ids, slots = self._lookup
        where = np.clip(np.searchsorted(ids, doc_ids), 0, max(len(ids) - 1, 0))
        found = ids[where] == doc_ids if len(ids) else np.zeros(len(doc_ids), bool)
        return slots[where[found]]

    def _allocate(self, doc_id: int) -> int:
        if self._free:
            slot = self._free.pop()
        else:
            slot = self._size
            self._size += 1
            if slot == len(self._doc_ids):
                self._grow(2 * slot)
        self._doc_ids[slot] = doc_id
        self._slot_of[doc_id] = slot
        self._lookup = None
        return slot

    def _grow(self, capacity: int) -> None:
        extra = capacity - len(self._doc_ids)
        self._doc_ids = np.concatenate([self._doc_ids, np.full(extra, -1, np.int64)])
        self._sort_keys = np.concatenate([self._sort_keys, np.zeros(extra)])
        for field, matrix in self._codes.items():
            pad = np.full((len(matrix), extra), -1, np.int32)
            self._codes[field] = np.concatenate([matrix, pad], axis=1)

    def _widen(self, field: str, width: int) -> np.ndarray:
        matrix = self._codes[field]
        if width > len(matrix):
            pad = np.full((width - len(matrix), matrix.shape[1]), -1, np.int32)
            self._codes[field] = matrix = np.concatenate([matrix, pad])
        return matrix

    def _code(self, field: str, value: str) -> int:
        codes = self._code_of[field]
        if value not in codes:
            codes[value] = len(self._names[field])
            self._names[field].append(value)
        return codes[value]


def _tag_matches(tag: str, prefix: str) -> bool:
    """RFC 4647 basic filtering: "zh" matches "zh" and "zh-hans" but not "zha"."""
    return tag == prefix or tag.startswith(prefix + "-")
