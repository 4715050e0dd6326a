"""The model's tokenizer, loaded once per process and shared by chunking and encoding.

The XLM-R tokenizer of multilingual-e5-small holds about 287 MB in memory (250,002 pieces);
the encoders used to keep two copies (sentence-transformers' own, with truncation switched
on, and one without it for token spans). This is the only copy the fast paths keep: it never
truncates or pads, and `batch` cuts and pads by itself exactly as sentence-transformers does
(prompt + text, stripped; the first max_tokens - 2 pieces between <s> and </s>), so that the
same ids reach the model. Only the `tokenizers` package is needed (no torch, no transformers).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from search_index.model_folder import FolderFacts, prepare

# Tokens kept free between prompt, header and body: joining texts can add a word-start piece
# ("▁") at each seam that counting the parts separately does not see.
SEPARATOR_MARGIN = 2


class ModelTokenizer:
    """tokenizer.json of a model folder, without truncation or padding.

    Args:
        path: the model folder; facts: its FolderFacts (prompts, window).

    Raises:
        OSError: tokenizer.json cannot be read.
    """

    def __init__(self, path: Path, facts: FolderFacts) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self.facts = facts
        # The post-processor's template: [<s>] piece ids [</s>] for XLM-R.
        frame = self._tokenizer.encode("", add_special_tokens=True).ids
        self._first, self._last = frame[:1], frame[1:]
        self.pad_id = self._tokenizer.token_to_id("<pad>") or 0

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character (start, end) of each model token of `text`, without special tokens.

        Spans are in text order; a bare word-start token ("▁" before CJK text) shares its
        span with the next token. Characters the tokenizer drops (e.g. zero-width spaces)
        belong to no span.
        """
        return list(self._tokenizer.encode(text, add_special_tokens=False).offsets)

    def count(self, text: str) -> int:
        """Number of model tokens of `text`, without special tokens (0 for "")."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids) if text else 0

    def budget(self, header: str = "") -> int:
        """How many tokens of body text fit in one passage after the prompt and `header`.

        Counts max_tokens minus the special tokens (<s>, </s>), the "passage" prompt, the
        header and SEPARATOR_MARGIN, for a passage written as prompt + header + whitespace +
        body. Returns 0 when the header alone fills the window.
        """
        used = (len(self._first) + len(self._last) + self.count(self.facts.prompts.get(
            "passage", "")) + self.count(header) + SEPARATOR_MARGIN)
        return max(0, self.facts.max_tokens - used)

    def ids(self, text: str, prompt: str) -> list[int]:
        """The ids the model is given for `text` with the named prompt, truncated to its window."""
        joined = (self.facts.prompts.get(prompt, "") + prepare(text)).strip()
        pieces = self._tokenizer.encode(joined, add_special_tokens=False).ids
        room = self.facts.max_tokens - len(self._first) - len(self._last)
        return self._first + pieces[:room] + self._last

    def batch(self, rows: Sequence[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Pad id lists to one (n, longest) int64 matrix; return (input_ids, attention_mask)."""
        width = max(len(row) for row in rows)
        ids = np.full((len(rows), width), self.pad_id, np.int64)
        mask = np.zeros((len(rows), width), np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        return ids, mask


def length_batches(rows: Sequence[list[int]], size: int) -> list[np.ndarray]:
    """Positions of `rows` in batches of at most `size`, longest first, so that rows of a
    batch need little padding (what sentence-transformers does too)."""
    order = np.argsort([-len(row) for row in rows], kind="stable")
    return [order[start : start + size] for start in range(0, len(order), size)]
