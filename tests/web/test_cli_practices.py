"""`flask db upgrade` and `flask practices ...`: import all or nothing, export, publish, demo."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, inspect, select

from app import create_app
from app.db import get_session
from practices.models import Practice, PracticeVector
from tests.factories import practice_record
from tests.web.helpers import CountingEncoder, found_ids


def _write_jsonl(path, *records) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return str(path)


def _count(app, model) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model))


def test_db_upgrade_creates_the_schema_of_an_empty_database(app_config, tmp_path):
    empty = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"})
    result = empty.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database is at" in result.output
    tables = inspect(empty.extensions["db_engine"]).get_table_names()
    assert {"practices", "practice_vectors", "search_changes"} <= set(tables)
    empty.extensions["db_engine"].dispose()


@pytest.mark.postgres
def test_an_import_with_bad_lines_names_each_one_and_writes_nothing(app, runner, tmp_path):
    path = tmp_path / "practices.jsonl"
    good = json.dumps(practice_record())
    no_title = json.dumps({k: v for k, v in practice_record().items() if k != "title"})
    bad_theme = json.dumps(practice_record(themes=["gardening"]))
    path.write_text(f"{good}\n{no_title}\n{{not json\n{bad_theme}\n", encoding="utf-8")
    result = runner.invoke(args=["practices", "import", str(path)])
    assert result.exit_code == 1
    assert "line 2: title: is required" in result.output
    assert "line 3: is not valid JSON" in result.output
    assert "line 4: themes: unknown theme 'gardening'" in result.output
    assert "nothing imported: 3 problem(s)" in result.output
    assert _count(app, Practice) == 0 and _count(app, PracticeVector) == 0


def test_an_imported_file_is_encoded_in_one_batch_and_becomes_searchable(make_app, tmp_path):
    encoder = CountingEncoder()
    app = make_app(ENCODER=encoder)
    path = _write_jsonl(tmp_path / "p.jsonl", practice_record(title="Puppet theatre"),
                        practice_record(title="Shadow theatre"))
    result = app.test_cli_runner().invoke(args=["practices", "import", path, "--publish"])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output and "2 encoded for search" in result.output
    assert encoder.batches == 1
    assert len(found_ids(app, "theatre")) == 2


def test_an_import_without_publish_stores_practices_out_of_search(app, runner, tmp_path):
    path = _write_jsonl(tmp_path / "p.jsonl", practice_record(title="Puppet theatre"))
    assert runner.invoke(args=["practices", "import", path]).exit_code == 0
    assert _count(app, Practice) == 1
    assert found_ids(app, "puppet theatre") == []


def test_importing_the_same_external_id_again_updates_the_practice(app, runner, tmp_path):
    path = tmp_path / "p.jsonl"
    _write_jsonl(path, practice_record(external_id="x-1", title="Choir"))
    runner.invoke(args=["practices", "import", str(path), "--publish"])
    _write_jsonl(path, practice_record(external_id="x-1", title="Choir and orchestra"))
    result = runner.invoke(args=["practices", "import", str(path), "--publish"])
    assert "1 updated" in result.output
    assert _count(app, Practice) == 1
    assert len(found_ids(app, "orchestra")) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_an_export_imports_back_unchanged(app, runner, tmp_path, suffix):
    source = _write_jsonl(
        tmp_path / "in.jsonl",
        practice_record(external_id="r-1", title="Jardin partagé", language="fr", country="FR",
                        sdg_targets=["4.7", "13.3"], pillars=[1, 3]),
        practice_record(external_id="r-2", title="مدرسة خضراء", language="ar", country="JO",
                        institution={"name": "مدرسة عمان", "country": "JO", "city": "Amman"}))
    assert runner.invoke(args=["practices", "import", source, "--publish"]).exit_code == 0
    exported = tmp_path / f"out.{suffix}"
    result = runner.invoke(args=["practices", "export", str(exported)])
    assert result.exit_code == 0 and "2 practices written" in result.output
    again = runner.invoke(args=["practices", "import", str(exported), "--publish"])
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 2 unchanged" in again.output


def test_export_can_select_a_status(app, runner, tmp_path, add_practice):
    add_practice(status="submitted", title="Waiting")
    add_practice(title="Public")
    out = tmp_path / "submitted.jsonl"
    runner.invoke(args=["practices", "export", str(out), "--status", "submitted"])
    titles = [json.loads(line)["title"] for line in out.read_text("utf-8").splitlines()]
    assert titles == ["Waiting"]


def test_a_file_of_unknown_kind_needs_a_format(app, runner, tmp_path):
    path = _write_jsonl(tmp_path / "p.txt", practice_record())
    refused = runner.invoke(args=["practices", "import", path])
    assert refused.exit_code == 1 and "name it .jsonl or .csv" in refused.output
    assert runner.invoke(args=["practices", "import", path, "--format", "jsonl"]).exit_code == 0


def test_publish_makes_a_submitted_practice_searchable(app, runner, add_practice):
    practice_id = add_practice(status="submitted", title="Lantern parade")
    result = runner.invoke(args=["practices", "publish", str(practice_id)])
    assert result.exit_code == 0 and "Lantern parade" in result.output
    assert found_ids(app, "lantern parade") == [practice_id]
    missing = runner.invoke(args=["practices", "publish", "999"])
    assert missing.exit_code == 1 and "999 does not exist" in missing.output


@pytest.mark.postgres
def test_seed_demo_loads_searchable_practices_once(app, runner):
    first = runner.invoke(args=["practices", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "60 created" in first.output
    skipped = runner.invoke(args=["practices", "seed-demo", "--if-empty"])
    assert "demo data not loaded" in skipped.output
    # The 60 bundled practices, plus the 5 the demo accounts take through the workflow.
    assert _count(app, Practice) == 65
    assert len(found_ids(app, limit=50, language=["ar"])) >= 1
    assert runner.invoke(args=["search-index", "verify"]).exit_code == 0
