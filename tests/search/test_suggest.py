"""search_index.suggest: tags ranked by their best (reference text, chunk) cosine."""
from __future__ import annotations

import pytest

from search_index.encoder import HashingEncoder
from search_index.suggest import TagRanker

REFERENCES = {
    "garden": ["school garden vegetables compost soil seeds"],
    "peace": ["peer mediation conflicts bullying peace", "resolving disputes without violence"],
    "heritage": ["oral history grandparents traditions museum"],
}


def test_every_tag_comes_back_best_first():
    ranker = TagRanker(HashingEncoder(), REFERENCES)

    ranked = ranker.rank(ranker.text_vectors("Our garden", "pupils sow seeds and make compost"))

    assert [t.key for t in ranked][0] == "garden"
    assert sorted(t.key for t in ranked) == sorted(REFERENCES)
    assert [t.score for t in ranked] == sorted((t.score for t in ranked), reverse=True)


def test_a_subject_in_the_last_paragraph_of_a_long_text_counts_fully():
    encoder = HashingEncoder(max_tokens=64)
    filler = "\n\n".join(["The school year began with a meeting of all the classes."] * 40)
    ranker = TagRanker(encoder, REFERENCES)

    vectors = ranker.text_vectors("A long report", filler + "\n\noral history with grandparents "
                                                            "about traditions and the museum")

    assert len(vectors) > 1  # the text was chunked
    assert ranker.rank(vectors)[0].key == "heritage"


def test_a_tag_without_reference_text_is_refused():
    with pytest.raises(ValueError, match="no reference text"):
        TagRanker(HashingEncoder(), {"empty": []})
