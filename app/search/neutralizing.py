"""The language neutralizer of the configured model: read from its cache, or fitted once.

Fitting encodes the reference text bundled with search_index (64 sentences in 35 languages,
as passages and as queries: 4,480 texts), which takes minutes on a CPU with the real model.
So it never runs on a request: the CLI fits it (`flask search-index rebuild` or `verify`,
which `make run` calls), and a web process that finds no cached fit searches without it
while fitting in the background (one process at a time, under a file lock), then swaps in
an index built with it. The cache folder's key covers everything that defines the fit.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from app import background
from app.search.settings import SearchSettings, file_lock
from search_index import Encoder, Neutralizer, neutral

log = logging.getLogger(__name__)


def wanted(settings: SearchSettings) -> bool:
    """True when SEARCH_NEUTRALIZER is on."""
    return bool(settings.neutralizer)


def cached_neutralizer(settings: SearchSettings, model_id: str) -> Neutralizer | None:
    """Return the neutralizer fitted for `model_id` from the cache, or None (not wanted, or
    not fitted yet). Needs only the model's id, so the model itself is not loaded."""
    if not wanted(settings):
        return None
    try:
        found = neutral.LanguageNeutralizer.load(_folder(settings, model_id))
    except neutral.NeutralizerError:
        return None  # not fitted yet (or damaged: fitted again)
    return found if found.model_id == model_id else None


def fit_neutralizer(settings: SearchSettings, encoder: Encoder) -> Neutralizer | None:
    """Return the neutralizer, fitting and caching it first if no process has (slow).

    Returns None when it is not wanted (SEARCH_NEUTRALIZER off).
    """
    if not wanted(settings):
        return None
    folder = _folder(settings, encoder.model_id)
    with file_lock(folder.parent, f".{folder.name}.lock"):
        found = cached_neutralizer(settings, encoder.model_id)
        if found is not None:
            return found
        log.info("fitting the language neutralizer for %s (minutes with a real model)",
                 encoder.model_id)
        fitted = neutral.LanguageNeutralizer.fit(_Stoppable(encoder), neutral.load_reference())
        background.check()  # exiting: write nothing
        fitted.save(folder)
        return fitted


def _folder(settings: SearchSettings, model_id: str) -> Path:
    reference = neutral.load_reference()
    defined_by = (model_id, reference.sha256, neutral.DEFAULT_METHOD,
                  neutral.DEFAULT_RANK, neutral.FORMAT_VERSION)
    key = hashlib.sha256(repr(defined_by).encode()).hexdigest()[:16]
    return settings.index_dir / "neutralizer" / key


class _Stoppable:
    """The encoder, encoding in batches and stopping between two when the process exits."""

    BATCH = 256  # about 5 s of the real model: the longest wait at exit

    def __init__(self, encoder: Encoder) -> None:
        self.model_id = encoder.model_id
        self._encoder = encoder

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(self._encoder.encode_passages, texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._batched(self._encoder.encode_queries, texts)

    def _batched(self, encode: Callable[[Sequence[str]], np.ndarray],
                 texts: Sequence[str]) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), self.BATCH):
            background.check()
            parts.append(encode(texts[start:start + self.BATCH]))
        return np.concatenate(parts) if parts else encode(texts)
