"""Accounts and administration: signing in and out (auth), a person's own account (account),
accounts and memberships for administrators (admin), the audit log (audit)."""
from __future__ import annotations

from flask import Flask

from app.accounts import auth


def init_app(app: Flask) -> None:
    """Set up signing in (Flask-Login, rate limits); the blueprints are registered by
    app.register_blueprints."""
    auth.init_app(app)
