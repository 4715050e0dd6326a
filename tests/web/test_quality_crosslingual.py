"""Cross-language retrieval with the real model, end to end: xling_dev (210 practices) and the
169 SDG targets in the 6 UN languages (1,014) imported through `flask practices import
--publish`, searched through GET /api/v1/search with a practice's whole text as the query, the
language neutralizer on (the product's default). Measures and data: benchmarks/crosslingual.py;
the whole table with the bare model beside it: `make eval`.

Floors are the issue's targets; all are met (benchmarks/eval_crosslingual.py, SQLite,
neutralizer on; the bare model, measured by the same script, in brackets):
  xling, each language -> its English version, R@1 with language=en, >= 0.95: min 1.00 (1.00).
  SDG R@1 with language=Y, every ordered pair >= 0.90: min 0.953, mean 0.985 (min 0.858).
  SDG R@10 with language=Y, every pair >= 0.97: min 1.00 (0.988).
  SDG without filter, the Y version in the top 10, every pair >= 0.80 and mean >= 0.95:
  min 0.976 (ru>ar, zh-Hans>ar), mean 0.993 (min 0.006, mean 0.561); 0.923 / 0.980 before
  results came in rounds by language (search_index/short_queries.py).
Not targets of the issue, guarded a little below the measured level: xling without filter
(the English version beats every other practice in every language) min 1.00, keyword
queries R@1 and R@5 1.00 (22 of 22).
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
    assert _below(xling.all1, 0.95) == {}  # measured min 1.00; the bare model 0.10


def test_short_keyword_queries_find_the_practice_they_name_in_any_language(xling):
    assert xling.kw1 >= 0.90  # measured 1.00 (22 of 22); two queries less is 0.91
    assert xling.kw5 >= 0.95  # measured 1.00 (22 of 22)


def test_a_target_finds_its_version_in_the_language_filtered_for_first(sdg):
    assert len(sdg.y1) == 30
    low, mean, _ = xl.spread(sdg.y1)
    assert _below(sdg.y1, 0.90) == {}  # the target; measured min 0.953
    assert mean >= 0.95  # measured 0.985


def test_a_target_finds_its_version_in_the_language_filtered_for_among_ten(sdg):
    assert _below(sdg.y10, 0.97) == {}  # the target; measured min 1.00


def test_without_a_filter_a_target_finds_its_versions_in_other_languages_among_ten(sdg):
    assert len(sdg.all10) == 30
    _, mean, _ = xl.spread(sdg.all10)
    # The targets; measured min 0.976 (ru>ar), mean 0.993. The bare model
    # finds them about half the time (mean 0.56, zh-Hans>fr 0.006).
    assert _below(sdg.all10, 0.80) == {}
    assert mean >= 0.95
