"""Security headers on every response (OWASP Secure Headers Project's recommendations).

The Content-Security-Policy allows scripts and styles from this site's own files only: the
templates hold no inline script, no inline style and no event-handler attribute (a test walks
the templates), so an injected `<script>` or `onerror=` in user text would not run even if the
Markdown sanitiser (practices/rendering.py) let one through. `frame-ancestors 'none'` (and
X-Frame-Options for older browsers) keeps the pages out of other sites' frames (clickjacking).
HSTS is sent when the site is served over HTTPS (SESSION_COOKIE_SECURE, or the request itself
came over https: behind a proxy, with PROXY_FIX_X_FOR set).
"""
from __future__ import annotations

from flask import Flask, current_app, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}

HSTS = "max-age=31536000; includeSubDomains"  # one year, as the HSTS preload list asks


def init_app(app: Flask) -> None:
    """Add the security headers to every response of `app`."""
    app.after_request(add_security_headers)


def add_security_headers(response):
    """Set HEADERS (unless a view set its own) and HSTS when served over HTTPS."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
