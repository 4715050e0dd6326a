"""The reference encoder: the plain sentence-transformers library over the local model folder.

The folder is built offline by `python -m search_index.provision` (`make model`); no model hub
is ever contacted. The product encodes on faster paths (model_encoder.py) whose vectors are
tested against this one; it stays the reference, the baseline of `make bench`, and a path
configuration can choose. torch and sentence-transformers are imported when an encoder is
created, never at import time, so the app factory, the CLI and the unit tests stay fast.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search_index.model_folder import (
    DEFAULT_MODEL_ID,
    FolderFacts,
    ModelMismatch,
    ModelMissing,
    prepare,
    require_folder,
)
from search_index.model_tokens import SEPARATOR_MARGIN, ModelTokenizer

__all__ = ["DEFAULT_MODEL_ID", "SEPARATOR_MARGIN", "ModelMismatch", "ModelMissing",
           "SentenceTransformerEncoder", "prepare"]


def _import_backend() -> tuple[Any, Any]:
    """Import torch and sentence_transformers offline; ImportError saying what to install."""
    # huggingface_hub reads the variable when it is first imported.
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import sentence_transformers
        import torch
    except ImportError as exc:
        raise ImportError(
            "SentenceTransformerEncoder needs torch and sentence-transformers: install the "
            "project's pinned dependencies (`make venv`, or pip install -e .)") from exc
    return torch, sentence_transformers


class SentenceTransformerEncoder:
    """The `Encoder` over a local sentence-transformers folder, computing on the CPU.

    Passages are encoded with the folder's "passage" prompt and queries with its "query"
    prompt ("passage: " / "query: " for e5: the model card's prefixes; using them
    symmetrically lost recall in our tests, see models.md). The folder's float16 weights are
    loaded as float32: fp16 matmuls on CPU are slow and warn.

    Args:
        model_path: the folder (must contain modules.json).
        model_id: identifier recorded with every vector; checked against the folder's
            provenance.json when it has one.
        threads: torch intra-op threads for the whole process (0 keeps torch's default).

    Raises:
        ModelMissing: the folder is missing or incomplete.
        ModelMismatch: the folder's provenance.json names another model.
        ImportError: torch or sentence-transformers is not installed.
    """

    def __init__(
        self, model_path: str | Path, *, model_id: str = DEFAULT_MODEL_ID, threads: int = 0
    ) -> None:
        path = Path(model_path)
        require_folder(path, model_id)
        self._path = path
        torch, sentence_transformers = _import_backend()
        if threads > 0:
            torch.set_num_threads(threads)
        self._model = sentence_transformers.SentenceTransformer(
            str(path), device="cpu", model_kwargs={"dtype": torch.float32})
        self.model_id = model_id
        self.dim = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length)

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        """Embed documents (chunks): (len(texts), dim) float32, rows L2-normalised."""
        return self._encode(texts, "passage", batch_size, progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries: (len(texts), dim) float32, rows L2-normalised."""
        return self._encode(texts, "query", 32, False)

    def _encode(self, texts: Sequence[str], prompt: str, batch_size: int,
                progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self._model.encode(
            [prepare(text) for text in texts], prompt_name=prompt, batch_size=batch_size,
            show_progress_bar=progress, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    @functools.cached_property
    def _tokenizer(self) -> ModelTokenizer:
        """A copy of the model's tokenizer without truncation, for token spans.

        sentence-transformers leaves truncation switched on in its own tokenizer; counting on
        it would cut long texts, and switching it off there would race with encoding in other
        threads. The copy (about 287 MB for XLM-R) is made on first use: the product's
        ModelEncoder keeps only one tokenizer, this reference encoder two.
        """
        return ModelTokenizer(self._path, FolderFacts.read(self._path))

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character (start, end) of each model token of `text` (see ModelTokenizer.spans)."""
        return self._tokenizer.spans(text)

    def token_budget(self, header: str = "") -> int:
        """Tokens of body text that fit in one passage (see ModelTokenizer.budget)."""
        return self._tokenizer.budget(header)
