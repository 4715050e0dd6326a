"""Practice Exchange web application: the composition root (the only package importing Flask)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from app.config import DefaultConfig


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the application.

    Cheap by design: no model or index is loaded here; search builds them on first use.

    Args:
        config: overrides applied last (tests pass a mapping, as in flaskr).

    Raises:
        RuntimeError: SECRET_KEY is missing outside TESTING/DEBUG.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)  # instance/config.py, local only
    app.config.from_prefixed_env()  # FLASK_SECRET_KEY, FLASK_DATABASE_URL, ...
    if config is not None:
        app.config.update(config)
    _require_secret_key(app)
    os.makedirs(app.instance_path, exist_ok=True)
    _fill_instance_defaults(app)
    _trust_proxies(app)

    from app import accounts, bounds, cli, db, errors, jobs, labels, mail, metrics, search, site

    _serve_in_production(app)  # clean exits, request ids, security headers, metrics
    sessions = db.init_app(app)  # engine and per-request session
    found = search.init_app(app, sessions)  # reader, writer, maintenance; loaded on first use
    # A commit also encodes changed text, writes its vectors and a change row for every
    # process's index (app/search/writer.py); then this process's index catches up.
    found.writer.install(sessions, after_commit=found.reader.catch_up_after_commit)
    mail.init_app(app, sessions)  # Flask-Mailman; the outbox is sent after commits, never inside
    errors.init_app(app)  # one table: domain error -> HTTP status; error pages
    site.init_app(app)  # CSRF on pages, interface language (Babel)
    labels.init_app(app)  # how codes, statuses and roles are shown in templates
    accounts.init_app(app)  # signing in (Flask-Login) and its rate limits
    bounds.init_app(app)  # every <int:...> of every route bounded to the 32-bit id columns
    jobs.init_app(app)  # background jobs: RQ when REDIS_URL is set, else a thread here
    register_blueprints(app)
    metrics.init_app(app)  # /metrics: request and search latency, index lag, queue depth
    cli.init_app(app)  # flask db / practices / search-index / users
    return app


def register_blueprints(app: Flask) -> None:
    """Register every blueprint of the app, grouped by who uses it (URL prefix in comments)."""
    from app import api, health, site
    from app.accounts import account, admin, audit, auth, join, recovery
    from app.curation import briefs, curated
    from app.curation import pages as curation
    from app.harvesting import oai, records
    from app.mail import pages as mail
    from app.monitoring import pages as monitoring
    from app.monitoring import reports, uptake
    from app.public import catalog, feeds, files, find
    from app.review import history, imports
    from app.review import pages as review
    from app.workspace import attachments, partners, submit
    from app.workspace import pages as workspace

    blueprints = (
        site.bp,  # /interface-language/<language>
        health.bp,  # /healthz, /readyz (process managers and load balancers)
        # Public pages: anyone, signed in or not.
        find.bp,  # / and /search
        catalog.bp,  # /practices/<id>
        feeds.bp,  # /feeds
        files.bp,  # /practices/<id>/files/<file id>/<name>
        # For machines: OAI-PMH, sitemap.xml, robots.txt, citations of public practices.
        oai.bp,  # /oai
        records.bp,  # /sitemap.xml, /robots.txt, /practices/<id>/cite.bib|.json
        # The school's workspace.
        submit.bp,  # /submit, /my/practices/<id>/edit
        workspace.bp,  # /my
        attachments.bp,  # /my/practices/<id>/files
        partners.bp,  # /my/partners
        uptake.bp,  # /my/practices/<id>/adapted-from
        # Review (National Coordinators and curators) and the history the school sees too.
        review.bp,  # /review
        history.bp,  # /practices/<id>/revisions
        imports.bp,  # /imports (curators, and National Coordinators for their country)
        # Curation (curators).
        curation.bp,  # /curation
        curated.bp,  # /curation/curated
        briefs.bp,  # /curation/briefs
        # Monitoring (National Coordinators: their country; curators: the network).
        monitoring.bp,  # /monitoring
        reports.bp,  # /monitoring/countries/<code>/report/<year>
        # Accounts and administration.
        auth.bp,  # /auth
        account.bp,  # /account
        admin.bp,  # /admin
        audit.bp,  # /audit
        join.bp,  # /join (public), /applications, /institutions/new
        recovery.bp,  # /auth/forgot, /auth/reset/<token>, /auth/confirm/<token>
        mail.bp,  # /mail/unsubscribe/<token>, /account/email, /admin/outbox
        # The JSON API for programs.
        api.bp,  # /api/v1
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _serve_in_production(app: Flask) -> None:
    # What running as the network's service needs (README, Production).
    from app import background, request_log, security_headers

    background.init_app(app)  # background threads end before the process; SIGTERM exits 0
    request_log.init_app(app)  # X-Request-ID on every request, response and log line
    security_headers.init_app(app)  # CSP without inline script, nosniff, HSTS over HTTPS


def _require_secret_key(app: Flask) -> None:
    # Sessions and CSRF tokens are signed with it: refuse to start with none (cookiecutter-flask).
    if not app.config.get("SECRET_KEY") and not (app.testing or app.debug):
        raise RuntimeError(
            "SECRET_KEY is not set: export FLASK_SECRET_KEY or put SECRET_KEY in instance/config.py"
        )


def _trust_proxies(app: Flask) -> None:
    # Client address and scheme come from X-Forwarded-* only when proxies are declared.
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _fill_instance_defaults(app: Flask) -> None:
    # Paths that default to the instance folder are resolved here, once.
    inst = app.instance_path
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(inst, "practice_exchange.db")
    if not app.config.get("EMBEDDING_MODEL_PATH"):
        app.config["EMBEDDING_MODEL_PATH"] = os.path.join(inst, "models", "multilingual-e5-small")
    if not app.config.get("MAIL_OUTBOX_DIR"):
        app.config["MAIL_OUTBOX_DIR"] = os.path.join(inst, "outbox")
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = os.path.join(inst, "search_index")
    if not app.config.get("ATTACHMENTS_DIR"):
        app.config["ATTACHMENTS_DIR"] = os.path.join(inst, "attachments")
