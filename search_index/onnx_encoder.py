"""The ONNX Runtime path: the model exported to ONNX at `make model` time, computed in fp32.

Imports neither torch nor transformers, so a web worker that only encodes queries stays small
and starts quickly. The graph (search_index/onnx_export.py) holds the transformer, the mean
pooling and the L2 normalisation: input_ids and attention_mask (n, tokens) int64 in,
sentence_embedding (n, dim) float32 out, equal to the reference's vectors within float error.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from search_index.model_folder import ModelMissing

ONNX_DIR = "onnx"
ONNX_FILE = "model.onnx"


def onnx_path(folder: Path) -> Path:
    """Where `make model` writes the ONNX export of the model folder `folder`."""
    return folder / ONNX_DIR / ONNX_FILE


def require_export(folder: Path, directory: Path | None = None) -> Path:
    """Return the export of `folder` (in `directory`, default folder/onnx); ModelMissing
    unless it exists and was made from the folder's current weights (their sha256 in both
    provenance records)."""
    path = onnx_path(folder) if directory is None else directory / ONNX_FILE
    try:
        made_from = json.loads((path.parent / "provenance.json").read_text("utf-8"))["source"]
        weights = json.loads((folder / "provenance.json").read_text("utf-8"))["outputs"]
    except (OSError, KeyError, ValueError):
        raise ModelMissing(f"no ONNX export of the model at {path.parent}: run `make model`, "
                           f"which exports it with `python -m search_index.onnx_export "
                           f"{folder}`") from None
    if made_from != weights.get("model.safetensors") or not path.is_file():
        raise ModelMissing(f"the ONNX export at {path.parent} was made from other weights than "
                           f"{folder}'s: run `make model` to export it again")
    return path


class OnnxBackend:
    """An ONNX Runtime session over the export, on the CPU.

    Args:
        folder: the model folder (its `onnx/` subfolder is read).
        threads: intra-op threads; 1 (the default) starts no thread pool at all, which keeps
            the process safe to fork (gunicorn --preload) and leaves the other core to others.
        directory: where the export is, if not in `folder`/onnx.

    Raises:
        ModelMissing: no export, or one made from other weights (run `make model`).
        ImportError: onnxruntime is not installed.
    """

    def __init__(self, folder: Path, *, threads: int = 1, directory: Path | None = None
                 ) -> None:
        import onnxruntime

        path = require_export(folder, directory)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # Idle threads must sleep, not spin: spinning threads took the other core from the
        # web workers (the same effect EMBEDDING_THREADS notes for torch).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"])

    def run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return the unit sentence vectors (n, dim) float32 of a padded batch."""
        out = self._session.run(["sentence_embedding"],
                                {"input_ids": ids, "attention_mask": mask})[0]
        return np.asarray(out, np.float32)
