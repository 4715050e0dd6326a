"""The app factory: fails fast without a secret, and trusts forwarded addresses only when told."""
import pytest
from flask import request

from app import create_app


def test_the_app_refuses_to_start_without_a_secret_key(app_config):
    config = {**app_config, "TESTING": False, "SECRET_KEY": None}

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


@pytest.mark.parametrize(("hops", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_forwarded_client_addresses_count_only_behind_a_declared_proxy(app_config, hops, seen):
    app = create_app({**app_config, "PROXY_FIX_X_FOR": hops})
    app.add_url_rule("/_address", "address", lambda: request.remote_addr)

    response = app.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.7"})

    assert response.text == seen
    app.extensions["db_engine"].dispose()
