"""What every page shares: CSRF protection and the interface language (Babel), with its chooser.

The interface language is one of the six UN languages (app/labels/interface_language.py): the
signed-in user's choice, else the visitor's (a cookie), else the best match of their browser's
Accept-Language; English is the source.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in
from flask_wtf.csrf import CSRFError, CSRFProtect

from app.db import get_session
from app.errors import wants_json
from app.labels import display
from app.labels.interface_language import (
    COOKIE,
    COOKIE_MAX_AGE,
    DEFAULT,
    INTERFACE_LANGUAGES,
    interface_language,
    negotiate,
)
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
    user_logged_in.connect(_adopt_browser_language, app)
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
    """Return the interface languages (BCP 47 tags of the six UN languages, sorted)."""
    return list(INTERFACE_LANGUAGES)


def select_locale() -> str:
    """Return the interface language of this request: the one chosen in this browser (the
    cookie), else the signed-in user's, else Accept-Language, else English (outside a
    request: English)."""
    if not has_request_context():
        return DEFAULT
    user = current_user if current_user and current_user.is_authenticated else None
    return negotiate(user, request.cookies.get(COOKIE), request.accept_languages.values())


def _adopt_browser_language(_app, user) -> None:
    # An account that has no language yet takes the one its holder uses the site in: chosen
    # in this browser before signing in (the cookie), else the browser's own (Accept-Language),
    # so that e-mails to them speak it, not MAIL_DEFAULT_LANGUAGE (a school that applied and
    # works in Arabic was written to in English). Sign-in is a POST: it may write.
    if interface_language(user.ui_language):
        return
    chosen = interface_language(request.cookies.get(COOKIE)) or next(
        filter(None, map(interface_language, request.accept_languages.values())), None)
    if chosen:
        user.ui_language = chosen
        get_session().commit()


# A plain link (GET) rather than a form: a language preference is harmless to set from another
# site, and links need no CSRF token on every page (so pages stay cacheable). A GET changes no
# database row, so the signed-in user's footer posts its choice to save_ui_language instead.
@bp.get("/interface-language/<language>")
def choose_ui_language(language: str):
    """Remember the visitor's interface language (a cookie) and go back to the page they
    came from. A tag that is not one of the six gets 404, in the current language."""
    return _remember(_chosen(language), save=False)


@bp.post("/interface-language")
def save_ui_language():
    """Remember the interface language posted as `language` (a cookie, and for a signed-in
    user their account, which e-mails follow too) and go back to `next`."""
    return _remember(_chosen(request.form.get("language", "")),
                     save=current_user.is_authenticated)


def _chosen(language: str) -> str:
    chosen = interface_language(language)
    if chosen is None or language.lower() != chosen:
        abort(404, _("“%(tag)s” is not a language of this interface. It speaks: %(languages)s.",
                     tag=language,
                     languages=", ".join(f"{display.autonym(code)} ({code})"
                                         for code in INTERFACE_LANGUAGES)))
    return chosen


def _remember(chosen: str, save: bool):
    if save:
        current_user.ui_language = chosen
        get_session().commit()
    target = request.form.get("next") if request.method == "POST" else request.args.get("next")
    response = redirect(safe_next(target) or url_for("find.home"))
    response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def _page_context() -> dict:
    ui = str(get_locale() or "en")
    return {
        "ui_language": ui,
        "ui_direction": display.text_direction(ui),
        "ui_languages": ui_languages(),
    }
