"""The real encoder: a local sentence-transformers folder (multilingual-e5-small by default).

The folder is built offline by `python -m search_index.provision` (`make model`); no model hub
is ever contacted. torch and sentence-transformers are imported when an encoder is created,
never at import time, so the app factory, the CLI and the unit tests stay fast.
"""
from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from search_index.errors import SearchIndexError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

DEFAULT_MODEL_ID = "intfloat/multilingual-e5-small"
# Characters that only shape the text on a page: Arabic tatweel (kashida, U+0640) stretches
# words to justify lines, the soft hyphen (U+00AD) marks where a word may be broken. The model's
# tokenizer keeps both as pieces inside the word ("المتجــددة" -> المت ج ــ دد ة instead of
# المت جدد ة), which moves the vector: 142 of the 169 Arabic SDG targets carry tatweel, and
# removing it raised the neutralised SDG X -> Y R@1 (language=Y) at the worst pair from .840 to
# .917 (benchmarks/balance_study.py). Lucene's ArabicNormalizer and our keyword tokenizer drop
# tatweel for the same reason. (Vectors stored earlier for texts holding these characters
# are renewed only when their text changes: the content hash does not see this step.)
_LAYOUT_ONLY = str.maketrans({"\u0640": None, "\u00ad": None})
# Tokens kept free between prompt, header and body: joining texts can add a word-start piece
# ("▁") at each seam that counting the parts separately does not see.
SEPARATOR_MARGIN = 2


class ModelMissing(SearchIndexError, FileNotFoundError):
    """The model folder does not exist or is incomplete; the operator must run `make model`."""


class ModelMismatch(SearchIndexError, ValueError):
    """The model folder was built for another model id than the one configured."""


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


def _require_folder(path: Path, model_id: str) -> None:
    """Raise ModelMissing unless `path` is a sentence-transformers folder of `model_id`."""
    if not (path / "modules.json").is_file():
        raise ModelMissing(
            f"no embedding model at {path} (modules.json is missing): run `make model`, "
            f"which builds it with `python -m search_index.provision {path}`")
    provenance = path / "provenance.json"
    if provenance.is_file():
        built = json.loads(provenance.read_text(encoding="utf-8")).get("model_id")
        if built != model_id:
            raise ModelMismatch(f"{path} holds {built}, but the configured model is {model_id}")


def prepare(text: str) -> str:
    """Return `text` as the model is given it: without tatweel and soft hyphens.

    Only removes characters, so the text never gets more tokens than the chunker counted.
    """
    return text.translate(_LAYOUT_ONLY)


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
        _require_folder(path, model_id)
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
    def _tokenizer(self) -> Tokenizer:
        """A private copy of the model's tokenizer without truncation or padding.

        sentence-transformers leaves truncation to max_tokens switched on in the shared
        tokenizer; counting on it would cut long texts, and switching it off there would race
        with encoding in other threads. The copy takes about 0.8 s, hence made on first use.
        """
        from tokenizers import Tokenizer

        copy = Tokenizer.from_str(self._model.tokenizer.backend_tokenizer.to_str())
        copy.no_truncation()
        copy.no_padding()
        return copy

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character (start, end) of each model token of `text`, without special tokens.

        Spans are in text order; a bare word-start token ("▁" before CJK text) shares its
        span with the next token. Characters the tokenizer drops (e.g. zero-width spaces)
        belong to no span.
        """
        return list(self._tokenizer.encode(text, add_special_tokens=False).offsets)

    def token_budget(self, header: str = "") -> int:
        """How many tokens of body text fit in one passage after the prompt and `header`.

        Counts max_tokens minus the special tokens (<s>, </s>), the "passage: " prompt, the
        header and SEPARATOR_MARGIN, for a passage written as prompt + header + whitespace +
        body. Returns 0 when the header alone fills the window.
        """
        prompt = self._model.prompts.get("passage", "")
        used = (self._tokenizer.num_special_tokens_to_add(is_pair=False)
                + self._count(prompt) + self._count(header) + SEPARATOR_MARGIN)
        return max(0, self.max_tokens - used)

    def _count(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids) if text else 0
