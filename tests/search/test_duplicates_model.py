"""The near-copy rule of the real model keeps its measured precision and recall on pairs that
did not choose its threshold (benchmarks/duplicate_pairs.py, held-out part): a small part of
them, so the test stays under a minute (about 170 short texts encoded) once the session's
language neutralizer is fitted (tests/conftest.py, shared with the other real-model tests).
The whole table is benchmarks/eval_duplicates.py's (README, Search quality).
"""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks import duplicate_pairs as dp
from search_index import embed
from search_index.duplicates import copy_score, rule_for
from search_index.neutral import LanguageNeutralizer

pytestmark = pytest.mark.model

XLING_GROUPS = 8  # held-out xling practices (x 7 languages)
DEVSET_PRACTICES = 40  # the shortest held-out development-set practices, and their copies
PRECISION, RECALL = 0.95, 0.90  # the targets


def small_held_out_part() -> list[dp.Pair]:
    held = [p for p in dp.pairs() if p.held_out]
    groups = sorted({p.a.group for p in held if p.kind == "translation"
                     and p.a.key.startswith("xling-")})[:XLING_GROUPS]
    originals = {p.b.key: p.b for p in held if p.kind == "near copy"}
    short = sorted(originals, key=lambda k: len(originals[k].body))[:DEVSET_PRACTICES]
    kept = set(groups) | set(short)
    return [p for p in held if p.a.group in kept and p.b.group in kept]


@pytest.fixture(scope="module")
def scored(real_encoder, request):
    pairs = small_held_out_part()
    items = dp.items_of(pairs)
    keys = sorted(items)
    vectors = dict(zip(keys, embed(real_encoder, [(items[k].title, items[k].body)
                                                  for k in keys]), strict=True))
    rule = rule_for(real_encoder.model_id, True)
    if rule.neutralized:  # fitted once per test run (conftest), shared with other tests
        cache = request.getfixturevalue("real_neutralizer_cache")
        neutralizer = LanguageNeutralizer.load(next(p for p in cache.iterdir() if p.is_dir()))
        vectors = {k: np.asarray(neutralizer.transform(v), np.float32)
                   for k, v in vectors.items()}
    flagged = [copy_score(vectors[p.a.key], vectors[p.b.key], rule.method) >= rule.threshold
               for p in pairs]
    return pairs, flagged


def test_the_held_out_pairs_hold_every_kind(scored):
    pairs, _ = scored
    kinds = {kind: sum(p.kind == kind for p in pairs) for kind in dp.KINDS}
    assert kinds["translation"] >= 100 and kinds["near copy"] >= 50
    assert kinds["same topic"] >= 10 and kinds["xling other"] >= 10


def test_translations_and_near_copies_are_flagged_at_the_target_precision_and_recall(scored):
    pairs, flagged = scored
    true_pos = sum(f and p.copy for p, f in zip(pairs, flagged, strict=True))
    false_pos = [(p.a.key, p.b.key) for p, f in zip(pairs, flagged, strict=True)
                 if f and not p.copy]
    missed = [(p.a.key, p.b.key) for p, f in zip(pairs, flagged, strict=True)
              if p.copy and not f]

    assert true_pos / (true_pos + len(false_pos)) >= PRECISION, false_pos
    assert true_pos / (true_pos + len(missed)) >= RECALL, missed
