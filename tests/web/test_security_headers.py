"""Every response carries the security headers (a CSP without inline script, nosniff, a
referrer policy, frame-ancestors; HSTS over HTTPS) and a request id that the logs share."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"

PAGES = ["/", "/search?q=garden", "/api/v1/search?q=garden", "/no-such-page",
         "/api/v1/practices/999", "/static/site.css", "/healthz", "/auth/login"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file's response holds the file open
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http, as in tests


def test_hsts_is_sent_when_the_site_is_served_over_https(app_config):
    secure = create_app({**app_config, "SESSION_COOKIE_SECURE": True})
    assert "max-age=" in secure.test_client().get("/").headers["Strict-Transport-Security"]
    proxied = create_app({**app_config, "PROXY_FIX_X_FOR": 1})
    response = proxied.test_client().get("/", headers={"X-Forwarded-Proto": "https",
                                                       "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" in response.headers
    for made in (secure, proxied):
        made.extensions["db_engine"].dispose()


def test_no_template_holds_inline_script_style_or_event_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style\b|\sstyle=|\son[a-z]+\s*=", re.I)
    # *_pdf.html documents are laid out by WeasyPrint, never served to a browser: the
    # Content-Security-Policy does not apply to them, and their print styles stay inline.
    found = [f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
             for path in TEMPLATES.rglob("*.html") if not path.name.endswith("_pdf.html")
             for match in inline.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_request_id_is_made_echoed_and_put_on_the_log_lines(client, caplog):
    with caplog.at_level(logging.INFO, logger="app.requests"):
        response = client.get("/search?q=garden")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert client.get("/").headers["X-Request-ID"] != request_id  # one per request
    line = next(r for r in caplog.records if r.name == "app.requests")
    assert line.request_id == request_id and line.status == 200 and line.path == "/search"


def test_the_proxys_request_id_is_kept_and_a_bad_one_replaced(client):
    given = client.get("/healthz", headers={"X-Request-ID": "nginx-7f3a9c"})
    assert given.headers["X-Request-ID"] == "nginx-7f3a9c"
    forged = client.get("/healthz", headers={"X-Request-ID": "a\u00e9\" <script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-ID"])


def test_log_lines_are_json_with_the_request_id(app):
    import json

    from app.request_log import JsonFormatter, RequestIdFilter

    record = logging.LogRecord("app.test", logging.WARNING, __file__, 1, "saved %s", ("x",),
                               None)
    with app.test_request_context("/", headers={"X-Request-ID": "abc-123"}):
        app.preprocess_request()
        RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "saved x" and entry["level"] == "WARNING"
    assert entry["request_id"] == "abc-123"
