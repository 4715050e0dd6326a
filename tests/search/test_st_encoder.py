"""The real encoder: clear errors without a model, sensible multilingual embeddings with it, and
token counts the chunker can trust (a passage cut to the budget is seen whole by the model)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from search_index.encoder import Encoder
from search_index.st_encoder import ModelMismatch, ModelMissing, SentenceTransformerEncoder

GARDEN = {
    "en": "Our pupils grow vegetables in the school garden to learn about the climate.",
    "fr": "Nos élèves cultivent des légumes dans le jardin de l'école pour comprendre le climat.",
    "ar": "يزرع تلاميذنا الخضروات في حديقة المدرسة للتعرف على المناخ.",
    "zh": "我们的学生在学校菜园里种蔬菜，以了解气候。",
    "sw": "Wanafunzi wetu hupanda mboga katika bustani ya shule ili kujifunza kuhusu hali ya hewa.",
}
UNRELATED = [
    "The football tournament final was postponed because of heavy rain.",
    "La facture d'électricité de la cantine a augmenté cette année.",
    "El autobús escolar sale de la estación a las ocho de la mañana.",
]
# About 60 tokens per repetition, in several scripts, for texts longer than the model's window.
LONG_PARAGRAPH = (
    "Students map the trees around their school and measure how much shade each one gives. "
    "Les élèves présentent leurs résultats au conseil municipal. "
    "学生们还与另一所学校交换数据。 "
    "يناقش الطلاب النتائج مع أولياء الأمور. "
    "Wanafunzi huandika ripoti fupi kwa Kiswahili.\n\n"
)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def test_a_missing_model_folder_tells_the_operator_to_run_make_model(tmp_path):
    with pytest.raises(ModelMissing, match="make model") as raised:
        SentenceTransformerEncoder(tmp_path / "multilingual-e5-small")
    assert isinstance(raised.value, FileNotFoundError)


def test_a_folder_built_for_another_model_is_refused(tmp_path):
    (tmp_path / "modules.json").write_text("[]")
    (tmp_path / "provenance.json").write_text(json.dumps({"model_id": "someone/else"}))
    with pytest.raises(ModelMismatch, match="someone/else"):
        SentenceTransformerEncoder(tmp_path, model_id="intfloat/multilingual-e5-small")


@pytest.mark.model
def test_the_encoder_meets_the_protocol_the_index_relies_on(real_encoder):
    assert isinstance(real_encoder, Encoder)
    assert real_encoder.model_id == "intfloat/multilingual-e5-small"
    assert (real_encoder.dim, real_encoder.max_tokens) == (384, 512)  # model card


@pytest.mark.model
def test_embeddings_are_unit_length_float32_rows(real_encoder):
    passages = real_encoder.encode_passages(list(GARDEN.values()), batch_size=2)
    queries = real_encoder.encode_queries(("school garden", "jardin scolaire"))
    assert passages.shape == (len(GARDEN), 384) and queries.shape == (2, 384)
    assert passages.dtype == queries.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    assert real_encoder.encode_passages([]).shape == (0, 384)


@pytest.mark.model
def test_passages_and_queries_carry_the_prefixes_e5_was_trained_with(reference_encoder):
    """Model card of intfloat/multilingual-e5-small: "passage: " for documents, "query: " for
    queries. Compared with the underlying model given the prefixes literally."""
    text = GARDEN["fr"]
    model = reference_encoder._model
    for encoded, prefix in ((reference_encoder.encode_passages([text]), "passage: "),
                            (reference_encoder.encode_queries([text]), "query: ")):
        expected = model.encode([prefix + text], normalize_embeddings=True)
        np.testing.assert_allclose(encoded, expected, atol=1e-5)


@pytest.mark.model
def test_a_sentence_is_closer_to_its_translations_than_to_unrelated_sentences(real_encoder):
    garden = real_encoder.encode_passages(list(GARDEN.values()))
    unrelated = real_encoder.encode_passages(UNRELATED)
    english = garden[0]
    for language, vector in zip(list(GARDEN)[1:], garden[1:], strict=True):
        to_translation = cosine(english, vector)
        to_unrelated = max(cosine(vector, other) for other in unrelated)
        assert to_translation > to_unrelated, (language, to_translation, to_unrelated)


@pytest.mark.model
def test_an_english_query_ranks_the_passage_about_it_first_in_any_language(real_encoder):
    query = real_encoder.encode_queries(["school garden climate lessons"])[0]
    for language in ("fr", "ar", "zh", "sw"):
        passages = real_encoder.encode_passages([*UNRELATED, GARDEN[language]])
        assert int(np.argmax(passages @ query)) == len(UNRELATED), language


@pytest.mark.model
def test_token_spans_cover_a_long_text_in_order(real_encoder):
    text = LONG_PARAGRAPH * 20
    spans = real_encoder.token_spans(text)
    assert len(spans) > real_encoder.max_tokens  # nothing is truncated while counting
    assert spans == sorted(spans)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    uncovered = [i for i, char in enumerate(text) if not char.isspace() and i not in covered]
    assert uncovered == []


@pytest.mark.model
def test_the_budget_shrinks_as_the_header_grows(real_encoder):
    short = real_encoder.token_budget("Jardin")
    longer = real_encoder.token_budget("Jardin scolaire, climat et alimentation durable au lycée")
    assert 0 < longer < short < real_encoder.token_budget("") < real_encoder.max_tokens
    assert real_encoder.token_budget("mot " * 2000) == 0


def _cut(encoder: Encoder, header: str, text: str, tokens: int) -> str:
    """The passage the chunker writes for the first `tokens` tokens of `text`."""
    end = encoder.token_spans(text)[tokens - 1][1]
    return f"{header}\n{text[:end]}"


@pytest.mark.model
def test_a_passage_cut_to_the_budget_is_seen_whole_by_the_model(real_encoder):
    """The budget's last token still changes the embedding: the model did not cut it off."""
    header, body = "Arbres et climat : un projet d'école", LONG_PARAGRAPH * 20
    budget = real_encoder.token_budget(header)
    whole, shorter = real_encoder.encode_passages(
        [_cut(real_encoder, header, body, budget), _cut(real_encoder, header, body, budget - 1)])
    assert not np.allclose(whole, shorter, atol=1e-4)


@pytest.mark.model
def test_the_budget_leaves_little_of_the_window_unused(real_encoder):
    """A few tokens past the budget the model truncates: later tokens change nothing."""
    header, body = "Arbres et climat : un projet d'école", LONG_PARAGRAPH * 20
    over = real_encoder.token_budget(header) + 8
    cut, longer = real_encoder.encode_passages(
        [_cut(real_encoder, header, body, over), _cut(real_encoder, header, body, over + 1)])
    np.testing.assert_allclose(cut, longer, atol=1e-5)
