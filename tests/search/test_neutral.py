"""The language neutralizer: a query finds the same topic in another language rather than another
topic in its own language; fits persist exactly; the fingerprint tells fits apart."""
from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest

from search_index.neutral import (
    METHODS,
    LanguageNeutralizer,
    NeutralizerError,
    Reference,
    load_reference,
)
from tests.shared_data import shared_file

DIM = 48
LANGUAGES = ("en", "fr", "sw", "zh-Hans", "ar")


def _gaussian(key: str, scale: float) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
    return np.random.default_rng(seed).normal(0.0, scale / np.sqrt(DIM), DIM)


class TopicLanguageEncoder:
    """Synthetic encoder: a text "lang|topic|n" maps to topic + language offset + noise.

    The language offsets are larger than the distance between topics, the way a multilingual
    model's language identity outweighs meaning; queries also get a shared prompt offset, like
    e5's "query: " prefix.
    """

    model_id = "synthetic-topic-language"

    def encode_passages(self, texts):
        return self._encode(texts, prompt=0.0)

    def encode_queries(self, texts):
        return self._encode(texts, prompt=1.0)

    def _encode(self, texts, prompt: float) -> np.ndarray:
        rows = []
        for text in texts:
            lang, topic, _ = text.split("|")
            rows.append(_gaussian(f"topic {topic}", 1.0) + _gaussian(f"lang {lang}", 1.5)
                        + prompt * _gaussian("query prompt", 0.5) + _gaussian(text, 0.1))
        out = np.array(rows, np.float32).reshape(-1, DIM)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def synthetic_reference(sha: str = "synthetic") -> Reference:
    # Reference topics are distinct from the ones searched below: the fit sees no test topic.
    return Reference({lang: tuple(f"{lang}|ref{k}|0" for k in range(24)) for lang in LANGUAGES},
                     sha256=sha)


@pytest.fixture(scope="module")
def encoder():
    return TopicLanguageEncoder()


def best_document(query_vec: np.ndarray, doc_vecs: np.ndarray, names: list[str]) -> str:
    return names[int(np.argmax(doc_vecs @ query_vec))]


@pytest.mark.parametrize("method", METHODS)
def test_a_query_finds_its_topic_in_another_language_not_another_topic_in_its_own(
    encoder, method
):
    names = ["fr|garden|1", "sw|bullying|1", "zh-Hans|bullying|1", "ar|bullying|1"]
    docs = encoder.encode_passages(names)
    query = encoder.encode_queries(["fr|bullying|2"])
    # The problem is real in the synthetic space: the French document on another topic wins.
    assert best_document(query[0], docs, names) == "fr|garden|1"

    neutral = LanguageNeutralizer.fit(encoder, synthetic_reference(), method=method, rank=4)
    found = best_document(neutral.transform(query)[0], neutral.transform(docs), names)
    assert found.split("|")[1] == "bullying"


def test_transformed_vectors_are_unit_float32_rows_of_the_same_shape(encoder):
    neutral = LanguageNeutralizer.fit(encoder, synthetic_reference(), rank=4)
    vectors = encoder.encode_passages([f"{lang}|t{k}|0" for lang in LANGUAGES for k in range(3)])
    out = neutral.transform(vectors.astype(np.float64))
    assert out.shape == vectors.shape and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)
    assert neutral.transform(np.zeros((0, DIM), np.float32)).shape == (0, DIM)
    with pytest.raises(NeutralizerError, match=f"\\(n, {DIM}\\)"):
        neutral.transform(np.ones((2, DIM + 1), np.float32))


@pytest.mark.parametrize("method", METHODS)
def test_a_saved_neutralizer_loads_back_with_the_same_transform(encoder, tmp_path, method):
    neutral = LanguageNeutralizer.fit(encoder, synthetic_reference(), method=method, rank=3)
    neutral.save(tmp_path / "neutral")
    loaded = LanguageNeutralizer.load(tmp_path / "neutral")
    vectors = encoder.encode_queries([f"{lang}|t|0" for lang in LANGUAGES])
    assert loaded.fingerprint == neutral.fingerprint
    np.testing.assert_array_equal(loaded.transform(vectors), neutral.transform(vectors))
    assert sorted(p.name for p in (tmp_path / "neutral").iterdir()) == [
        "neutralizer.json", "neutralizer.npz"]


def test_a_tampered_saved_neutralizer_is_refused(encoder, tmp_path):
    LanguageNeutralizer.fit(encoder, synthetic_reference(), rank=4).save(tmp_path)
    meta = json.loads((tmp_path / "neutralizer.json").read_text())
    (tmp_path / "neutralizer.json").write_text(json.dumps({**meta, "rank": meta["rank"] + 1}))
    with pytest.raises(NeutralizerError, match="fingerprint"):
        LanguageNeutralizer.load(tmp_path)
    with pytest.raises(NeutralizerError, match="cannot read"):
        LanguageNeutralizer.load(tmp_path / "missing")


