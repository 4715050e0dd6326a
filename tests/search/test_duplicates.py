"""search_index.duplicates: how much a text is a copy of another, and the index's nearest
documents to a whole text (the candidates of the check). The real model's precision and
recall are in test_duplicates_model.py."""
from __future__ import annotations

import numpy as np
import pytest

from search_index import Document, HashingEncoder, SearchIndex, embed
from search_index.duplicates import UNCALIBRATED, CopyRule, copy_score, near_copies, rule_for

GARDEN = ["Pupils grow vegetables in raised beds.", "The canteen's waste becomes compost.",
          "Families buy the harvest at a market.", "The money pays for new seeds."]


def vectors(encoder, paragraphs, title="Garden"):
    return embed(encoder, [(title, "\n\n".join(paragraphs))])[0]


@pytest.fixture
def encoder():
    return HashingEncoder()


def test_a_copy_with_a_paragraph_dropped_keeps_a_partner_for_every_passage(encoder):
    # One passage per paragraph, as a long practice is cut.
    whole = np.concatenate([vectors(encoder, [paragraph]) for paragraph in GARDEN])
    shorter = whole[:3]

    assert copy_score(shorter, whole, "passages") == pytest.approx(1.0, abs=1e-5)
    assert copy_score(whole, shorter, "passages") == pytest.approx(1.0, abs=1e-5)
    assert copy_score(shorter, whole, "whole") < 1.0


def test_scores_are_symmetric_and_one_for_the_same_text(encoder):
    a, b = vectors(encoder, GARDEN), vectors(encoder, ["Pupils debate children's rights."])
    for method in ("whole", "passages"):
        assert copy_score(a, a, method) == pytest.approx(1.0, abs=1e-5)
        assert copy_score(a, b, method) == pytest.approx(copy_score(b, a, method))


def test_only_documents_over_the_threshold_are_near_copies_best_first(encoder):
    text = vectors(encoder, GARDEN)
    documents = [(7, vectors(encoder, ["Pupils debate children's rights."])),
                 (3, vectors(encoder, GARDEN[:3])), (5, vectors(encoder, GARDEN))]

    found = near_copies(text, documents, CopyRule("whole", 0.8, neutralized=False))

    assert [d for d, _ in found] == [5, 3]
    assert found[0][1] >= found[1][1] >= 0.8


def test_a_rule_names_a_known_method_and_an_unknown_model_gets_the_cautious_one():
    with pytest.raises(ValueError, match="method"):
        CopyRule("jaccard", 0.5, neutralized=False)
    with pytest.raises(ValueError, match="method"):
        copy_score(np.ones((1, 4)), np.ones((1, 4)), "jaccard")
    assert rule_for("hashing-test", False) is UNCALIBRATED
    assert rule_for("intfloat/multilingual-e5-small", True).neutralized


def test_the_index_gives_the_nearest_documents_to_a_whole_text_except_those_excluded():
    encoder = HashingEncoder()
    index = SearchIndex(encoder, facet_fields=("language",), floor=None)
    texts = {1: GARDEN, 2: ["Pupils debate children's rights."], 3: GARDEN[:2]}
    index.upsert(Document(i, v, [10 * i], " ".join(t), {"language": ["en"]}, float(i))
                 for (i, t), v in zip(texts.items(), embed(
                     encoder, [("Garden", "\n\n".join(t)) for t in texts.values()]),
                     strict=True))

    query = vectors(encoder, GARDEN)

    assert index.nearest(query, 2) == [1, 3]
    assert index.nearest(query, 2, excluded={1}) == [3, 2]
