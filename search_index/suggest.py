"""Rank tags for a text: each tag is described by short reference texts, the text by its chunks.

A tag's score is the highest cosine between any of its reference texts and any chunk of the
text ("chunks max"), so a relevant paragraph anywhere in a long practice counts as much as a
short practice about that subject alone. Reference texts are encoded as queries (e5's "query: "
prompt: short statements looking for documents), the text's chunks as passages, as the index
stores them. The ranking is pure: which tags exist and how they are described is the caller's.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .embedding import embed
from .encoder import Encoder


@dataclass(frozen=True)
class RankedTag:
    """One tag and its score: the best cosine (-1..1) between its references and the text."""

    key: Hashable
    score: float


class TagRanker:
    """Reference texts of a set of tags, encoded once; ranks the tags for any text.

    Args:
        encoder: the product's encoder (its vectors are L2-normalised, so dot = cosine).
        references: {tag key: [reference text, ...]}; every tag needs at least one text.

    Raises:
        ValueError: a tag has no reference text.
    """

    def __init__(self, encoder: Encoder, references: Mapping[Hashable, Sequence[str]]) -> None:
        owners: list[int] = []
        texts: list[str] = []
        self.keys: tuple[Hashable, ...] = tuple(references)
        for index, key in enumerate(self.keys):
            if not references[key]:
                raise ValueError(f"tag {key!r} has no reference text")
            owners.extend([index] * len(references[key]))
            texts.extend(references[key])
        self.encoder = encoder
        self._owners = np.asarray(owners)
        self._vectors = np.asarray(encoder.encode_queries(texts), np.float32)

    def text_vectors(self, header: str, body: str) -> np.ndarray:
        """Chunk and encode a text as the index does: (n_chunks, dim) float32."""
        return embed(self.encoder, [(header, body)])[0]

    def rank(self, chunk_vectors: np.ndarray) -> list[RankedTag]:
        """Return every tag, best first, scored by the best (reference, chunk) cosine.

        Args:
            chunk_vectors: (n_chunks, dim) vectors of one text, rows L2-normalised (n >= 1).
        """
        pair = self._vectors @ np.asarray(chunk_vectors, np.float32).T  # (n_refs, n_chunks)
        per_reference = pair.max(axis=1)
        best = np.full(len(self.keys), -np.inf, np.float32)
        np.maximum.at(best, self._owners, per_reference)
        order = np.argsort(-best, kind="stable")
        return [RankedTag(self.keys[i], float(best[i])) for i in order]
