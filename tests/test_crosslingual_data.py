"""The evaluation sets of benchmarks/crosslingual.py, converted from the shared data: complete,
valid import records, and titles that do not give the answer away (a title shared by the
language versions of a text, or naming its group, would let the keyword index match them).

Cheap and without the model, so `pytest -m "not model"` also fails when the data is missing.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from benchmarks import crosslingual as xl
from practices import validate_practice


@pytest.fixture(scope="module")
def xling():
    return xl.xling_texts()


@pytest.fixture(scope="module")
def sdg():
    return xl.sdg_texts()


def test_xling_dev_holds_30_practices_in_7_languages_and_22_keyword_queries(xling):
    assert Counter(t.language for t in xling) == {
        lang: 30 for lang in ("en", "fr", "es", "ar", "zh-Hans", "ru", "sw")}
    queries = xl.keyword_queries()
    assert len(queries) == 22
    assert {q.group for q in queries} <= {t.group for t in xling}


def test_sdg_holds_the_169_targets_in_each_un_language(sdg):
    assert Counter(t.language for t in sdg) == {lang: 169 for lang in xl.UN_LANGUAGES}
    assert len({t.external_id for t in sdg}) == 1014


@pytest.mark.parametrize("name", ["xling", "sdg"])
def test_no_title_is_shared_by_language_versions_or_names_the_group(name, request):
    titles = defaultdict(list)
    for text in request.getfixturevalue(name):
        title = xl.record_of(text)["title"]
        titles[text.group].append(title)
        assert text.group not in title and "Target" not in title
        assert text.body.startswith(title)  # only the text's own opening words
    assert [g for g, found in titles.items() if len(set(found)) < len(found)] == []


def test_every_evaluation_text_is_a_valid_import_record(xling, sdg):
    for text in (*xling, *sdg):
        data = validate_practice(xl.record_of(text))
        assert (data.body, tuple(data.themes)) == (text.body, (xl.THEME,))


def test_a_chinese_title_is_cut_by_characters_not_words():
    text = "学生们经营学校菜园，并把食堂的厨余垃圾做成堆肥。"
    assert xl.title_of(text) == text[:20]
    assert xl.title_of("one two three four five six seven eight nine") == \
        "one two three four five six seven eight"


def test_the_sdg_targets_in_all_26_languages_are_valid_import_records():
    # Khmer, Lao and Burmese separate phrases, not words: eight of them made titles of 300+
    # characters, which the import refused (the 26-language evaluation imported nothing).
    from benchmarks.eval_languages import languages

    texts = xl.sdg_texts(languages())
    assert Counter(t.language for t in texts) == {lang: 169 for lang in languages()}
    assert len(languages()) == 26
    for text in texts:
        assert validate_practice(xl.record_of(text)).body == text.body
