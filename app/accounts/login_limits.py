"""Rate limits on sign-in attempts (Flask-Limiter): per client address and per account.

Only failed attempts count (any answer but the redirect of a successful sign-in), so a school
whose teachers all sign in from one address is not slowed down by its own success. The limits
come from LOGIN_RATE_LIMIT_PER_IP and LOGIN_RATE_LIMIT_PER_ACCOUNT and are kept in
RATELIMIT_STORAGE_URI: "memory://" counts per process, so production with several worker
processes uses Redis ("redis://127.0.0.1:6379") to share the counts.

Each app gets its own Limiter: Flask-Limiter keeps its storage and its on/off switch on the
extension object, and tests make many apps with different settings. Its limits on a function
are checked when the decorated function runs, so each app keeps its own decorated sign-in
function, which the route calls through `attempt()`.
"""
from __future__ import annotations

import math
import time

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from practices.services import normalise_email


def init_app(app: Flask, sign_in) -> None:
    """Limit the failed POSTs that reach `sign_in` (a view function) and show a page saying
    when to try again."""
    limiter = Limiter(get_remote_address, headers_enabled=True)
    limiter.init_app(app)
    app.extensions["login_limiter"] = limiter
    if limiter.enabled:
        failed = _failed_attempt
        sign_in = limiter.limit(
            _per_ip, methods=["POST"], deduct_when=failed, scope="login-ip"
        )(sign_in)
        sign_in = limiter.limit(
            _per_account, key_func=account_key, methods=["POST"], deduct_when=failed,
            scope="login-account",
        )(sign_in)  # fmt: skip
    app.extensions["login_attempt"] = sign_in
    app.register_error_handler(RateLimitExceeded, _too_many_attempts)


def attempt():
    """Run this app's rate-limited sign-in view for the current request."""
    return current_app.extensions["login_attempt"]()


def _per_ip() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_PER_IP"]


def _per_account() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"]


def _failed_attempt(response) -> bool:
    return response.status_code != 302


def account_key() -> str:
    """Return the rate-limit key of the account a sign-in attempt names (its address)."""
    typed = request.form.get("email", "")
    try:
        return "account:" + normalise_email(typed)
    except ValueError:
        return "account:" + typed.strip().lower()[:254]


def _too_many_attempts(exc: RateLimitExceeded):
    limiter = current_app.extensions["login_limiter"]
    current = limiter.current_limit
    seconds = current.reset_at - time.time() if current else exc.limit.limit.get_expiry()
    minutes = max(1, math.ceil(seconds / 60))
    return render_template("auth/too_many_attempts.html", minutes=minutes), 429
