"""Labelled pairs of practices for choosing and checking the near-duplicate threshold.

One source for benchmarks/eval_duplicates.py (the whole table) and
tests/search/test_duplicates_model.py (the floors on a small held-out part).

Pairs (a submission, a practice already in the collection), each labelled copy or not:
  translation  positive: two language versions of one xling_dev practice (shared set,
               30 practices x 7 languages: 630 pairs), and the development set's 2 translated
               practices (benchmarks/devset, labels.toml [translations]).
  near copy    positive: a development-set practice against itself lightly edited in its own
               language (made here, deterministically): its sentences reordered, a paragraph
               (or a fifth of its sentences) dropped, both.
  same topic   negative (hard): two different development-set practices that share a hand-
               labelled topic, in any languages (the translation pairs excepted).
  xling other  negative: two different xling_dev practices, in two different languages.

Split: every pair belongs to "choose" or "held out" by the xling practice or development-set
practice it is made of (a hash of its id), so no practice's pairs are on both sides; a
negative pair of two practices on different sides is left out. The choosing part is split in
two halves the same way (`inner`), to choose how cautious the threshold is.
"""
from __future__ import annotations

import hashlib
import itertools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from benchmarks import crosslingual as xl
from benchmarks import devset_data as dev
from practices.rendering import plain_text

KINDS = ("translation", "near copy", "same topic", "xling other")
POSITIVE = frozenset({"translation", "near copy"})
HELD_OUT_SHARE = 0.5  # of the practices (xling groups, development-set practices)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟।])\s+|(?<=[。！？])")


@dataclass(frozen=True)
class Item:
    """One text of a pair: `key` names it (unique), `group` the practice it is a version of."""

    key: str
    group: str
    language: str
    title: str
    body: str  # plain text: summary and body as the search index reads them


@dataclass(frozen=True)
class Pair:
    """A labelled pair: `a` is the new submission, `b` the practice already collected."""

    a: Item
    b: Item
    kind: str
    held_out: bool
    inner: bool = False  # which half of the choosing part (eval_duplicates.choose_target)

    @property
    def copy(self) -> bool:
        """True when the pair is a translation or a near copy (should be flagged)."""
        return self.kind in POSITIVE


def held_out(name: str) -> bool:
    """True for the practices whose pairs are kept out of the threshold's choice."""
    digest = hashlib.sha256(name.encode()).digest()
    return digest[0] / 256 < HELD_OUT_SHARE


def inner_half(name: str) -> bool:
    """Splits the choosing part's practices in two halves (another byte of the same hash)."""
    return hashlib.sha256(name.encode()).digest()[1] < 128


def xling_items() -> list[Item]:
    """The 210 xling_dev texts (title: their first words, as eval_crosslingual imports them)."""
    return [Item(t.external_id, t.group, t.language, xl.title_of(t.body), t.body)
            for t in xl.xling_texts()]


def devset_items() -> list[Item]:
    """The development set's 151 practices, as their searchable text."""
    return [Item(p.id, p.id, p.language, p.title, plain_text(p.body))
            for p in dev.read_practices()]


def edited(item: Item, how: str, seed: int = 0) -> Item:
    """A light edit of `item` in its own language.

    how: "reordered" (sentences of each paragraph shuffled, paragraphs too), "dropped" (its
    longest-but-one paragraph removed, or a fifth of its sentences when it has fewer than 3
    paragraphs and at least 5 sentences; else nothing), "both" (dropped, then reordered).
    """
    rng = random.Random(f"{item.key}/{how}/{seed}")
    paragraphs = [p for p in item.body.split("\n") if p.strip()]
    if how in ("dropped", "both"):
        if len(paragraphs) >= 3:
            ranked = sorted(range(len(paragraphs)), key=lambda i: -len(paragraphs[i]))
            paragraphs.pop(ranked[1])
        else:
            sentences = [s for p in paragraphs for s in _sentences(p)]
            # A fifth of a text of 5 sentences or more; fewer: not a light edit, none.
            drop = set(rng.sample(range(len(sentences)), len(sentences) // 5)) \
                if len(sentences) >= 5 else set()
            paragraphs = [" ".join(s for i, s in enumerate(sentences) if i not in drop)]
    if how in ("reordered", "both"):
        shuffled = []
        for paragraph in paragraphs:
            sentences = _sentences(paragraph)
            rng.shuffle(sentences)
            shuffled.append(" ".join(sentences))
        rng.shuffle(shuffled)
        paragraphs = shuffled
    return Item(f"{item.key}~{how}", item.group, item.language, item.title,
                "\n".join(paragraphs))


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph.strip()) if s.strip()]


def pairs() -> list[Pair]:
    """Every labelled pair (kinds: KINDS), each marked held out or not."""
    labels = dev.read_labels()
    xling, devset = xling_items(), devset_items()
    found: list[Pair] = []
    by_group: dict[str, list[Item]] = {}
    for item in xling:
        by_group.setdefault(item.group, []).append(item)
    for group, items in by_group.items():
        found += [Pair(a, b, "translation", held_out(group), inner_half(group))
                  for a, b in itertools.combinations(items, 2)]
    found += _xling_negatives(by_group)
    known = {p.key: p for p in devset}
    for a, b in labels.translations.items():
        found.append(Pair(known[a], known[b], "translation", held_out(b), inner_half(b)))
    for item in devset:
        for how in ("reordered", "dropped", "both"):
            copy = edited(item, how)
            if copy.body != item.body:
                found.append(Pair(copy, item, "near copy", held_out(item.key),
                                  inner_half(item.key)))
    found += _same_topic(devset, labels)
    return found


def _xling_negatives(by_group: dict[str, list[Item]]) -> list[Pair]:
    """One pair per (practice, other practice) in two different languages, chosen by hash."""
    found = []
    for g1, g2 in itertools.combinations(sorted(by_group), 2):
        rng = random.Random(f"{g1}/{g2}")
        a = rng.choice(by_group[g1])
        b = rng.choice([i for i in by_group[g2] if i.language != a.language])
        if held_out(g1) == held_out(g2) and inner_half(g1) == inner_half(g2):
            found.append(Pair(a, b, "xling other", held_out(g1), inner_half(g1)))
    return found


def _same_topic(devset: Sequence[Item], labels: dev.Labels) -> list[Pair]:
    translated = {frozenset(p) for p in labels.translations.items()}
    found = []
    for a, b in itertools.combinations(devset, 2):
        if frozenset((a.key, b.key)) in translated:
            continue
        shared = labels.practices.get(a.key, frozenset()) & labels.practices.get(b.key,
                                                                                  frozenset())
        if shared and held_out(a.key) == held_out(b.key) and \
                inner_half(a.key) == inner_half(b.key):
            found.append(Pair(a, b, "same topic", held_out(a.key), inner_half(a.key)))
    return found


def items_of(found: Iterable[Pair]) -> dict[str, Item]:
    """Every distinct text of the pairs, by key (what has to be encoded)."""
    return {item.key: item for pair in found for item in (pair.a, pair.b)}
