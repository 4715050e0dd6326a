"""The product's encoder over the model folder: a fast path for queries and one for passages.

Queries and passages may take different paths (cpu_features.choose): by default queries on
ONNX Runtime (no torch in the process) and passages under bfloat16 autocast on a CPU with
bfloat16 instructions, else ONNX Runtime. Each path is loaded when first needed, so a web
worker that only answers searches never imports torch. Both share one tokenizer
(model_tokens.py), which also gives the chunker its token spans. "sentence-transformers" is the
reference path (the plain library in fp32), kept for comparison and as a fallback.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search_index.cpu_features import choose
from search_index.model_folder import DEFAULT_MODEL_ID, FolderFacts, require_folder
from search_index.model_tokens import ModelTokenizer, length_batches
from search_index.onnx_encoder import require_export


class ModelEncoder:
    """The `Encoder` over a local sentence-transformers folder, on the fastest measured paths.

    Args:
        model_path: the folder (`make model` builds it and its ONNX export).
        model_id: identifier recorded with every vector; checked against provenance.json.
        threads: threads of each path (torch intra-op, ONNX Runtime intra-op); 1 by default.
        query_path, passage_path: "auto" or a path of cpu_features.QUERY_PATHS /
            PASSAGE_PATHS; "auto" is decided from this CPU's flags.

    Raises:
        ModelMissing: the folder, or the ONNX export a chosen path needs, is missing.
        ModelMismatch: the folder's provenance.json names another model.
        ValueError: an unknown path.
    """

    def __init__(self, model_path: str | Path, *, model_id: str = DEFAULT_MODEL_ID,
                 threads: int = 1, query_path: str = "auto",
                 passage_path: str = "auto") -> None:
        self.folder = Path(model_path)
        require_folder(self.folder, model_id)
        facts = FolderFacts.read(self.folder)
        self.model_id, self.dim, self.max_tokens = model_id, facts.dim, facts.max_tokens
        self.threads = threads
        self.paths = {"query": choose(query_path, "query"),
                      "passage": choose(passage_path, "passage")}
        self._backends: dict[str, Any] = {}
        self._lock = threading.Lock()
        if "onnx" in self.paths.values():
            require_export(self.folder)  # say "make model" now, not at the first encode
        # Nothing is loaded yet: an import encodes only passages and never needs the query
        # path (ONNX Runtime, ~0.5 s); a web process loads it with its index (app/search
        # /reader.py), so no search waits for it.
        self.tokenizer = ModelTokenizer(self.folder, facts)

    def backend(self, kind: str) -> Any:
        """Return the loaded path of `kind` ("query" or "passage"), loading it on first use."""
        path = self.paths[kind]
        with self._lock:
            if path not in self._backends:
                self._backends[path] = self._load(path)
            return self._backends[path]

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        """Embed documents (chunks): (len(texts), dim) float32, rows L2-normalised."""
        return self._encode(texts, "passage", batch_size, progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries: (len(texts), dim) float32, rows L2-normalised."""
        return self._encode(texts, "query", 32, False)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character (start, end) of each model token of `text` (see ModelTokenizer.spans)."""
        return self.tokenizer.spans(text)

    def token_budget(self, header: str = "") -> int:
        """Tokens of body text that fit in one passage (see ModelTokenizer.budget)."""
        return self.tokenizer.budget(header)

    def _encode(self, texts: Sequence[str], kind: str, batch_size: int,
                progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        backend = self.backend(kind)
        if self.paths[kind] == "sentence-transformers":
            if kind == "query":
                return backend.encode_queries(texts)
            return backend.encode_passages(texts, batch_size=batch_size, progress=progress)
        rows = [self.tokenizer.ids(text, kind) for text in texts]
        out = np.empty((len(texts), self.dim), np.float32)
        batches = length_batches(rows, batch_size)
        if progress:
            from tqdm import tqdm

            batches = tqdm(batches, desc="Encoding", unit="batch")
        for chosen in batches:
            out[chosen] = backend.run(*self.tokenizer.batch([rows[i] for i in chosen]))
        return out

    def _load(self, path: str) -> Any:
        if path == "onnx":
            from search_index.onnx_encoder import OnnxBackend

            return OnnxBackend(self.folder, threads=self.threads)
        if path == "sentence-transformers":
            from search_index.st_encoder import SentenceTransformerEncoder

            return SentenceTransformerEncoder(self.folder, model_id=self.model_id,
                                              threads=self.threads)
        from search_index.torch_encoder import TorchBackend

        return TorchBackend(self.folder, bf16=path == "torch-bf16", threads=self.threads)
