"""Keyword tokenizer and BM25 index: what a searcher typing exact words would notice."""
import math

import numpy as np
import pytest

from search_index import keywords
from search_index.keywords import KeywordIndex
from search_index.tokens import estimate_words, tokenize

SNIPPETS = {
    1: "我们学校成立了反欺凌委员会，学生和老师一起制定校园行为准则。",
    2: "أطلقت مدرستنا برنامجاً لمكافحة التنمّر يشارك فيه التلاميذ والمعلمون.",
    3: "โรงเรียนของเราจัดกิจกรรมป้องกันการกลั่นแกล้งโดยมีนักเรียนเป็นแกนนำ",
    4: "Les élèves ont créé un potager scolaire pour étudier le climat.",
    5: "Students built a rain garden to learn about water and climate.",
    6: "हमारे विद्यालय में जल संरक्षण पर एक परियोजना चलाई गई।",
}


@pytest.fixture
def index():
    built = KeywordIndex()
    built.upsert(SNIPPETS.items())
    return built


def ids(results):
    return [doc_id for doc_id, _ in results]


def test_accents_and_case_do_not_matter_for_latin_greek_and_cyrillic():
    assert tokenize("ÉCOLE Élèves") == tokenize("ecole eleves")
    assert tokenize("Ёлка") == tokenize("елка")
    assert tokenize("ΑΘΉΝΑ") == tokenize("αθηνα")


def test_devanagari_vowel_signs_stay_part_of_the_word():
    assert tokenize("विद्यालय जल") == ["विद्यालय", "जल"]
    assert tokenize("जल") != tokenize("जाल")


def test_arabic_spelling_variants_and_vowel_marks_are_unified():
    assert tokenize("المَدْرَسَةُ") == tokenize("المدرسه")
    assert tokenize("أطفال إلى") == tokenize("اطفال الي")
    assert tokenize("ســلام") == tokenize("سلام")  # tatweel


def test_chinese_and_thai_become_overlapping_bigrams():
    assert tokenize("校园欺凌") == ["校园", "园欺", "欺凌"]
    assert tokenize("水") == ["水"]
    assert tokenize("กลั่นแกล้ง")[:3] == ["กล", "ลั", "ั่"]


def test_numbers_and_full_width_forms_are_kept_as_plain_tokens():
    assert tokenize("Agenda 2030, ＳＤＧ 4") == ["agenda", "2030", "sdg", "4"]


def test_word_estimate_is_comparable_across_scripts():
    assert estimate_words("school bullying") == 2
    assert 1 <= estimate_words("校园欺凌") <= 3
    assert estimate_words("การกลั่นแกล้ง") <= 3
    assert estimate_words("how do schools teach pupils about climate change") == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [("欺凌", 1), ("校园行为", 1), ("التنمر", 2), ("مدرستنا", 2), ("การกลั่นแกล้ง", 3),
     ("potager", 4), ("climat", 4), ("संरक्षण", 6)],
)
def test_query_in_the_documents_language_finds_it_first(index, query, expected):
    assert ids(index.search(query))[0] == expected


def test_words_absent_from_every_document_find_nothing(index):
    assert index.search("photosynthesis") == []
    assert index.search("") == []


def test_rare_words_weigh_more_than_common_ones():
    index = KeywordIndex()
    index.upsert([(1, "climate climate school"), (2, "climate project"), (3, "climate drought")])
    assert ids(index.search("climate drought"))[0] == 3


def test_score_follows_bm25_with_lucene_idf():
    index = KeywordIndex(k1=1.2, b=0.75)
    index.upsert([(1, "garden garden water"), (2, "water"), (3, "sun moon stars sky")])
    (doc_id, score), = index.search("garden")
    avgdl = (3 + 1 + 4) / 3
    idf = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    expected = idf * 2 * 2.2 / (2 + 1.2 * (1 - 0.75 + 0.75 * 3 / avgdl))
    assert doc_id == 1 and score == pytest.approx(expected, rel=1e-5)


def test_allowed_ids_restrict_the_results(index):
    found = index.search("climate climat", allowed_doc_ids=np.array([5, 6]))
    assert ids(found) == [5]


def test_limit_keeps_the_best(index):
    index.upsert([(10 + i, "garden " * (i + 1)) for i in range(5)])
    assert ids(index.search("garden", limit=2)) == ids(index.search("garden"))[:2]
    assert len(index.search("garden", limit=2)) == 2


def test_reindexing_a_document_replaces_its_words(index):
    index.upsert([(4, "Un club de lecture")])
    assert 4 not in ids(index.search("potager"))
    assert ids(index.search("lecture")) == [4]
    assert len(index) == len(SNIPPETS)


def test_deleted_documents_are_never_found(index):
    index.delete([1, 999])
    assert index.search("欺凌") == []
    assert 1 not in index and len(index) == len(SNIPPETS) - 1


def test_many_edits_give_the_same_scores_as_indexing_the_final_texts(monkeypatch):
    monkeypatch.setattr(keywords, "_DELTA_LIMIT", 40)  # force frequent merges
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(30)]
    edited, final = KeywordIndex(), {}
    for _ in range(300):
        doc_id = int(rng.integers(0, 40))
        if rng.random() < 0.2:
            edited.delete([doc_id])
            final.pop(doc_id, None)
        else:
            text = " ".join(rng.choice(words, int(rng.integers(1, 8))))
            edited.upsert([(doc_id, text)])
            final[doc_id] = text
    fresh = KeywordIndex()
    fresh.upsert(final.items())
    for query in ["w1", "w2 w3", "w4 w5 w6 w7"]:
        got, want = edited.search(query), fresh.search(query)
        assert ids(got) == ids(want)
        np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=1e-5)


def test_state_round_trip_keeps_results(index):
    index.upsert([(7, "extra garden text")])
    copy = KeywordIndex.from_state(index.state())
    for query in ["欺凌", "التنمر", "garden climate", "การกลั่นแกล้ง"]:
        assert copy.search(query) == index.search(query)
    assert len(copy) == len(index)


def test_coverage_is_the_share_of_the_query_idf_a_text_matches():
    index = KeywordIndex()
    index.upsert([(1, "huerto escolar y compost"), (2, "acoso escolar"), (3, "club escolar"),
                  (4, "feria escolar"), (5, "compost en casa")])
    found = {doc_id: coverage for doc_id, _, coverage in
             index.search_with_coverage("huerto escolar compost")}
    assert found[1] == pytest.approx(1.0)
    # "escolar" is in four of five texts, so matching only it covers little of the query.
    assert found[2] < 0.25 < found[5] < 1.0
    assert found[2] == found[3] == found[4]


def test_a_query_word_no_text_has_lowers_the_coverage_of_texts_matching_the_others():
    index = KeywordIndex()
    index.upsert([(1, "acoso escolar"), (2, "club escolar"), (3, "school garden")])
    ((doc_id, _, coverage), *_) = index.search_with_coverage("huerto escolar")
    assert doc_id in (1, 2) and coverage < 0.5
    assert index.search_with_coverage("escolar")[0][2] == 1.0


def test_a_chinese_query_whose_words_no_text_has_gives_a_partial_match_little_coverage():
    index = KeywordIndex()
    index.upsert([(1, "校园菜园"), (2, "校园开放日"), (3, "school bullying")])
    # "校园欺凌" (school bullying): only the bigram 校园 (school) is in any text.
    found = {doc_id: coverage for doc_id, _, coverage in index.search_with_coverage("校园欺凌")}
    assert set(found) == {1, 2} and max(found.values()) < 0.3
    assert index.search_with_coverage("校园")[0][2] == 1.0
