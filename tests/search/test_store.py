"""Index snapshots on disk: a restarted process finds the same results, or is told to rebuild."""
import json
import shutil

import numpy as np
import pytest

from search_index import (
    Document,
    HashingEncoder,
    IndexMismatch,
    SearchIndex,
    SnapshotError,
    embed,
    read_meta,
)

FIELDS = ("theme", "language")
TEXTS = {
    1: ("Peer mediation", "Pupils mediate conflicts and prevent bullying.", "gced", "en"),
    2: ("Jardin scolaire", "Un potager pour étudier le climat.", "esd", "fr"),
    3: ("校园欺凌", "学生们参加了反欺凌活动。", "gced", "zh-Hans"),
    4: ("مكافحة التنمر", "برنامج مدرسي لمكافحة التنمر.", "gced", "ar"),
}
QUERIES = ["bullying", "climat", "欺凌", "التنمر", ""]


class Halve:
    """A stand-in neutralizer (scales a block of axes down, then renormalises)."""

    def __init__(self, fingerprint="halve-v1"):
        self.fingerprint = fingerprint

    def transform(self, vectors):
        out = np.array(vectors, np.float32)
        out[:, :8] *= 0.5
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def build(encoder=None, neutralizer=None):
    index = SearchIndex(encoder or HashingEncoder(), neutralizer=neutralizer, facet_fields=FIELDS)
    vectors = embed(index.encoder, [(title, body) for title, body, *_ in TEXTS.values()])
    index.upsert(
        Document(doc_id, v, [doc_id * 10 + i for i in range(len(v))], f"{title} {body}",
                 {"theme": [theme], "language": [lang]}, float(doc_id))
        for (doc_id, (title, body, theme, lang)), v in zip(TEXTS.items(), vectors, strict=True)
    )
    return index


def test_a_loaded_snapshot_answers_exactly_like_the_saved_index(tmp_path):
    index = build(neutralizer=Halve())
    index.delete([4])  # deleted documents must stay deleted after a restart
    index.save(tmp_path, seq=17)
    loaded, meta = SearchIndex.load(tmp_path, HashingEncoder(), neutralizer=Halve(),
                                    facet_fields=FIELDS)
    assert meta.seq == 17 and len(loaded) == 3 and loaded.ids() == [1, 2, 3]
    for query in QUERIES:
        for filters in (None, {"language": ["zh"]}):
            assert loaded.search(query, filters=filters) == index.search(query, filters=filters)
    assert loaded.similar(1) == index.similar(1)


def test_meta_records_what_built_the_snapshot(tmp_path):
    build(neutralizer=Halve()).save(tmp_path, seq={"change": 5})
    meta = read_meta(tmp_path)
    assert (meta.model, meta.dim, meta.count, meta.neutralizer) == ("hashing-64", 64, 4, "halve-v1")
    assert meta.chunks == 4 and meta.seq == {"change": 5}
    assert meta.faiss_version and meta.built_at.endswith("+00:00")
    assert json.loads((tmp_path / "meta.json").read_text())["model"] == "hashing-64"


def test_a_loaded_index_keeps_accepting_updates(tmp_path):
    build().save(tmp_path)
    loaded, _ = SearchIndex.load(tmp_path, HashingEncoder(), facet_fields=FIELDS)
    vectors = embed(loaded.encoder, [("Chess club", "Pupils play chess.")])[0]
    loaded.upsert([Document(5, vectors, [50], "Chess club", {"theme": ["gced"]}, 9.0)])
    loaded.delete([1])
    assert [h.id for h in loaded.search("chess").hits][0] == 5
    assert loaded.search("", filters={"theme": ["gced"]}).total == 3
    assert 1 not in loaded


@pytest.mark.parametrize(
    ("encoder", "neutralizer", "named"),
    [(HashingEncoder(dim=32), Halve(), "dim 64"),
     (HashingEncoder(), Halve("halve-v2"), "neutralizer 'halve-v1'"),
     (HashingEncoder(), None, "neutralizer 'halve-v1'")],
)
def test_a_snapshot_of_another_model_or_neutralizer_is_refused(tmp_path, encoder, neutralizer,
                                                                named):
    build(neutralizer=Halve()).save(tmp_path)
    with pytest.raises(IndexMismatch, match="flask search-index rebuild") as error:
        SearchIndex.load(tmp_path, encoder, neutralizer=neutralizer, facet_fields=FIELDS)
    assert named in str(error.value)


def test_a_snapshot_of_another_model_id_is_refused(tmp_path):
    other = HashingEncoder()
    other.model_id = "intfloat/multilingual-e5-small"
    build().save(tmp_path)
    with pytest.raises(IndexMismatch, match="model 'hashing-64'"):
        SearchIndex.load(tmp_path, other, facet_fields=FIELDS)


def test_a_missing_snapshot_asks_for_a_rebuild_from_the_database(tmp_path):
    assert read_meta(tmp_path) is None
    with pytest.raises(SnapshotError, match="no search index snapshot"):
        SearchIndex.load(tmp_path / "absent", HashingEncoder(), facet_fields=FIELDS)


@pytest.mark.parametrize("name", ["index.faiss", "keywords.npz", "facets.json"])
def test_a_damaged_file_is_detected(tmp_path, name):
    build().save(tmp_path)
    path = tmp_path / name
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(SnapshotError) as error:
        SearchIndex.load(tmp_path, HashingEncoder(), facet_fields=FIELDS)
    assert not isinstance(error.value, IndexMismatch)


def test_files_mixed_from_two_saves_are_detected(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    index = build()
    index.save(first)
    index.delete([2])
    index.save(second)
    shutil.copyfile(second / "index.faiss", first / "index.faiss")
    with pytest.raises(SnapshotError):
        SearchIndex.load(first, HashingEncoder(), facet_fields=FIELDS)


def test_changed_facet_fields_need_a_rebuild_from_the_database(tmp_path):
    build().save(tmp_path)
    with pytest.raises(SnapshotError):
        SearchIndex.load(tmp_path, HashingEncoder(), facet_fields=("theme", "country"))


def test_saving_again_replaces_the_snapshot_and_leaves_no_temporary_files(tmp_path):
    index = build()
    index.save(tmp_path, seq=1)
    index.delete([3])
    index.save(tmp_path, seq=2)
    loaded, meta = SearchIndex.load(tmp_path, HashingEncoder(), facet_fields=FIELDS)
    assert meta.seq == 2 and 3 not in loaded
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "balance.npz", "facets.json", "facets.npz", "index.faiss", "keywords.npz", "meta.json",
        "vectors.npz"
    ]
