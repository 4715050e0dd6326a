"""Keyword tokenizer for many scripts, shared by the keyword index and the fusion weights.

Normalisation, in order:
* NFKC (full-width Latin and half-width Katakana become ordinary forms), then casefold.
* Arabic: remove tashkeel and tatweel; unify alef forms to bare alef, alef maksura and Farsi yeh
  to yeh, teh marbuta to heh (the rules of Lucene's ArabicNormalizer, after Larkey, Ballesteros
  & Connell 2007 "Light Stemming for Arabic Information Retrieval"). Hebrew points are removed
  for the same reason: everyday text omits them.
* Combining diacritics are removed after Latin, Greek and Cyrillic letters only (users type
  "educacion" for "educación"); marks are kept where they are letters of the word, as the vowel
  signs of Devanagari or Thai are.
No stemming: stemmers exist for a few of the hundred languages, and partial stemming would make
keyword scores unequal across languages.

Segmentation: Han/Kana and Hangul, and Thai/Lao/Myanmar/Khmer runs, written without spaces
between words, become overlapping character bigrams (a run of one character stays a unigram),
as Lucene's CJKBigramFilter does; every other run of letters, marks and digits is one token.
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata

_HAN_KANA = "\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff" \
    "\uf900-\ufaff\U00020000-\U0003134f"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
# Thai, Lao, Myanmar, Khmer (+ Khmer symbols, Myanmar extended-A).
_SOUTHEAST_ASIAN = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\uaa60-\uaa7f"
_NO_SPACE_SCRIPTS = _HAN_KANA + _HANGUL + _SOUTHEAST_ASIAN

_ARABIC_FOLD = str.maketrans(
    {
        **{chr(c): None for c in range(0x064B, 0x0660)},  # tashkeel (harakat, tanwin, shadda)
        "\u0670": None,  # superscript alef
        "\u0640": None,  # tatweel
        **{c: "\u0627" for c in "\u0622\u0623\u0625\u0671"},  # alef with madda/hamza, wasla
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u06cc": "\u064a",  # Farsi yeh -> yeh
        "\u0629": "\u0647",  # teh marbuta -> heh
        **{chr(c): None for c in (*range(0x0591, 0x05BE), 0x05BF, 0x05C1, 0x05C2, 0x05C4,
                                  0x05C5, 0x05C7)},  # Hebrew points and cantillation
    }
)
# A Latin/Greek/Cyrillic base letter followed by combining diacritics (in NFD).
_LGC_BASE = "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f"
_LGC_DIACRITICS = re.compile(f"([{_LGC_BASE}])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff]+")
_HAS_LGC_NON_ASCII = re.compile("[\u00c0-\u024f\u0370-\u052f\u1e00-\u1fff]")


_HAS_NO_SPACE_SCRIPT = re.compile(f"[{_NO_SPACE_SCRIPTS}]")


@functools.cache
def _pattern(astral: bool) -> re.Pattern[str]:
    """Compile the pattern of runs (on first use: listing the marks takes ~30 ms)."""
    return re.compile(
        f"(?P<han>[{_HAN_KANA}]+)|(?P<hangul>[{_HANGUL}]+)|(?P<sea>[{_SOUTHEAST_ASIAN}]+)"
        f"|(?P<word>{_word(astral)})"
    )


@functools.cache
def _words_only(astral: bool) -> re.Pattern[str]:
    """Compile the pattern for text without no-space scripts (one `findall`, 3x faster)."""
    return re.compile(_word(astral))


@functools.cache
def _word(astral: bool) -> str:
    """Return the regex of a word: letters and digits, with marks (which `\\w` misses).

    A class listing marks beyond the BMP makes `re` 2.5x slower on every text, so it is only
    used for text holding such characters.
    """
    limit = 0x110000 if astral else 0x10000
    marks = "".join(f"{chr(a)}-{chr(min(b, limit - 1))}" for a, b in _mark_ranges() if a < limit)
    letters = f"[^\\W_{_NO_SPACE_SCRIPTS}]"
    return f"{letters}+(?:[{marks}]+{letters}*)*|[{marks}]+"


@functools.cache
def _mark_ranges() -> list[tuple[int, int]]:
    """Return the code point ranges of Unicode marks (M*), which `\\w` does not match."""
    ranges: list[tuple[int, int]] = []
    # Beyond U+1FFFF only the variation selectors supplement holds marks.
    for code in (*range(0x20000), *range(0xE0100, 0xE01F0)):
        if code > sys.maxunicode or unicodedata.category(chr(code))[0] != "M":
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def normalize(text: str) -> str:
    """Return `text` NFKC-normalised, casefolded, with Arabic and LGC diacritics folded."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_FOLD)
    if _HAS_LGC_NON_ASCII.search(text):
        text = _LGC_DIACRITICS.sub(r"\1", unicodedata.normalize("NFD", text))
        text = unicodedata.normalize("NFC", text)
    return text


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """Split `text` into normalised keyword tokens (words, or bigrams in no-space scripts)."""
    text = normalize(text)
    astral = bool(text) and max(text) > "\uffff"
    if not _HAS_NO_SPACE_SCRIPT.search(text):
        return _words_only(astral).findall(text)
    tokens: list[str] = []
    for match in _pattern(astral).finditer(text):
        if match.lastgroup == "word":
            tokens.append(match.group())
        else:
            tokens.extend(_bigrams(match.group()))
    return tokens


# Rough characters per word, to count words in scripts written without spaces. Only the
# fusion weight uses the estimate, so a rough figure is enough: Chinese words average about
# 1.5-2 characters; Thai-family words span several code points (vowel and tone marks are
# code points of their own).
_CHARS_PER_WORD = {"han": 1.7, "hangul": 2.5, "sea": 5.0}


def estimate_words(text: str) -> float:
    """Estimate how many words `text` holds, comparably across scripts.

    Space-separated words count one each; runs of no-space scripts count their length divided
    by a typical word length (at least one word per run).
    """
    words = 0.0
    text = normalize(text)
    for match in _pattern(bool(text) and max(text) > "\uffff").finditer(text):
        kind = match.lastgroup or "word"
        per_word = _CHARS_PER_WORD.get(kind)
        words += 1.0 if per_word is None else max(1.0, len(match.group()) / per_word)
    return words
