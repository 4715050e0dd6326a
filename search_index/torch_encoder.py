"""The torch path: the model folder's transformer in torch, fp32 or bfloat16 autocast.

bfloat16 autocast (`torch.autocast("cpu", dtype=torch.bfloat16)`) runs the matrix products in
bfloat16 and keeps the rest in fp32: 2.37x the passages per second of sentence-transformers fp32
on a CPU with bfloat16 instructions (AMD Zen 4, avx512_bf16; issue 11's table), lowest cosine to
fp32 0.99999. Without those instructions bfloat16 is emulated and slower than fp32, so the
caller decides by the CPU's flags (cpu_features.py). Pooling as the folder's: mean over the
tokens the mask keeps, then L2 normalisation.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


class TorchBackend:
    """The folder's transformer on the CPU.

    Args:
        folder: the model folder (config.json and model.safetensors at its root).
        bf16: compute under bfloat16 autocast; False computes in fp32.
        threads: torch intra-op threads for the whole process (0 keeps torch's default).

    Raises:
        ImportError: torch or transformers is not installed.
    """

    def __init__(self, folder: Path, *, bf16: bool, threads: int = 1) -> None:
        import torch
        import transformers

        if threads > 0:
            torch.set_num_threads(threads)
        transformers.utils.logging.disable_progress_bar()  # no bar per load in the CLI
        self._torch = torch
        self.bf16 = bf16
        # The folder's weights are float16; computing in fp16 on a CPU is slow and warns.
        self._model = transformers.AutoModel.from_pretrained(
            str(folder), dtype=torch.float32).eval()

    def run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return the unit sentence vectors (n, dim) float32 of a padded batch."""
        torch = self._torch
        ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16,
                                                    enabled=self.bf16):
            hidden = self._model(input_ids=ids_t, attention_mask=mask_t).last_hidden_state
        keep = mask_t.unsqueeze(-1).to(torch.float32)
        mean = (hidden.to(torch.float32) * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2, dim=1).numpy()
