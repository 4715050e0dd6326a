"""The language neutralizer: fitted once per model and reused from its cache; a web process
never fits it on a request but searches without it meanwhile and swaps it in when ready."""
from __future__ import annotations

import threading

from app.db import get_session
from app.search import get_maintenance, get_search, reader
from tests.web.helpers import CountingEncoder, found_ids


def _info(app) -> dict:
    with app.app_context():
        return get_maintenance().info()


def test_the_cli_fits_the_neutralizer_once_and_later_starts_reuse_it(make_app, add_practice):
    add_practice(title="Shared lunch from many cuisines")
    encoder = CountingEncoder()
    app = make_app(ENCODER=encoder, SEARCH_NEUTRALIZER=True)
    first = app.test_cli_runner().invoke(args=["search-index", "rebuild"])
    assert first.exit_code == 0 and "fitting the language neutralizer" in first.output
    assert encoder.passages > 1000  # the reference text, in every language
    fingerprint = _info(app)["neutralizer"]
    assert fingerprint is not None
    again = CountingEncoder()
    restarted = make_app(ENCODER=again, SEARCH_NEUTRALIZER=True)
    assert len(found_ids(restarted, "cuisines")) == 1
    info = _info(restarted)
    assert info["neutralizer"] == fingerprint and info["started_from_snapshot"] is True
    assert again.passages == 0


def test_a_web_process_searches_at_once_and_adopts_the_neutralizer_when_fitted(
        make_app, add_practice, monkeypatch):
    practice_id = add_practice(title="Shared lunch from many cuisines")
    release = threading.Event()
    real_fit = reader.fit_neutralizer

    def slow_fit(*args):
        release.wait(30)
        return real_fit(*args)

    monkeypatch.setattr(reader, "fit_neutralizer", slow_fit)
    app = make_app(SEARCH_NEUTRALIZER=True)
    assert found_ids(app, "cuisines") == [practice_id]  # while the fit is held back
    assert _info(app)["neutralizer"] is None and _info(app)["neutralizer_pending"]
    release.set()
    with app.app_context():
        get_search().live(get_session()).wait_for_rebuild(120)
    info = _info(app)
    assert info["neutralizer"] is not None and not info["neutralizer_pending"]
    assert found_ids(app, "cuisines") == [practice_id]


def test_prepare_fits_the_neutralizer_on_the_first_run_only(make_app):
    encoder = CountingEncoder()
    first = make_app(ENCODER=encoder, SEARCH_NEUTRALIZER=True).test_cli_runner().invoke(
        args=["search-index", "prepare"])
    assert first.exit_code == 0 and "fitting the language neutralizer" in first.output
    assert encoder.passages > 1000
    again = CountingEncoder()
    second = make_app(ENCODER=again, SEARCH_NEUTRALIZER=True).test_cli_runner().invoke(
        args=["search-index", "prepare"])
    assert second.exit_code == 0, second.output
    assert "fitting" not in second.output and "ready" in second.output
    assert again.passages == 0


def test_prepare_finds_a_fitted_neutralizer_without_loading_the_model(make_app, tmp_path):
    # Fit for the configured model id, then point the app at no model folder at all: a
    # prepare that loaded the model would fail with "make model".
    encoder = CountingEncoder()
    encoder.model_id = "intfloat/multilingual-e5-small"
    fitted = make_app(ENCODER=encoder, SEARCH_NEUTRALIZER=True).test_cli_runner().invoke(
        args=["search-index", "prepare"])
    assert fitted.exit_code == 0, fitted.output
    app = make_app(ENCODER="sentence-transformers", SEARCH_NEUTRALIZER=True,
                   EMBEDDING_MODEL_PATH=str(tmp_path / "no-model-here"))
    result = app.test_cli_runner().invoke(args=["search-index", "prepare"])
    assert result.exit_code == 0, result.output
    assert "ready" in result.output
