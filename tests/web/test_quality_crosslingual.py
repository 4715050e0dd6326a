"""Cross-language retrieval with the real model, end to end: xling_dev (210 practices) and the
169 SDG targets in the 6 UN languages (1,014) imported through `flask practices import
--publish`, searched through GET /api/v1/search with a practice's whole text as the query, the
language neutralizer on (the product's default). Measures and data: benchmarks/crosslingual.py;
the whole table with the bare model beside it: `make eval`.

Floors are the issue's targets where the product reaches them. Where it does not yet, the
floor is the level measured by benchmarks/eval_crosslingual.py (SQLite, neutralizer on)
minus a small margin, so a regression fails while the target stays visible here:
  MET      xling, each language -> its English version, R@1 with language=en: >= 0.95
           (measured min 0.97; the bare model 1.00).
  NOT MET  SDG R@1 with language=Y, every ordered pair >= 0.90: measured min 0.79 (zh>ar),
           mean 0.93; the bare model min 0.80. Floor: min 0.76, mean 0.91.
  NOT MET  SDG R@10 with language=Y, every pair >= 0.97: measured min 0.96 (zh>ar), the bare
           model 0.97. Floor: min 0.94.
  NOT MET  SDG without filter, the Y version in the top 10, every pair >= 0.80 and mean
           >= 0.95: measured min 0.52 (zh>ar), mean 0.85; the bare model min 0.006, mean
           0.50. Floor: min 0.48, mean 0.82.
Not targets of the issue, guarded at the measured level: xling without filter (the English
version beats every other practice in every language) min 0.80, keyword queries R@1 0.91.
"""
from __future__ import annotations

import shutil

import pytest

from app.migrate import upgrade
from benchmarks import crosslingual as xl

pytestmark = pytest.mark.model


def _imported_app(name, texts, real_encoder, real_neutralizer_cache, tmp_path_factory):
    """An app on its own SQLite database holding `texts`, imported through the CLI."""
    folder = tmp_path_factory.mktemp(name)
    url = f"sqlite:///{folder / 'quality.db'}"
    upgrade(url)
    shutil.copytree(real_neutralizer_cache, folder / "index" / "neutralizer")
    app = xl.make_app(url, folder / "index", encoder=real_encoder)
    output = xl.import_texts(app, texts)
    assert "OK" in output and "fitting" not in output  # the cached neutralizer was used
    return app


@pytest.fixture(scope="module")
def xling(real_encoder, real_neutralizer_cache, tmp_path_factory) -> xl.XlingReport:
    texts = xl.xling_texts()
    app = _imported_app("xling", texts, real_encoder, real_neutralizer_cache, tmp_path_factory)
    yield xl.evaluate_xling(xl.api_search(app), texts, xl.keyword_queries())
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def sdg(real_encoder, real_neutralizer_cache, tmp_path_factory) -> xl.SdgReport:
    texts = xl.sdg_texts()
    app = _imported_app("sdg", texts, real_encoder, real_neutralizer_cache, tmp_path_factory)
    yield xl.evaluate_sdg(xl.api_search(app), texts)
    app.extensions["db_engine"].dispose()


def _below(values: dict, floor: float) -> dict:
    return {key: round(value, 3) for key, value in values.items() if value < floor}


def test_every_language_finds_its_english_version_first_among_english_practices(xling):
    assert set(xling.en1) == {"ar", "es", "fr", "ru", "sw", "zh-Hans"}
    assert _below(xling.en1, 0.95) == {}  # the target


def test_without_a_filter_the_english_version_beats_practices_in_every_language(xling):
    assert _below(xling.all1, 0.76) == {}  # measured min 0.80 (sw); the bare model 0.10


def test_short_keyword_queries_find_the_practice_they_name_in_any_language(xling):
    assert xling.kw1 >= 0.86  # measured 0.91 (20 of 22); one query less is 0.86
    assert xling.kw5 >= 0.95  # measured 0.95 (21 of 22)


def test_a_target_finds_its_version_in_the_language_filtered_for_first(sdg):
    assert len(sdg.y1) == 30
    low, mean, _ = xl.spread(sdg.y1)
    assert _below(sdg.y1, 0.76) == {}  # target 0.90 NOT MET: measured min 0.79 (zh>ar)
    assert mean >= 0.91  # measured 0.93


def test_a_target_finds_its_version_in_the_language_filtered_for_among_ten(sdg):
    assert _below(sdg.y10, 0.94) == {}  # target 0.97 NOT MET: measured min 0.96 (zh>ar)


def test_without_a_filter_a_target_finds_its_versions_in_other_languages_among_ten(sdg):
    assert len(sdg.all10) == 30
    _, mean, _ = xl.spread(sdg.all10)
    # Targets NOT MET (min 0.80, mean 0.95): measured min 0.52 (zh>ar), mean 0.85.
    # The bare model finds them only half the time (mean 0.50, zh>fr 0.006).
    assert _below(sdg.all10, 0.48) == {}
    assert mean >= 0.82
