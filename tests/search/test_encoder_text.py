"""What the real encoder is given: the text without characters that only shape it on a page."""
from __future__ import annotations

import numpy as np
import pytest

from search_index.st_encoder import prepare

STRETCHED = "زيادة كبيرة في حصـة الطـاقـة المتجــددة"  # tatweel, as in the Arabic SDG targets
PLAIN = "زيادة كبيرة في حصة الطاقة المتجددة"


def test_tatweel_and_soft_hyphens_are_removed():
    assert prepare(STRETCHED) == PLAIN
    assert prepare("sustain\u00adable edu\u00adcation") == "sustainable education"


def test_characters_that_carry_meaning_are_kept():
    # Zero-width non-joiner (Persian, Hindi), diacritics, and Arabic tashkeel stay as written.
    for text in ("می\u200cخواهم", "éducation, Bildung, образование", "مُعَلِّم", "学校\u3000菜园"):
        assert prepare(text) == text


@pytest.mark.model
def test_with_the_real_model_a_stretched_word_embeds_as_the_plain_one(real_encoder):
    stretched, plain = real_encoder.encode_passages([STRETCHED, PLAIN])
    np.testing.assert_allclose(stretched, plain, atol=1e-5)
