"""`flask search-index rebuild | verify | info`."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.db import get_session
from search_index import read_meta
from tests.web.helpers import found_ids


def _drop_vectors(app, practice_id: int) -> None:
    with app.app_context():
        session = get_session()
        session.execute(text("DELETE FROM practice_vectors WHERE practice_id = :id"),
                        {"id": practice_id})
        session.commit()


def test_rebuild_indexes_every_public_practice_and_writes_a_snapshot(app, runner, add_practice,
                                                                     tmp_path):
    add_practice(title="Harvest festival")
    add_practice(status="submitted", title="Not yet public")
    result = runner.invoke(args=["search-index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "indexed 1 practices" in result.output
    assert read_meta(tmp_path / "search_index").count == 1


@pytest.mark.postgres
def test_verify_exits_with_an_error_on_drift_and_repair_fixes_it(app, runner, add_practice):
    practice_id = add_practice(title="Harvest festival")
    assert runner.invoke(args=["search-index", "verify"]).output.strip().endswith("OK")
    _drop_vectors(app, practice_id)
    found = runner.invoke(args=["search-index", "verify"])
    assert found.exit_code == 1
    assert f"1 practices without vectors: {practice_id}" in found.output
    assert "--repair" in found.output
    repaired = runner.invoke(args=["search-index", "verify", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "repaired" in repaired.output
    assert found_ids(app, "harvest festival") == [practice_id]


def test_rebuild_reembed_encodes_practices_without_vectors(app, runner, add_practice):
    practice_id = add_practice(title="Harvest festival")
    _drop_vectors(app, practice_id)
    plain = runner.invoke(args=["search-index", "rebuild"])
    assert "1 public practices have no vectors" in plain.output
    result = runner.invoke(args=["search-index", "rebuild", "--reembed"])
    assert result.exit_code == 0 and "1 re-encoded" in result.output
    assert found_ids(app, "harvest festival") == [practice_id]


def test_info_describes_the_index(app, runner, add_practice):
    add_practice(title="Harvest festival")
    info = json.loads(runner.invoke(args=["search-index", "info", "--json"]).output)
    assert info["model"] == "hashing-64" and info["dim"] == 64
    assert info["documents"] == 1 and info["chunks"] >= 1
    assert info["neutralizer"] is None and info["without_vectors"] == 0
    assert info["last_seq"] >= 1
    text_output = runner.invoke(args=["search-index", "info"]).output
    assert "documents: 1" in text_output


def test_a_missing_model_folder_is_one_error_line_saying_what_to_do(make_app, tmp_path):
    app = make_app(ENCODER="sentence-transformers", EMBEDDING_MODEL_PATH=str(tmp_path / "none"))
    result = app.test_cli_runner().invoke(args=["search-index", "info"])
    assert result.exit_code == 1
    assert "make model" in result.output and "Traceback" not in result.output
