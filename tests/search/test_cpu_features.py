"""The encoding path follows the CPU's flags: bfloat16 only where the CPU computes it natively."""
from __future__ import annotations

import pytest

from search_index.cpu_features import choose, cpu_flags, has_bf16

ZEN4 = "fpu vme avx2 avx512f avx512bw avx512_bf16 avx512_vnni"  # this team's machines
ZEN3 = "fpu vme avx2 fma sse4_2"  # no bfloat16 instructions
SAPPHIRE_RAPIDS = "avx512f avx512_bf16 amx_bf16 amx_tile amx_int8"
GRAVITON3 = "fp asimd sve bf16 i8mm"  # Arm: the "Features" line


def test_a_cpu_with_bfloat16_instructions_encodes_passages_in_bfloat16():
    for flags in (ZEN4, SAPPHIRE_RAPIDS, GRAVITON3):
        assert choose("auto", "passage", flags.split()) == "torch-bf16", flags


def test_a_cpu_without_them_encodes_passages_on_onnx_runtime_in_fp32():
    assert choose("auto", "passage", ZEN3.split()) == "onnx"
    assert choose("auto", "passage", []) == "onnx"  # flags unknown: never assume bfloat16


def test_queries_take_onnx_runtime_whatever_the_cpu():
    assert choose("auto", "query", ZEN4.split()) == choose("auto", "query", ZEN3.split()) == "onnx"


def test_configuration_forces_a_path_on_any_cpu():
    assert choose("torch-bf16", "passage", ZEN3.split()) == "torch-bf16"
    assert choose("sentence-transformers", "passage", ZEN4.split()) == "sentence-transformers"
    assert choose("torch-fp32", "query", ZEN4.split()) == "torch-fp32"


def test_an_unknown_path_is_refused_naming_the_ones_that_exist():
    with pytest.raises(ValueError, match="torch-bf16"):
        choose("gpu", "passage", [])
    with pytest.raises(ValueError, match="onnx"):
        choose("torch-bf16", "query", ZEN4.split())  # bfloat16 is not offered for queries


def test_the_flags_are_read_from_cpuinfo_on_x86_and_on_arm(tmp_path):
    x86 = tmp_path / "x86"
    x86.write_text(f"processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: {ZEN4}\n\n"
                   f"processor\t: 1\nflags\t\t: {ZEN4}\n")
    arm = tmp_path / "arm"
    arm.write_text(f"processor\t: 0\nBogoMIPS\t: 2100.00\nFeatures\t: {GRAVITON3}\n")
    assert has_bf16(cpu_flags(x86)) and "avx512_bf16" in cpu_flags(x86)
    assert has_bf16(cpu_flags(arm))
    assert cpu_flags(tmp_path / "missing") == frozenset()