def test_the_fingerprint_changes_with_method_rank_model_and_reference(encoder):
    base = LanguageNeutralizer.fit(encoder, synthetic_reference(), method="project", rank=4)
    same = LanguageNeutralizer.fit(encoder, synthetic_reference(), method="project", rank=4)
    fields = dict(languages=base.languages, prompts=base.prompts, means=base.means)
    variants = [
        LanguageNeutralizer.fit(encoder, synthetic_reference(), method="project", rank=5),
        LanguageNeutralizer.fit(encoder, synthetic_reference(), method="project+center", rank=4),
        LanguageNeutralizer.fit(encoder, synthetic_reference("other file"), rank=4),
        LanguageNeutralizer(method="project", rank=4, model_id="another/model",
                            reference_sha256="synthetic", **fields),
    ]
    assert same.fingerprint == base.fingerprint
    assert len({base.fingerprint, *(v.fingerprint for v in variants)}) == 1 + len(variants)


def test_fitting_rejects_an_unknown_method_or_a_language_missing_from_the_reference(encoder):
    with pytest.raises(NeutralizerError, match="unknown method"):
        LanguageNeutralizer.fit(encoder, synthetic_reference(), method="whiten")
    with pytest.raises(NeutralizerError, match="xx"):
        LanguageNeutralizer.fit(encoder, synthetic_reference(), languages=["en", "xx"])
    with pytest.raises(NeutralizerError, match="rank"):
        LanguageNeutralizer.fit(encoder, synthetic_reference(), rank=500)


def test_the_bundled_reference_is_balanced_and_covers_the_un_and_aspnet_languages():
    reference = load_reference()
    sizes = {len(texts) for texts in reference.texts.values()}
    assert len(sizes) == 1 and sizes.pop() >= 60
    required = {"en", "fr", "es", "ar", "zh-Hans", "ru", "pt", "sw", "de", "it", "ja", "ko", "hi",
                "bn", "ur", "fa", "tr", "id", "vi", "th", "pl", "uk", "nl", "el", "he", "am",
                "ha", "yo"}
    assert required <= set(reference.texts)
    for texts in reference.texts.values():
        assert len(set(texts)) == len(texts) and all(t.strip() for t in texts)


def test_an_unbalanced_reference_file_is_refused(tmp_path):
    path = tmp_path / "reference.jsonl"
    path.write_text(json.dumps({"id": "a", "texts": {"en": "One.", "fr": "Un."}}) + "\n"
                    + json.dumps({"id": "b", "texts": {"en": "Two."}}) + "\n", encoding="utf-8")
    with pytest.raises(NeutralizerError, match="b lacks \\['fr'\\]"):
        load_reference(path)


def _sentences(text: str) -> set[str]:
    parts = re.split(r"(?<=[.!?。！？؟।])\s*", text.casefold())
    return {" ".join(p.split()) for p in parts if len(p.strip()) > 12}


def test_the_bundled_reference_shares_no_sentence_with_the_evaluation_data():
    reference = {s for texts in load_reference().texts.values() for t in texts
                 for s in _sentences(t)}
    evaluation: set[str] = set()
    sources = [("sdg", "sdg_texts_multilingual.jsonl"), ("xling_dev", "practices_7lang.jsonl"),
               *(("courier", f"courier_passages_part{n}.jsonl") for n in (1, 2, 3))]
    for parts in sources:
        for line in shared_file(*parts).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for text in record.get("texts", {}).values() or [record.get("body", "")]:
                evaluation |= _sentences(text)
    assert reference & evaluation == set()


@pytest.mark.model
def test_with_the_real_model_practices_find_their_english_version_across_languages(
    real_encoder, real_neutralizer_cache,
):
    records = [json.loads(line) for line in
               shared_file("xling_dev", "practices_7lang.jsonl").read_text("utf-8").splitlines()]
    english = real_encoder.encode_passages([r["texts"]["en"] for r in records])
    others = [(i, lang, text) for i, r in enumerate(records) for lang, text in r["texts"].items()
              if lang != "en"]
    other_docs = real_encoder.encode_passages([text for *_, text in others])
    queries = real_encoder.encode_queries([text for *_, text in others])
    # The product's default fit on the bundled reference, fitted once per test run.
    (fitted,) = [path for path in real_neutralizer_cache.iterdir() if path.is_dir()]
    neutral = LanguageNeutralizer.load(fitted)

    def hit_rate(transform) -> float:
        """Share of queries whose English version beats every other practice in any language."""
        q, en, other = transform(queries), transform(english), transform(other_docs)
        hits = 0
        for row, (i, _, _) in enumerate(others):
            rivals = [other[j] for j, (k, *_) in enumerate(others) if k != i]
            rivals += [en[k] for k in range(len(records)) if k != i]
            hits += bool(q[row] @ en[i] > max(np.stack(rivals) @ q[row]))
        return hits / len(others)

    bare, neutralised = hit_rate(lambda v: v), hit_rate(neutral.transform)
    # Measured: bare 0.59, neutralised 0.98 (mean over languages of the benchmark's xling all@1).
    assert neutralised >= bare + 0.2
