"""Which computation path the encoder takes on this CPU, decided from its flags at run time.

Measured on AMD Zen 4 (avx512_bf16, no AMX), one thread, against sentence-transformers fp32
(issue 11): bfloat16 autocast encodes passages 2.37x faster (queries 1.82x), ONNX Runtime fp32
encodes one query 3.83x faster (passages 1.42x) with the same vectors. Without bfloat16
instructions the CPU emulates bfloat16 and that path is slower than fp32, so it is chosen only
when the CPU says it has them: x86 `avx512_bf16` or `amx_bf16` (Linux /proc/cpuinfo "flags"),
Arm `bf16` ("Features"). Configuration may force any path.
"""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

QUERY_PATHS = ("onnx", "torch-fp32", "sentence-transformers")
PASSAGE_PATHS = ("onnx", "torch-bf16", "torch-fp32", "sentence-transformers")
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16", "bf16"})


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """Return the feature flags of the first CPU in `cpuinfo` (empty when unreadable)."""
    try:
        text = cpuinfo.read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("flags", "features"):
            return frozenset(value.split())
    return frozenset()


def has_bf16(flags: Collection[str]) -> bool:
    """True when the flags name native bfloat16 arithmetic (see the module doc)."""
    return not BF16_FLAGS.isdisjoint(flags)


def choose(setting: str, kind: str, flags: Collection[str] | None = None) -> str:
    """Return the path for `kind` ("query" or "passage") given the configured `setting`.

    "auto" means: queries on ONNX Runtime; passages under bfloat16 autocast when the CPU
    has bfloat16 instructions, else on ONNX Runtime. Any other setting is returned as it is.

    Raises:
        ValueError: `setting` is neither "auto" nor one of the paths of `kind`.
    """
    paths = QUERY_PATHS if kind == "query" else PASSAGE_PATHS
    if setting == "auto":
        if kind == "query":
            return "onnx"
        return "torch-bf16" if has_bf16(cpu_flags() if flags is None else flags) else "onnx"
    if setting not in paths:
        raise ValueError(f"the {kind} path {setting!r} is unknown; use auto or one of "
                         + ", ".join(paths))
    return setting
