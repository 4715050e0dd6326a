"""/healthz and /readyz: what a process manager and a load balancer are told, and the search
response that says when results were ranked without the language neutralizer."""
from __future__ import annotations

import threading

from app.db import get_session
from app.search import get_search, reader


def test_healthz_answers_without_loading_search(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert not app.extensions["search"].reader.loaded


def test_readyz_says_loading_until_search_is_loaded_then_ready(client, app):
    first = client.get("/readyz")
    assert first.status_code == 503 and first.headers["Retry-After"]
    body = first.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] and not body["checks"]["search"]["ok"]
    app.extensions["search"].reader.wait_until_warm(60)  # readyz started the warm-up
    second = client.get("/readyz")
    assert second.status_code == 200, second.get_json()
    checks = second.get_json()["checks"]
    assert all(check["ok"] for check in checks.values())
    assert checks["index_lag"]["changes"] == 0


def test_readyz_applies_a_change_another_process_committed(make_app, add_practice):
    app = make_app()
    client = app.test_client()
    with app.app_context():
        get_search().live(get_session())
    add_practice(title="A practice published by another worker")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["index_lag"] == {"ok": True, "changes": 0}


def test_while_the_neutralizer_is_fitted_readyz_and_the_api_say_so(make_app, add_practice,
                                                                   monkeypatch):
    add_practice(title="Shared lunch from many cuisines")
    release = threading.Event()
    real_fit = reader.fit_neutralizer

    def held_fit(*args):
        release.wait(30)
        return real_fit(*args)

    monkeypatch.setattr(reader, "fit_neutralizer", held_fit)
    app = make_app(SEARCH_NEUTRALIZER=True)
    client = app.test_client()
    try:
        found = client.get("/api/v1/search?q=cuisines").get_json()
        assert found["total"] == 1 and found["language_neutral"] is False
        not_ready = client.get("/readyz")
        assert not_ready.status_code == 503
        assert not_ready.get_json()["checks"]["neutralizer"] == {"ok": False}
    finally:
        release.set()
        with app.app_context():
            get_search().live(get_session()).wait_for_rebuild(120)
    assert client.get("/readyz").status_code == 200
    assert client.get("/api/v1/search?q=cuisines").get_json()["language_neutral"] is True
