"""The language balance at scale: a restart reads the hubness table from the snapshot instead
of computing it, and large collections find neighbours approximately, close to the exact ones."""
from __future__ import annotations

import numpy as np

from search_index import SearchIndex, hubness
from search_index.balance import LanguageBalance
from search_index.hubness import HubnessTable
from tests.search.test_language_balance import (
    DIM,
    brute_force_hubness,
    build,
    corpus,
    dense_ids,
    text_vector,
    unit,
)


def _refuse(*_args, **_kwargs):
    raise AssertionError("the hubness table was computed, not read from the snapshot")


def test_a_restart_reads_the_hubness_table_from_the_snapshot(tmp_path, monkeypatch):
    docs = corpus({"en": 60, "fr": 60, "sw": 2}, extra=[("fr", 0)])
    index, encoder = build(docs)
    index.save(tmp_path)
    monkeypatch.setattr(HubnessTable, "_recompute", _refuse)
    monkeypatch.setattr(HubnessTable, "_offer", _refuse)
    loaded, _ = SearchIndex.load(tmp_path, encoder, facet_fields=("language",))
    for topic in (0, 5):
        encoder.vector = text_vector("en", topic, np.random.default_rng(topic))
        assert dense_ids(loaded) == dense_ids(index)


def test_a_saved_table_that_no_longer_fits_the_documents_is_computed_again(tmp_path):
    docs = corpus({"en": 40, "fr": 40})
    index, _ = build(docs)
    vectors = index._vectors
    state = index._balance.state()
    relabelled = {d.id: ["sw"] if d.id % 5 == 0 else d.facets["language"] for d in docs}
    balance = LanguageBalance(DIM)
    balance.load(vectors, relabelled, state)  # other languages than those saved
    fresh = LanguageBalance(DIM)
    fresh.load(vectors, relabelled)
    ids = np.array(sorted(relabelled))
    np.testing.assert_allclose(balance._hubness.values(ids), fresh._hubness.values(ids))


def test_above_the_exact_limit_neighbours_are_found_approximately(monkeypatch):
    """Clustered vectors in 3 groups: the approximate table is used and stays close to the
    exact one (most neighbours the same, r within a few hundredths)."""
    gen = np.random.default_rng(5)
    n, topics = 3000, unit(gen.standard_normal((60, DIM)))
    groups = gen.integers(0, 3, n)
    vectors = unit(topics[gen.integers(0, 60, n)] + 0.5 * gen.standard_normal((n, DIM)) / 4)
    calls = []
    original = hubness.other_group_neighbours
    monkeypatch.setattr(hubness, "other_group_neighbours",
                        lambda *a, **kw: calls.append(1) or original(*a, **kw))
    monkeypatch.setattr(hubness, "EXACT_LIMIT", 1000)
    table = HubnessTable(DIM, k=10)
    table.upsert(np.arange(n), groups, vectors)
    assert calls, "the approximate search was not used"
    found, exact = table.values(np.arange(n)), brute_force_hubness(vectors, groups, 10)
    assert np.abs(found - exact).mean() < 0.01
    assert np.corrcoef(found, exact)[0, 1] > 0.95
    assert (found <= exact + 1e-5).all()  # approximate neighbours are never better than exact


def test_additions_and_removals_above_the_limit_keep_every_list_full(monkeypatch):
    monkeypatch.setattr(hubness, "EXACT_LIMIT", 1000)
    gen = np.random.default_rng(8)
    table = HubnessTable(DIM, k=10)
    table.upsert(np.arange(2000), gen.integers(0, 4, 2000), unit(gen.standard_normal((2000, DIM))))
    table.upsert(np.arange(2000, 2100), gen.integers(0, 4, 100),
                 unit(gen.standard_normal((100, DIM))))
    table.delete(np.arange(0, 2100, 3).tolist())
    live = np.array([i for i in range(2100) if i % 3])
    state = table.state()
    assert sorted(state["ids"].tolist()) == live.tolist()
    assert (state["nn_ids"] >= 0).all() and np.isin(state["nn_ids"], live).all()
