"""Chunking: long practices are split so the model sees all of their text, in sensible pieces."""
import re

import pytest

from search_index.chunking import chunk
from search_index.encoder import HashingEncoder

ENCODER = HashingEncoder(max_tokens=40)  # 38 tokens after special tokens
HEADER = "Green school"  # 2 tokens, leaving a budget of 36


def pieces(chunks, header=HEADER):
    assert all(c.startswith(header + "\n") for c in chunks)
    return [c[len(header) + 1 :] for c in chunks]


def numbered_words(n, start=0):
    return " ".join(f"w{i}" for i in range(start, start + n))


def assert_covers_every_token_in_order(body, body_pieces):
    """Each piece is the body text at increasing offsets; every token lies inside one."""
    covered, start = set(), -1
    for piece in body_pieces:
        start = body.find(piece, start + 1)
        assert start >= 0, f"piece not found in body order: {piece!r}"
        covered.update(range(start, start + len(piece)))
    for a, b in ENCODER.token_spans(body):
        assert set(range(a, b)) <= covered, f"token {body[a:b]!r} dropped"


def test_short_body_is_one_chunk_of_header_and_body():
    assert chunk(ENCODER, HEADER, "  We plant trees.  ") == [f"{HEADER}\nWe plant trees."]


def test_empty_body_gives_the_header_alone():
    assert chunk(ENCODER, HEADER, "") == [HEADER]
    assert chunk(ENCODER, HEADER, " \n ") == [HEADER]


@pytest.mark.parametrize("n_words", [37, 100, 500])
def test_every_chunk_fits_the_model_and_no_token_is_dropped(n_words):
    body = numbered_words(n_words)
    chunks = chunk(ENCODER, HEADER, body)
    assert len(chunks) > 1
    assert all(len(ENCODER.token_spans(c)) + 2 <= ENCODER.max_tokens for c in chunks)
    assert_covers_every_token_in_order(body, pieces(chunks))


def test_cuts_fall_between_paragraphs_when_paragraphs_fit():
    paragraphs = [numbered_words(12, start=100 * p) + "." for p in range(6)]
    body = "\n\n".join(paragraphs)
    for piece in pieces(chunk(ENCODER, HEADER, body)):
        assert all(p in paragraphs for p in piece.split("\n\n")), piece


def test_cuts_fall_after_sentences_inside_a_long_paragraph():
    sentences = [f"Sentence {i} tells what the pupils did on day {i}." for i in range(12)]
    body = " ".join(sentences)
    body_pieces = pieces(chunk(ENCODER, HEADER, body))
    assert len(body_pieces) > 2
    for piece in body_pieces:
        assert piece.startswith("Sentence") and piece.endswith("."), piece
    assert_covers_every_token_in_order(body, body_pieces)


@pytest.mark.parametrize(
    ("sentence", "mark"),
    [("学生们在校园里种了很多树", "。"), ("هل يزرع الطلاب الأشجار في المدرسة", "؟"),
     ("छात्रों ने विद्यालय में पेड़ लगाए", "।")],
)
def test_sentence_marks_of_other_scripts_are_cut_points(sentence, mark):
    body = "".join(f"{sentence}{i}{mark}" if mark == "。" else f"{sentence} {i}{mark} "
                   for i in range(10))
    body_pieces = pieces(chunk(ENCODER, HEADER, body))
    assert len(body_pieces) > 2
    assert all(p.endswith(mark) for p in body_pieces)
    assert_covers_every_token_in_order(body.strip(), body_pieces)


def test_a_sentence_longer_than_the_budget_is_cut_between_words_with_overlap():
    body = numbered_words(90)
    first, second, *_ = pieces(chunk(ENCODER, HEADER, body))
    first_words, second_words = first.split(), second.split()
    overlap = set(first_words) & set(second_words)
    assert 0 < len(overlap) <= 36 // 8
    assert first_words[-len(overlap) :] == second_words[: len(overlap)]


def test_an_overlong_header_is_shortened_so_the_body_still_fits():
    header = numbered_words(60, start=1000)
    chunks = chunk(ENCODER, header, numbered_words(50))
    assert all(len(ENCODER.token_spans(c)) + 2 <= ENCODER.max_tokens for c in chunks)
    assert all(c.startswith("w1000 ") for c in chunks)
    body_pieces = [re.sub(r"^(w1\d\d\d ?)+\n", "", c) for c in chunks]
    assert_covers_every_token_in_order(numbered_words(50), body_pieces)
