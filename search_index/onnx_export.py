"""Export the model folder to ONNX for the ONNX Runtime path, offline, at `make model` time.

Run as ``python -m search_index.onnx_export MODEL_DIR``: writes MODEL_DIR/onnx/ (model.onnx,
its fp32 weights in model.onnx.data, provenance.json), built under a hidden name and renamed
into place only after the export has been checked against torch on the same inputs (cosine
>= 0.99999 per text). Uses torch's exporter (torch.export + onnxscript), nothing from a hub.
The graph holds the transformer in fp32 with eager attention (sentence-transformers' SDPA
attention exports to a graph with NaN guards that ONNX Runtime ran slower), then the folder's
mean pooling and L2 normalisation, with dynamic batch and sequence axes. About 15 s and
470 MB on disk (the fp16 folder's weights in fp32: ONNX Runtime's CPU kernels want fp32).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from search_index import atomic_dir
from search_index.errors import SearchIndexError
from search_index.model_folder import FolderFacts, require_folder
from search_index.model_tokens import ModelTokenizer
from search_index.onnx_encoder import ONNX_DIR, ONNX_FILE, OnnxBackend

log = logging.getLogger(__name__)
CHECK_TEXTS = ("School gardens teach pupils about the climate.", "Les élèves et le climat.",
               "学生们在学校菜园里种蔬菜。", "يزرع تلاميذنا الخضروات في حديقة المدرسة.")


class ExportError(SearchIndexError):
    """The export failed or does not compute what torch computes; nothing was written."""


def _pooled_model(folder: Path):
    import torch
    import transformers

    model = transformers.AutoModel.from_pretrained(
        str(folder), dtype=torch.float32, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask)[0]
            keep = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled()


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def export(folder: Path, target: Path, tokenizer: ModelTokenizer) -> None:
    """Write the ONNX graph of `folder`'s model to `target` (a directory) and check it."""
    import torch

    torch.set_num_threads(1)
    model = _pooled_model(folder)
    ids, mask = tokenizer.batch([tokenizer.ids(text, "passage") for text in CHECK_TEXTS])
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("seq", max=tokenizer.facts.max_tokens)
    inputs = (torch.from_numpy(ids), torch.from_numpy(mask))
    program = torch.onnx.export(
        model, inputs, dynamo=True, optimize=True, verbose=False,
        input_names=["input_ids", "attention_mask"], output_names=["sentence_embedding"],
        dynamic_shapes={"input_ids": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: seq}})
    program.save(str(target / ONNX_FILE), external_data=True)
    with torch.inference_mode():
        expected = model(*inputs).numpy()
    (target / "provenance.json").write_text(json.dumps({
        "source": _sha256(folder / "model.safetensors"), "builder": "search_index.onnx_export",
        "torch": torch.__version__, "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }, indent=1) + "\n", encoding="utf-8")
    found = OnnxBackend(folder, threads=1, directory=target).run(ids, mask)
    lowest = float(np.sum(found * expected, axis=1).min())
    if lowest < 0.99999:
        raise ExportError(f"the ONNX export gives vectors at cosine {lowest:.6f} to torch's")


def build_export(folder: Path | str) -> Path:
    """Export the model folder `folder` to `folder`/onnx; return that directory.

    Raises:
        ModelMissing: `folder` is not a complete model folder (run provision first).
        ExportError: the exported graph does not compute what torch computes.
    """
    started, folder = time.monotonic(), Path(folder).absolute()
    require_folder(folder, json.loads((folder / "provenance.json").read_text())["model_id"])
    tokenizer = ModelTokenizer(folder, FolderFacts.read(folder))
    with atomic_dir.building(folder / ONNX_DIR) as partial:
        export(folder, partial, tokenizer)
    size_mb = sum(p.stat().st_size for p in (folder / ONNX_DIR).iterdir()) / 1e6
    log.info("exported %s (%.0f MB) in %.1f s", folder / ONNX_DIR, size_mb,
             time.monotonic() - started)
    return folder / ONNX_DIR


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m search_index.onnx_export MODEL_DIR``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m search_index.onnx_export",
                                     description="Export the model folder to ONNX, offline.")
    parser.add_argument("model_dir", type=Path, help="the folder `provision` built")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="onnx_export: %(message)s", stream=sys.stderr)
    try:
        build_export(args.model_dir)
    except (SearchIndexError, OSError) as exc:
        print(f"onnx_export: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
