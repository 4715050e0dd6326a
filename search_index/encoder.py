"""What the index needs from an embedding model, and a deterministic offline encoder for tests.

Encoders return float32 arrays of shape (n, dim), each row L2-normalised, so that inner
product equals cosine similarity.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """An embedding model as the index sees it.

    Attributes:
        model_id: stable identifier recorded with every stored vector and with the index
            (e.g. "intfloat/multilingual-e5-small"); vectors of another model_id are never mixed.
        dim: length of each vector.
        max_tokens: the model's input limit in tokens, including special tokens and prompt;
            text beyond it would be cut silently, so callers chunk to fit.
    """

    model_id: str
    dim: int
    max_tokens: int

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        """Embed documents (chunks): (len(texts), dim) float32, rows L2-normalised."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries: (len(texts), dim) float32, rows L2-normalised."""
        ...

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character (start, end) of each model token of `text`, without special tokens."""
        ...

    def token_budget(self, header: str = "") -> int:
        """How many tokens of body text fit in one passage after the prompt and `header`."""
        ...


# One model token per word, punctuation mark, or character of a script written without spaces
# (roughly how a subword tokenizer treats those scripts).
_NO_SPACE_CHAR = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0eff]"
_TOKEN = re.compile(_NO_SPACE_CHAR + r"|\w+|[^\w\s]")


class HashingEncoder:
    """Deterministic, offline encoder for tests and development; no model files needed.

    Feature hashing (Weinberger et al., ICML 2009, "Feature Hashing for Large Scale Multitask
    Learning") of each word and of its character trigrams into `dim` signed buckets, then L2
    normalisation: texts sharing words or word parts get similar vectors. It has no notion of
    meaning or language, so cross-language behaviour must be tested with the real model.

    Args:
        dim: vector length.
        max_tokens: the pretend model's input limit; small by default so tests exercise
            chunking with short texts. Two tokens of it are reserved, like a real model's
            special tokens.
    """

    def __init__(self, dim: int = 64, max_tokens: int = 64) -> None:
        self.dim = dim
        self.max_tokens = max_tokens
        self.model_id = f"hashing-{dim}"

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        return self._encode(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        return [match.span() for match in _TOKEN.finditer(text)]

    def token_budget(self, header: str = "") -> int:
        return max(0, self.max_tokens - 2 - len(self.token_spans(header)))

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            words = [w.casefold() for w in _TOKEN.findall(unicodedata.normalize("NFKC", text))]
            for word in words or [""]:  # an empty text still gets a (fixed) unit vector
                self._add(vectors[row], word, 1.0)
                padded = f"<{word}>"
                for i in range(len(padded) - 2):
                    self._add(vectors[row], padded[i : i + 3], 0.5)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def _add(self, vector: np.ndarray, feature: str, weight: float) -> None:
        bucket, sign = _bucket(feature, self.dim)
        vector[bucket] += sign * weight


@functools.lru_cache(maxsize=65_536)
def _bucket(feature: str, dim: int) -> tuple[int, float]:
    """Return (bucket, sign) of a feature; blake2b, because str hashes change per process."""
    digest = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
    return digest % dim, 1.0 if digest >> 63 else -1.0
