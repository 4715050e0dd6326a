"""What search is built from: its settings (read once from the app's configuration) and the
encoder, which is heavy (the real one imports torch and loads ~500 MB) and so is loaded on
first use, once per process, and shared by the reader, the writer and maintenance."""
from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from search_index import Encoder, HashingEncoder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchSettings:
    """The configuration keys search uses (documented in app/config.py)."""

    encoder: Any  # "hashing", "sentence-transformers" or an Encoder object
    model_id: str
    model_path: str
    threads: int
    index_dir: Path
    neutralizer: bool
    candidates: int
    gap_seconds: float
    keep_changes_days: float
    database_key: str  # names the database a snapshot was made from (no password in it)
    query_path: str = "auto"  # how queries and passages are computed (cpu_features.choose)
    passage_path: str = "auto"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SearchSettings:
        """Read the settings from a Flask config."""
        return cls(
            encoder=config["ENCODER"], model_id=config["EMBEDDING_MODEL"],
            model_path=config["EMBEDDING_MODEL_PATH"], threads=config["EMBEDDING_THREADS"],
            index_dir=Path(config["SEARCH_INDEX_DIR"]),
            neutralizer=config["SEARCH_NEUTRALIZER"], candidates=config["SEARCH_CANDIDATES"],
            gap_seconds=config["SEARCH_CHANGE_GAP_SECONDS"],
            keep_changes_days=config["SEARCH_CHANGES_KEEP_DAYS"],
            database_key=_database_key(config["DATABASE_URL"]),
            query_path=config["EMBEDDING_QUERY_PATH"],
            passage_path=config["EMBEDDING_PASSAGE_PATH"],
        )


def _database_key(url: str) -> str:
    shown = make_url(url).render_as_string(hide_password=True)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


class LazyEncoder:
    """The configured encoder, loaded on first use (seconds for the real model).

    Args:
        settings: ENCODER, EMBEDDING_MODEL, EMBEDDING_MODEL_PATH and EMBEDDING_THREADS.
    """

    def __init__(self, settings: SearchSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._encoder: Encoder | None = None

    def get(self) -> Encoder:
        """Return the encoder, loading it now if no thread has yet.

        Raises:
            ValueError: ENCODER names no known encoder.
            search_index.st_encoder.ModelMissing: the model folder is missing (`make model`).
        """
        with self._lock:
            if self._encoder is None:
                self._encoder = make_encoder(self.settings)
            return self._encoder

    @property
    def model_id(self) -> str:
        """Id of the configured model, as stored with the vectors; known without loading it."""
        if self.settings.encoder == "sentence-transformers" and self._encoder is None:
            return self.settings.model_id
        return self.get().model_id


def make_encoder(settings: SearchSettings) -> Encoder:
    """Return the configured encoder.

    Raises:
        ValueError: ENCODER names no known encoder, or a path setting no known path.
        search_index.model_folder.ModelMissing: the model folder or its ONNX export is
            missing (run `make model`).
    """
    kind = settings.encoder
    if kind == "hashing":
        return HashingEncoder()
    if kind == "sentence-transformers":
        from search_index.model_encoder import ModelEncoder

        return ModelEncoder(settings.model_path, model_id=settings.model_id,
                            threads=settings.threads, query_path=settings.query_path,
                            passage_path=settings.passage_path)
    if isinstance(kind, Encoder):  # tests and embedding applications pass an object
        return kind
    raise ValueError(f"ENCODER is {kind!r}; use 'sentence-transformers' or 'hashing'")


@contextmanager
def file_lock(directory: Path, name: str = ".lock") -> Iterator[None]:
    """Hold an exclusive lock on `directory/name` (across processes) for the block."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / name, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
