"""Split a document into passages that each fit the encoder's input, dropping no text.

Encoders cut input beyond their limit silently (512 tokens for multilingual-e5-small), so a
long practice is split into passages of at most `encoder.token_budget(header)` body tokens,
each prefixed with the header (the title) so every passage says what it belongs to.

Cuts are placed where they harm meaning least: at a paragraph break if one lies in the second
half of the window, else at a sentence end (Latin, CJK, Arabic, Devanagari, Thai... marks, or a
line break), else between words, else between tokens. Text cut mid-sentence, or a short last
sentence before a cut, is repeated at the start of the next passage (at most an eighth of the
budget), so a statement straddling a cut is still whole in one passage.
"""
from __future__ import annotations

import bisect
import re

from .encoder import Encoder

PARAGRAPH, SENTENCE, WORD, TOKEN = 3, 2, 1, 0
# Body tokens per passage of a body that does not fit in one model input (512 tokens for
# e5-small): a long practice is cut into passages of about a paragraph, so a paragraph about
# another subject than the rest is a passage of its own and its vector says what it is about
# (a passage of 512 tokens mixes it with the text before it). Bodies that fit stay one
# passage. On the development set (benchmarks/devset: three practices of 1,000-2,600 words,
# 14 queries in other languages about their last paragraph), with 512-token passages the
# practice's median rank was 21, with 128-token passages 12, and 4 once the hubness penalty
# of multi-passage documents was capped too (balance.py); short queries and similar practices
# did not change (passages of 128 tokens for every text: short queries' on-topic share fell
# from .535 to .485).
PASSAGE_TOKENS = 128

_CLOSERS = "\"'»”’)\\]」』】"
_BOUNDARIES = (
    (PARAGRAPH, re.compile(r"\n[ \t]*\n\s*")),
    (SENTENCE, re.compile(r"\n\s*")),
    (SENTENCE, re.compile(f"[.!?…]+[{_CLOSERS}]*\\s+")),
    # Full stops and question marks that need no following space: CJK, Arabic and Urdu,
    # Devanagari danda, Myanmar, Ethiopic, Georgian, Armenian, Khmer.
    (SENTENCE, re.compile(f"[。！？｡؟۔।॥။።჻։។]+[{_CLOSERS}]*\\s*")),
    # Thai and Lao put a space between sentences (not between words).
    (SENTENCE, re.compile(r"(?<=[\u0e00-\u0eff]) +(?=[\u0e00-\u0eff])")),
)


def chunk(encoder: Encoder, header: str, body: str,
          max_tokens: int | None = None) -> list[str]:
    """Return the passages of a document: each is `header + "\\n" + piece` (or just the header).

    Every token of `body` is in at least one piece and pieces follow the body's order; an empty
    body gives the header alone. A header taking more than half of the model's input is
    shortened to half (titles are never that long; the keyword index keeps the full text).
    A body that does not fit in one model input is cut into pieces of at most `max_tokens`
    body tokens (None: PASSAGE_TOKENS).
    """
    header = _fit_header(encoder, header.strip())
    return [_join(header, piece) for piece in pieces(encoder, header, body, max_tokens)]


def pieces(encoder: Encoder, header: str, body: str,
           max_tokens: int | None = None) -> list[str]:
    """Return the body pieces of `chunk`'s passages, in order, without the header ([""] for
    an empty body). The i-th piece is what the i-th stored vector of the document encodes,
    so a search can show the passage that matched (when the document was encoded with the
    same chunking)."""
    header = _fit_header(encoder, header.strip())
    body = body.strip()
    spans = encoder.token_spans(body)
    budget = max(1, encoder.token_budget(header))
    if len(spans) <= budget:
        return [body]
    budget = max(1, min(budget, max_tokens or PASSAGE_TOKENS))
    strength = _strengths(body, spans)
    found = []
    for start, end in _windows(strength, budget):
        first = 0 if start == 0 else spans[start][0]
        last = len(body) if end == len(spans) else spans[end][0]
        found.append(body[first:last].strip())
    return found


def _join(header: str, piece: str) -> str:
    if not header or not piece:
        return header or piece
    return f"{header}\n{piece}"


def _fit_header(encoder: Encoder, header: str) -> str:
    half = encoder.token_budget("") // 2
    spans = encoder.token_spans(header)
    if len(spans) <= half:
        return header
    return header[: spans[half - 1][1]] if half > 0 else ""


def _strengths(body: str, spans: list[tuple[int, int]]) -> list[int]:
    """Return, for each token, how good a place to cut the gap just before it is."""
    strength = [
        WORD if i and spans[i - 1][1] < spans[i][0] else TOKEN for i in range(len(spans))
    ]
    ends = [end for _, end in spans]
    for level, pattern in _BOUNDARIES:
        for match in pattern.finditer(body):
            # The next sentence starts at the first token that ends after the match.
            token = bisect.bisect_right(ends, match.end())
            if 0 < token < len(spans):
                strength[token] = max(strength[token], level)
    return strength


def _windows(strength: list[int], budget: int) -> list[tuple[int, int]]:
    """Return (start, end) token ranges of at most `budget` tokens covering every token."""
    overlap = budget // 8
    windows, start = [], 0
    while start + budget < len(strength):
        end = _best_cut(strength, start + max(1, budget // 2), start + budget)
        windows.append((start, end))
        start = max(start + 1, _next_start(strength, end, overlap))
    windows.append((start, len(strength)))
    return windows


def _best_cut(strength: list[int], low: int, high: int) -> int:
    """Return the cut in [low, high] with the strongest boundary, the latest among equals."""
    return max(range(low, high + 1), key=lambda i: (strength[i], i))


def _next_start(strength: list[int], cut: int, overlap: int) -> int:
    """Start the next window at a sentence start within `overlap` tokens before the cut.

    Without one, a cut at a sentence or paragraph end needs no overlap, and a cut inside a
    sentence repeats the last `overlap` tokens.
    """
    for i in range(cut - overlap, cut):
        if strength[i] >= SENTENCE:
            return i
    return cut if strength[cut] >= SENTENCE else cut - overlap
