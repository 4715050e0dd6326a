"""SearchIndex end to end with the offline encoder: what the search page would show."""
import threading

import numpy as np
import pytest

from search_index import Document, HashingEncoder, SearchIndex, UnknownDocument, chunk, embed
from tests.search.encoders import FixedEncoder

FIELDS = ("theme", "language")


class CountingEncoder(HashingEncoder):
    """HashingEncoder that records every call the index makes to the model."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.passage_calls, self.query_calls = [], []

    def encode_passages(self, texts, *, batch_size=32, progress=False):
        self.passage_calls.append(list(texts))
        return super().encode_passages(texts)

    def encode_queries(self, texts):
        self.query_calls.append(list(texts))
        return super().encode_queries(texts)



class DropFirstAxis:
    """A neutralizer removing axis 0 (standing in for a language direction)."""

    fingerprint = "drop-axis-0"

    def transform(self, vectors):
        out = np.array(vectors, np.float32)
        out[:, 0] = 0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class Reverse:
    """A neutralizer that is an orthogonal map: any consistent use keeps cosines."""

    fingerprint = "reverse"

    def transform(self, vectors):
        return np.ascontiguousarray(vectors[:, ::-1])


PRACTICES = [  # id, title, body, theme, language, published
    (1, "Anti-bullying club", "Pupils run a peer mediation club against bullying.", "gced",
     "en", 5),
    (2, "Roof garden", "A school garden on the roof teaches climate action.", "esd", "en", 9),
    (3, "Jardin scolaire", "Un jardin pour étudier le climat et la biodiversité.", "esd", "fr", 7),
    (4, "校园欺凌", "我们的学校开展了反欺凌活动，学生们积极参与。", "gced", "zh-Hans", 3),
    (5, "Water week", "Pupils measure rain and learn about water saving.", "esd", "en", 8),
    (6, "مكافحة التنمر", "برنامج مدرسي لمكافحة التنمر بمشاركة التلاميذ.", "gced", "ar", 6),
    (7, "Festival of cultures", "Families share songs and food from many cultures.",
     "intercultural", "en", 1),
]


def make_index(encoder=None, **kwargs):
    encoder = encoder or HashingEncoder()
    index = SearchIndex(encoder, facet_fields=FIELDS, **kwargs)
    vectors = embed(encoder, [(title, body) for _, title, body, *_ in PRACTICES])
    index.upsert(
        Document(doc_id, v, [doc_id * 10 + i for i in range(len(v))], f"{title}\n{body}",
                 {"theme": [theme], "language": [lang]}, float(published))
        for (doc_id, title, body, theme, lang, published), v in zip(PRACTICES, vectors, strict=True)
    )
    return index


def hit_ids(result):
    return [hit.id for hit in result.hits]


def test_embed_encodes_every_chunk_of_every_item_in_one_model_call():
    encoder = CountingEncoder(max_tokens=16)
    long_body = " ".join(f"word{i}" for i in range(40))
    vectors = embed(encoder, [("Short", "one line"), ("Long", long_body), ("Empty", "")])
    assert len(encoder.passage_calls) == 1
    assert [len(v) for v in vectors] == [1, len(vectors[1]), 1] and len(vectors[1]) >= 3
    assert all(v.shape[1] == encoder.dim for v in vectors)
    assert embed(encoder, []) == []


def test_embed_returns_the_encoders_raw_passage_vectors():
    encoder = HashingEncoder()
    vectors = embed(encoder, [("Title", "Some body text")])[0]
    raw = encoder.encode_passages(chunk(encoder, "Title", "Some body text"))
    np.testing.assert_array_equal(vectors, np.asarray(raw, np.float32))


def test_empty_query_lists_matching_practices_newest_first():
    index = make_index()
    everything = index.search("")
    assert hit_ids(everything) == [2, 5, 3, 6, 1, 4, 7]
    assert everything.total == 7
    assert everything.facets["theme"] == {"esd": 3, "gced": 3, "intercultural": 1}
    english_esd = index.search("  ", filters={"theme": ["esd"], "language": ["en"]})
    assert hit_ids(english_esd) == [2, 5] and english_esd.total == 2


def test_pages_of_a_listing_follow_on_without_overlap():
    index = make_index()
    pages = [index.search("", limit=3, offset=offset) for offset in (0, 3, 6, 9)]
    assert [hit_ids(p) for p in pages] == [[2, 5, 3], [6, 1, 4], [7], []]
    assert {p.total for p in pages} == {7}


def test_a_query_finds_the_practice_that_uses_its_words():
    index = make_index()
    assert hit_ids(index.search("peer mediation bullying"))[0] == 1
    assert hit_ids(index.search("欺凌"))[0] == 4
    assert hit_ids(index.search("التنمر"))[0] == 6


def test_total_and_facets_describe_the_whole_result_set_not_the_page():
    index = make_index()
    result = index.search("school climate garden", limit=2)
    assert len(result.hits) == 2 and result.total >= 2
    assert sum(result.facets["language"].values()) == result.total


def test_filters_apply_before_ranking_so_a_page_is_full_of_matching_practices():
    index = make_index()
    result = index.search("bullying", filters={"theme": ["esd"]}, limit=3)
    assert len(result.hits) == 3
    assert set(hit_ids(result)) <= {2, 3, 5}
    assert result.facets["theme"] == {"esd": result.total}


def test_language_filter_includes_regional_variants_and_excludes_work():
    index = make_index()
    assert hit_ids(index.search("欺凌", filters={"language": ["zh"]})) == [4]
    result = index.search("bullying club", excludes={"language": ["en"]})
    assert not {1, 2, 5, 7} & set(hit_ids(result))


def test_a_filter_with_an_unknown_field_is_refused():
    with pytest.raises(ValueError, match="unknown facet field"):
        make_index().search("garden", filters={"colour": ["green"]})


def test_a_short_query_surfaces_an_exact_keyword_match_the_dense_ranking_misses():
    axes = np.eye(8, dtype=np.float32)
    index = SearchIndex(FixedEncoder(axes[0]), facet_fields=FIELDS)
    # Documents 1..7 lie ever further from the query; document 20 is orthogonal to it.
    docs = [Document(i, [np.cos(i / 5) * axes[0] + np.sin(i / 5) * axes[i]], [i],
                     f"text number {i}") for i in range(1, 8)]
    docs.append(Document(20, axes[[1]], [20], "harcèlement"))
    index.upsert(docs)
    assert hit_ids(index.search("unrelated", limit=3)) == [1, 2, 3]
    assert 20 in hit_ids(index.search("harcelement", limit=2))
    long_query = "harcelement " + " ".join(f"extra{i}" for i in range(10))
    assert 20 not in hit_ids(index.search(long_query, limit=2))


def test_neutralizer_removes_the_language_direction_from_queries_and_documents():
    query = [1.0, 0.5, 0.0, 0.0]  # language axis 0 plus topic axis 1
    docs = [Document(1, np.array([[1.0, 0.0, 0.5, 0.0]]), [1], "same language, other topic"),
            Document(2, np.array([[0.0, 1.0, 0.0, 0.0]]), [2], "other language, same topic")]
    long_query = "a long descriptive query sharing no words with any document"
    raw = SearchIndex(FixedEncoder(query), facet_fields=FIELDS)
    neutral = SearchIndex(FixedEncoder(query), neutralizer=DropFirstAxis(), facet_fields=FIELDS)
    for index in (raw, neutral):
        index.upsert(d for d in docs)
    assert hit_ids(raw.search(long_query))[0] == 1
    assert hit_ids(neutral.search(long_query))[0] == 2


def test_neutralizer_is_applied_consistently_to_stored_and_query_vectors():
    index = make_index(neutralizer=Reverse())
    for doc_id, title, body, *_ in PRACTICES[:3]:
        assert hit_ids(index.search(f"{title} {body}"))[0] == doc_id


def test_similar_practices_exclude_the_practice_itself_and_respect_filters():
    index = make_index()
    similar = index.similar(2, limit=3)
    assert 2 not in [h.id for h in similar] and len(similar) == 3
    assert [h.score for h in similar] == sorted((h.score for h in similar), reverse=True)
    french = index.similar(2, filters={"language": ["fr"]})
    assert [h.id for h in french] == [3]


def test_similar_uses_the_neutralised_vectors():
    docs = [Document(1, np.array([[1.0, 0.0, 0.5, 0.0]]), [1], "a"),
            Document(3, np.array([[1.0, 0.0, 0.0, 0.2]]), [3], "b"),
            Document(4, np.array([[0.0, 0.0, 0.0, 1.0]]), [4], "c")]
    raw = SearchIndex(FixedEncoder([1, 0, 0, 0]), facet_fields=FIELDS)
    neutral = SearchIndex(FixedEncoder([1, 0, 0, 0]), neutralizer=DropFirstAxis(),
                          facet_fields=FIELDS)
    for index in (raw, neutral):
        index.upsert(docs)
    assert raw.similar(3)[0].id == 1
    assert neutral.similar(3)[0].id == 4


def test_similar_to_an_unknown_practice_raises():
    with pytest.raises(UnknownDocument, match="42"):
        make_index().similar(42)


def test_paging_through_results_encodes_the_query_once():
    encoder = CountingEncoder()
    index = make_index(encoder)
    for offset in (0, 2, 4):
        index.search("climate garden", limit=2, offset=offset)
    index.search("  climate   garden ")
    assert encoder.query_calls == [["climate garden"]]


def test_deleted_practices_disappear_from_search_listing_and_counts():
    index = make_index()
    index.delete([2, 99])
    assert 2 not in hit_ids(index.search("roof garden climate"))
    assert 2 not in hit_ids(index.search(""))
    assert index.search("").facets["theme"]["esd"] == 2
    assert 2 not in index and len(index) == 6 and index.ids() == [1, 3, 4, 5, 6, 7]


def test_updating_a_practice_replaces_its_text_vectors_and_facets():
    index = make_index()
    vectors = embed(index.encoder, [("Chess club", "Pupils play chess at lunch.")])[0]
    index.upsert([Document(2, vectors, [900], "Chess club", {"theme": ["gced"]}, 0.0)])
    assert hit_ids(index.search("chess"))[0] == 2
    assert 2 not in hit_ids(index.search("", filters={"theme": ["esd"]}))
    assert len(index) == 7


def test_a_malformed_document_rejects_the_whole_batch():
    index = make_index()
    good = Document(50, np.ones((1, 64), np.float32) / 8, [500], "good")
    wrong_shape = Document(51, np.ones((2, 64), np.float32), [510], "bad")
    taken_chunk = Document(52, np.ones((1, 64), np.float32) / 8, [10], "steals chunk 10")
    for bad in (wrong_shape, taken_chunk):
        with pytest.raises(ValueError):
            index.upsert([good, bad])
    assert 50 not in index and len(index) == 7
    with pytest.raises(ValueError, match="unknown facet fields"):
        index.upsert([Document(53, good.vectors, [530], "x", {"colour": ["red"]})])


def test_negative_limit_or_offset_is_refused():
    with pytest.raises(ValueError):
        make_index().search("x", offset=-1)


def test_concurrent_searches_and_updates_leave_a_consistent_index():
    index = make_index()
    vectors = embed(index.encoder, [(f"Extra {i}", f"body {i}") for i in range(40)])
    errors = []

    def writer(start):
        try:
            for i in range(start, 40, 2):
                index.upsert([Document(100 + i, vectors[i], [1000 + i], f"extra {i}")])
                if i % 4 == start:
                    index.delete([100 + i])
        except Exception as exc:  # reported below, failing the test
            errors.append(exc)

    def reader():
        try:
            for _ in range(50):
                index.search("extra body", limit=5)
                index.search("", filters={"theme": ["esd"]})
        except Exception as exc:  # reported below, failing the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s,)) for s in (0, 1)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = {100 + i for i in range(40) if i % 4 not in (0, 1)}
    assert set(index.ids()) == {d for d, *_ in PRACTICES} | expected
    assert index.search("").total == len(index)
