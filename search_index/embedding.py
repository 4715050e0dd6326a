"""From documents to the raw vectors the application stores: chunk, then encode in one batch."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .chunking import chunk
from .encoder import Encoder


def embed(encoder: Encoder, items: Sequence[tuple[str, str]], *,
          progress: bool = False) -> list[np.ndarray]:
    """Chunk and encode (header, body) pairs; return one (n_chunks, dim) float32 array per item.

    All chunks of all items go to the encoder in one batched call (encode_passages), so a
    bulk import runs at the model's own speed. The vectors are raw (not neutralised), as the
    database stores them; every item has at least one chunk (its header).

    Args:
        progress: let the encoder draw a progress bar.
    """
    chunks = [chunk(encoder, header, body) for header, body in items]
    flat = [text for texts in chunks for text in texts]
    if not flat:
        return []
    vectors = encoder.encode_passages(flat, progress=progress)
    bounds = np.cumsum([len(texts) for texts in chunks])[:-1]
    return np.split(np.asarray(vectors, np.float32), bounds)
