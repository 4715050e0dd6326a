"""End to end with the real multilingual model: practices imported through the CLI in several
languages are found through the API by a query in another language."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.search import get_maintenance
from tests.shared_data import shared_file

pytestmark = pytest.mark.model

# One language version per topic, none in Spanish (the queries' language): a hit can only be
# a cross-language match. xdev-01 (school garden and compost) is the Arabic one.
CHOSEN = {"xdev-01": "ar", "xdev-11": "fr", "xdev-04": "zh-Hans", "xdev-07": "ru",
          "xdev-12": "sw", "xdev-15": "en"}


@pytest.fixture(params=[False, True], ids=["raw", "neutralised"])
def model_app(request, make_app, real_encoder, tmp_path, app_config):
    if request.param:
        cache = request.getfixturevalue("real_neutralizer_cache")
        shutil.copytree(cache, Path(app_config["SEARCH_INDEX_DIR"]) / "neutralizer")
    app = make_app(ENCODER=real_encoder, SEARCH_NEUTRALIZER=request.param)
    groups = {}
    with shared_file("xling_dev", "practices_7lang.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            group = json.loads(line)
            groups[group["group_id"]] = group["texts"]
    path = tmp_path / "multilingual.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for group_id, language in CHOSEN.items():
            text = groups[group_id][language]
            out.write(json.dumps({"external_id": f"{group_id}-{language}", "title": text[:80],
                                  "body": text, "language": language, "themes": ["esd"]},
                                 ensure_ascii=False) + "\n")
    result = app.test_cli_runner().invoke(args=["practices", "import", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert (get_maintenance().info()["neutralizer"] is not None) == request.param
    return app


def _first(app, query: str) -> dict:
    body = app.test_client().get("/api/v1/search", query_string={"q": query}).get_json()
    return body["results"][0]


def test_a_spanish_query_finds_the_arabic_practice_through_the_api(model_app):
    first = _first(model_app, "huerto escolar y compost de los restos del comedor")
    assert (first["external_id"], first["language"]) == ("xdev-01-ar", "ar")


def test_spanish_keyword_queries_find_practices_in_other_languages(model_app):
    assert _first(model_app, "huerto escolar compost")["external_id"] == "xdev-01-ar"
    assert _first(model_app, "acoso escolar mediación")["external_id"] == "xdev-11-fr"
    assert _first(model_app, "energía solar escuela")["external_id"] == "xdev-07-ru"


def test_similar_practices_in_other_languages_are_offered(model_app):
    arabic = _first(model_app, "huerto escolar compost")
    similar = model_app.test_client().get(
        f"/api/v1/practices/{arabic['id']}/similar?other_languages=1&limit=3").get_json()
    languages = [r["language"] for r in similar["results"]]
    # The other five practices are on other topics: with the neutralizer, only those above
    # the relevance floor (search_index/floor.py) are offered, at least one here.
    assert 1 <= len(languages) <= 3 and "ar" not in languages
