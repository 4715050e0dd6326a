"""The offline HashingEncoder behaves like a model as far as the index can tell."""
import numpy as np

from search_index.encoder import Encoder, HashingEncoder


def test_hashing_encoder_satisfies_the_encoder_protocol():
    assert isinstance(HashingEncoder(), Encoder)


def test_same_text_gives_the_same_unit_vector_in_every_instance():
    texts = ["Peer mediation against bullying", "", "校园欺凌"]
    first = HashingEncoder(dim=32).encode_passages(texts)
    second = HashingEncoder(dim=32).encode_queries(texts)
    assert first.shape == (3, 32) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(first, second)


def test_texts_sharing_words_are_closer_than_unrelated_texts():
    a, b, c = HashingEncoder().encode_passages(
        ["school garden for climate education", "a climate garden at our school",
         "mathematics olympiad training"]
    )
    assert a @ b > a @ c + 0.3


def test_token_budget_leaves_room_for_the_header_and_special_tokens():
    encoder = HashingEncoder(max_tokens=20)
    assert encoder.token_budget() == 18
    assert encoder.token_budget("Three word title") == 15
    assert encoder.token_budget(" ".join(["w"] * 30)) == 0


def test_token_spans_count_words_punctuation_and_cjk_characters():
    text = "Hi, 校园 ok"
    spans = HashingEncoder().token_spans(text)
    assert [text[a:b] for a, b in spans] == ["Hi", ",", "校", "园", "ok"]
