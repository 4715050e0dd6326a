"""What every page shares: CSRF protection and the interface language (Babel), with its chooser.

The interface language is the visitor's choice (kept in the session) or else the best match of
their browser's Accept-Language among the catalogues in app/translations; English is the source.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from app.errors import wants_json
from app.labels import display
from app.redirects import safe_next

csrf = CSRFProtect()
babel = Babel()
bp = Blueprint("web", __name__)


def init_app(app: Flask) -> None:
    """Check CSRF tokens on every page's form and choose each request's interface language."""
    # The JSON API authenticates with bearer tokens, not the session cookie, so cross-site
    # requests cannot borrow a visitor's credentials there: CSRF is checked on pages only.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.before_request(_protect_pages)
    app.register_error_handler(CSRFError, _explain_csrf_error)
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(_page_context)


# Endpoints whose POST carries its own proof instead of a CSRF token (a signed token in the
# URL, e.g. RFC 8058 one-click unsubscribe, posted by mail programs without cookies).
_CSRF_EXEMPT: set[str] = set()
# OAI-PMH harvesters POST their requests (the protocol allows it); no session is involved.
_NO_CSRF_PATHS = ("/oai",)


def exempt_from_csrf(endpoint: str) -> None:
    """Let POSTs to `endpoint` through without a CSRF token (its URL must carry the proof)."""
    _CSRF_EXEMPT.add(endpoint)


def _protect_pages() -> None:
    if request.endpoint in _CSRF_EXEMPT or request.path in _NO_CSRF_PATHS:
        return
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not wants_json():
        csrf.protect()


def _explain_csrf_error(exc: CSRFError):
    if not current_user.is_authenticated and request.endpoint != "auth.login":
        # A form of a page shown before the visitor signed out (or the session expired): its
        # token belonged to that session. Say so, and come back to that page after signing in.
        flash(_("Your session has ended (you signed out, or it expired), so the form was not "
                "sent. Sign in again, then send it again."), "info")
        return redirect(url_for("auth.login", next=_page_sent_from()), 303)
    message = _(
        "The form could not be sent because its security check failed (%(reason)s). "
        "Go back, reload the page and send the form again.",
        reason=(exc.description or "").rstrip("."),
    )
    return render_template("errors/error.html", status=400, message=message), 400


def _page_sent_from() -> str | None:
    # The page the form was on, when it is one of ours (the Referer header is a full URL).
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def ui_languages() -> list[str]:
    """Return the interface languages: English plus every compiled catalogue, sorted."""
    found = {str(locale) for locale in babel.list_translations()}
    return sorted(found | {"en"})


def select_locale() -> str:
    """Return the interface language of this request (session choice, else Accept-Language)."""
    chosen = session.get("ui_language")
    if chosen in ui_languages():
        return chosen
    return request.accept_languages.best_match(ui_languages()) or "en"


# A plain link (GET) rather than a form: a language preference is harmless to set from another
# site, and links need no CSRF token on every page (so pages stay cacheable).
@bp.get("/interface-language/<language>")
def choose_ui_language(language: str):
    """Remember the visitor's interface language and go back to the page they came from."""
    if language in ui_languages():
        session["ui_language"] = language
    return redirect(safe_next(request.args.get("next")) or url_for("find.home"))


def _page_context() -> dict:
    ui = str(get_locale() or "en")
    return {
        "ui_language": ui,
        "ui_direction": display.text_direction(ui),
        "ui_languages": ui_languages(),
    }
