"""One behaviour suite for every index implementation (txtai's runTests style).

`VectorIndex` runs with random unit vectors, `SearchIndex` with HashingEncoder texts. A
"content key" stands for what a chunk says: the same key gives the same vector or text, so a
query made from a key must find the document holding that chunk.
"""
import zlib

import numpy as np
import pytest

from search_index import Document, HashingEncoder, SearchIndex
from search_index.vectors import VectorIndex

DIM = 64


class VectorBackend:
    """VectorIndex; a key's content is a random unit vector seeded by the key."""

    def __init__(self):
        self.index = VectorIndex(DIM)
        self.groups = {}

    def vector(self, key):
        x = np.random.default_rng(zlib.crc32(key.encode())).standard_normal(DIM)
        return (x / np.linalg.norm(x)).astype(np.float32)

    def add(self, doc_id, keys, group="common"):
        vectors = np.stack([self.vector(k) for k in keys])
        self.index.upsert([(doc_id, [doc_id * 1000 + i for i in range(len(keys))], vectors)])
        self.groups[doc_id] = group

    def delete(self, doc_ids):
        self.index.delete(doc_ids)

    def search(self, key, k, group=None):
        allowed = None
        if group is not None:
            allowed = np.array([d for d, g in self.groups.items() if g == group], np.int64)
        return [doc_id for doc_id, _ in self.index.search(self.vector(key), k, allowed)]

    def __len__(self):
        return len(self.index)


class EngineBackend:
    """SearchIndex with HashingEncoder; a key's content is a sentence of random words."""

    def __init__(self):
        self.encoder = HashingEncoder(dim=DIM)
        self.index = SearchIndex(self.encoder, facet_fields=("theme",))

    def text(self, key):
        rng = np.random.default_rng(zlib.crc32(key.encode()))
        return " ".join(f"word{n}" for n in rng.integers(0, 400, 10))

    def add(self, doc_id, keys, group="common"):
        texts = [self.text(k) for k in keys]
        vectors = self.encoder.encode_passages(texts)
        chunk_ids = [doc_id * 1000 + i for i in range(len(keys))]
        self.index.upsert(
            [Document(doc_id, vectors, chunk_ids, " ".join(texts), {"theme": [group]})]
        )

    def delete(self, doc_ids):
        self.index.delete(doc_ids)

    def search(self, key, k, group=None):
        filters = None if group is None else {"theme": [group]}
        return [hit.id for hit in self.index.search(self.text(key), filters=filters, limit=k).hits]

    def __len__(self):
        return len(self.index)


@pytest.fixture(params=[VectorBackend, EngineBackend], ids=["VectorIndex", "SearchIndex"])
def backend(request):
    return request.param()


def fill(backend, n=40):
    for doc_id in range(1, n + 1):
        backend.add(doc_id, [f"doc{doc_id}"])


def test_an_empty_index_finds_nothing(backend):
    assert backend.search("anything", 5) == []
    assert len(backend) == 0


def test_a_query_with_a_documents_content_finds_that_document_first(backend):
    fill(backend)
    for doc_id in (1, 17, 40):
        assert backend.search(f"doc{doc_id}", 5)[0] == doc_id


def test_asking_for_more_than_exist_returns_each_document_once(backend):
    fill(backend, n=6)
    found = backend.search("doc3", 50)
    assert sorted(found) == [1, 2, 3, 4, 5, 6]


def test_a_document_is_found_by_any_of_its_chunks_and_listed_once(backend):
    fill(backend)
    backend.add(99, ["intro", "middle", "conclusion"])
    for key in ("intro", "middle", "conclusion"):
        found = backend.search(key, 10)
        assert found[0] == 99 and found.count(99) == 1


def test_many_close_chunks_of_one_document_do_not_crowd_out_others(backend):
    fill(backend, n=10)
    backend.add(99, ["topic"] * 40)
    found = backend.search("topic", 5)
    assert found[0] == 99 and len(set(found)) == 5


def test_updating_a_document_replaces_its_content(backend):
    fill(backend)
    backend.add(7, ["rewritten"])
    assert backend.search("rewritten", 3)[0] == 7
    assert backend.search("doc7", 3)[0] != 7
    assert len(backend) == 40


def test_deleted_documents_are_never_returned(backend):
    fill(backend)
    backend.delete([5, 6, 12345])
    assert 5 not in backend.search("doc5", 50)
    assert len(backend) == 38


def test_a_filtered_search_returns_k_matching_documents_when_k_exist(backend):
    fill(backend, n=60)
    for doc_id in range(100, 106):  # far from every query below, three chunks each
        backend.add(doc_id, [f"rare{doc_id}-{i}" for i in range(3)], group="rare")
    found = backend.search("doc1", 5, group="rare")
    assert len(found) == 5 and set(found) <= set(range(100, 106))
    assert sorted(backend.search("doc1", 10, group="rare")) == list(range(100, 106))


def test_a_filter_nothing_passes_finds_nothing(backend):
    fill(backend, n=5)
    assert backend.search("doc1", 5, group="nobody") == []
