"""Above the exact limit the balanced ranking is approximate: it keeps almost all of the exact
top 10, filters stay exact (k results whenever k pass), and changes are seen at once."""
from __future__ import annotations

import numpy as np
import pytest

from search_index import Document, SearchIndex, balance_large
from tests.search.test_language_balance import QueryEncoder, unit

DIM = 32
LANGUAGES = ("en", "fr", "ar", "zh-Hans", "sw")


def _corpus(n: int, seed: int = 1) -> list[Document]:
    gen = np.random.default_rng(seed)
    topics = unit(gen.standard_normal((50, DIM)))
    offsets = unit(gen.standard_normal((len(LANGUAGES), DIM)))
    docs, chunk = [], 0
    for doc_id in range(1, n + 1):
        lang = int(gen.integers(0, len(LANGUAGES)))
        parts = int(gen.integers(1, 4))
        vectors = unit(topics[gen.integers(0, 50)] + 0.6 * offsets[lang]
                       + 0.4 * gen.standard_normal((parts, DIM)))
        docs.append(Document(doc_id, vectors, list(range(chunk, chunk + parts)),
                             f"text {doc_id}", {"language": [LANGUAGES[lang]],
                                                "theme": ["esd" if doc_id % 3 else "gced"]}))
        chunk += parts
    return docs


@pytest.fixture(scope="module")
def pair():
    """The same 4,000 documents ranked exactly and approximately."""
    docs = _corpus(4000)
    indexes = {}
    for name, above in (("exact", None), ("approximate", 0)):
        index = SearchIndex(QueryEncoder(), facet_fields=("language", "theme"))
        index._balance.approximate_above = above
        index.upsert(docs)
        indexes[name] = index
    return indexes


def _dense(index: SearchIndex, vector: np.ndarray, filters=None) -> list[int]:
    index.encoder.vector = vector
    index._query_cache.clear()
    # Long queries give the keyword channel almost no weight (fusion.py).
    return [h.id for h in index.search("a long descriptive query nobody wrote a word of here",
                                       filters=filters, limit=10).hits]


@pytest.mark.parametrize("exact_docs", [balance_large.EXACT_DOCS, 10])
def test_the_approximate_ranking_keeps_almost_all_of_the_exact_top_ten(pair, monkeypatch,
                                                                        exact_docs):
    """Languages are small enough to score whole, or (10) searched in the IVF index."""
    monkeypatch.setattr(balance_large, "EXACT_DOCS", exact_docs)
    gen = np.random.default_rng(4)
    overlap = []
    for _ in range(100):  # over 30 random queries the mean moves by +-0.03 with the seed
        query = unit(gen.standard_normal(DIM))
        exact, approximate = _dense(pair["exact"], query), _dense(pair["approximate"], query)
        overlap.append(len(set(exact) & set(approximate)) / 10)
    assert pair["approximate"]._balance._candidates is not None  # it did rank approximately
    assert np.mean(overlap) >= 0.9  # 32 dimensions; at 384, 1M documents: bench_scale.py


@pytest.mark.parametrize("exact_docs", [balance_large.EXACT_DOCS, 10])
def test_filters_stay_exact_and_fill_the_page(pair, monkeypatch, exact_docs):
    monkeypatch.setattr(balance_large, "EXACT_DOCS", exact_docs)  # 10: through the IVF index
    index = pair["approximate"]
    query = unit(np.random.default_rng(5).standard_normal(DIM))
    for filters in ({"language": ["sw"]}, {"theme": ["gced"]},
                    {"language": ["sw"], "theme": ["gced"]}):
        found = _dense(index, query, filters)
        allowed = set(index._facets.match(filters, None).tolist())
        assert len(found) == 10 and set(found) <= allowed, filters


def test_added_and_deleted_documents_are_seen_by_the_next_search():
    docs = _corpus(1500, seed=2)
    index = SearchIndex(QueryEncoder(), facet_fields=("language", "theme"))
    index._balance.approximate_above = 0
    index.upsert(docs)
    target = unit(np.random.default_rng(6).standard_normal(DIM))
    newcomer = Document(99_999, target[None, :], [10**6], "new", {"language": ["fr"]})
    index.upsert([newcomer])
    assert _dense(index, target)[0] == 99_999
    index.delete([99_999])
    assert 99_999 not in _dense(index, target)


def test_a_restart_reads_the_candidate_index_from_the_snapshot(tmp_path, monkeypatch):
    docs = _corpus(1200, seed=3)
    index = SearchIndex(QueryEncoder(), facet_fields=("language", "theme"))
    index._balance.approximate_above = 0
    index.upsert(docs)
    query = unit(np.random.default_rng(7).standard_normal(DIM))
    before = _dense(index, query)
    index.save(tmp_path)
    from search_index import balance

    def refuse(*_args, **_kwargs):
        raise AssertionError("the candidate index was built again")

    monkeypatch.setattr(balance.CandidateIndex, "__init__", refuse)
    loaded, _ = SearchIndex.load(tmp_path, index.encoder, facet_fields=("language", "theme"))
    loaded._balance.approximate_above = 0
    assert _dense(loaded, query) == before
