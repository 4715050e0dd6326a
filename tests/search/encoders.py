"""Encoders the search tests control: every query encoded as one given vector."""
from __future__ import annotations

import numpy as np

from search_index import HashingEncoder


class FixedEncoder(HashingEncoder):
    """Encodes every query as one given vector (normalised), to control the dense ranking;
    passages are hashed as by HashingEncoder of the same dimension."""

    def __init__(self, query_vector):
        super().__init__(dim=len(query_vector))
        self.query_vector = np.asarray(query_vector, np.float32)

    def encode_queries(self, texts):
        return np.tile(self.query_vector / np.linalg.norm(self.query_vector), (len(texts), 1))
