"""The development set (benchmarks/devset/) is whole: what eval_devset.py measures rests on it.

Fast: reads the files only (no model, no database).
"""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from benchmarks import devset_data as dev
from practices import validate_practice
from practices.codes import normalise_language


@pytest.fixture(scope="module")
def labels():
    return dev.read_labels()


@pytest.fixture(scope="module")
def practices(labels):
    return dev.read_practices(labels=labels)


def test_every_practice_is_labelled_and_every_label_names_a_practice(practices, labels):
    ids = {p.id for p in practices}
    assert set(labels.practices) == ids
    for pid, topics in labels.practices.items():
        assert topics, f"{pid} has no topic"
        assert topics <= set(labels.topics), f"{pid}: unknown topics {topics - set(labels.topics)}"
    for one, other in labels.translations.items():
        assert {one, other} <= ids


def test_languages_are_bcp47_tags_as_the_product_writes_them(practices, labels):
    tags = [p.language for p in practices] + [q.language for q in labels.queries] + [
        q.language for q in labels.late]
    for tag in tags:
        assert normalise_language(tag) == tag


def test_the_set_looks_like_a_real_collection(practices, labels):
    languages = Counter(p.language.split("-")[0] for p in practices)
    assert len(languages) >= 10
    assert 150 <= len(practices) <= 250
    translated = set(labels.translations) | set(labels.translations.values())
    assert len(translated) < 0.1 * len(practices)  # most have no translation
    words = sorted(len(p.body.split()) for p in practices if p.language in ("en", "fr"))
    assert words[0] <= 20 and words[-1] >= 2000  # from a few lines to a few thousand words


def test_every_topic_has_practices_in_two_languages_and_every_query_an_answer(practices,
                                                                             labels):
    languages = defaultdict(set)
    for p in practices:
        for topic in p.topics:
            languages[topic].add(p.language.split("-")[0])
    for topic in labels.topics:
        assert len(languages[topic]) >= 2, topic
    assert len({q.language for q in labels.queries}) >= 10
    for q in labels.queries:
        assert q.topics and q.topics <= set(labels.topics), q.text
        others = {lang for t in q.topics for lang in languages[t]} - {q.language.split("-")[0]}
        assert others, f"{q.text!r}: no on-topic practice in another language"


def test_late_queries_name_long_practices_mostly_in_other_languages(practices, labels):
    by_id = {p.id: p for p in practices}
    for q in labels.late:
        assert len(by_id[q.practice].body.split()) >= 800
    other = [q for q in labels.late if q.language != by_id[q.practice].language]
    assert len(other) >= 0.75 * len(labels.late)


def test_practices_are_valid_import_records(practices):
    for p in practices:
        data = validate_practice(p.record())  # raises ValidationError naming the bad field
        assert data.title and data.body


def test_near_empty_submissions_are_there_to_be_refused():
    records = dev.read_near_empty()
    assert len(records) >= 5
    for r in records:
        assert sum(ch.isalnum() for ch in r["body"]) < 5
