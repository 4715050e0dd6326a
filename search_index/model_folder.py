"""What the encoders read from a sentence-transformers model folder, without importing torch.

The folder is built offline by `python -m search_index.provision` (`make model`). Every encoder
(the reference sentence-transformers one, the torch and the ONNX Runtime paths) checks it the
same way and gives the model the same text: prompts from config_sentence_transformers.json,
the token window from sentence_bert_config.json, the dimension from 1_Pooling/config.json.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from search_index.errors import SearchIndexError

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


class ModelMissing(SearchIndexError, FileNotFoundError):
    """The model folder (or its fast path) does not exist or is incomplete: run `make model`."""


class ModelMismatch(SearchIndexError, ValueError):
    """The model folder was built for another model id than the one configured."""


def prepare(text: str) -> str:
    """Return `text` as the model is given it: without tatweel and soft hyphens.

    Only removes characters, so the text never gets more tokens than the chunker counted.
    """
    return text.translate(_LAYOUT_ONLY)


def require_folder(path: Path, model_id: str) -> None:
    """Raise ModelMissing unless `path` is a sentence-transformers folder of `model_id`.

    Raises:
        ModelMissing: modules.json is missing.
        ModelMismatch: provenance.json names another model.
    """
    if not (path / "modules.json").is_file():
        raise ModelMissing(
            f"no embedding model at {path} (modules.json is missing): run `make model`, "
            f"which builds it with `python -m search_index.provision {path}`")
    provenance = path / "provenance.json"
    if provenance.is_file():
        built = json.loads(provenance.read_text(encoding="utf-8")).get("model_id")
        if built != model_id:
            raise ModelMismatch(f"{path} holds {built}, but the configured model is {model_id}")


@dataclass(frozen=True)
class FolderFacts:
    """What a folder says about how the model is used.

    Attributes:
        prompts: prompt name ("query", "passage") -> text put before the input.
        max_tokens: the model's input window in tokens, special tokens included (512 for e5).
        dim: length of the sentence vector (384 for e5-small).
    """

    prompts: dict[str, str]
    max_tokens: int
    dim: int

    @classmethod
    def read(cls, path: Path) -> FolderFacts:
        """Read the facts of the folder at `path` (see require_folder).

        Raises:
            ModelMissing: a configuration file is missing.
        """
        try:
            prompts = _json(path / "config_sentence_transformers.json").get("prompts", {})
            window = int(_json(path / "sentence_bert_config.json")["max_seq_length"])
            dim = int(_json(path / "1_Pooling" / "config.json")["word_embedding_dimension"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelMissing(f"{path} is not a complete model folder ({exc}): run "
                               "`make model`") from exc
        return cls(dict(prompts), window, dim)


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
