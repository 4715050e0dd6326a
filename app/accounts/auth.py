"""Signing in and out: Flask-Login, the actor services act for, and the /auth pages.

The session cookie holds Flask-Login's user id, which is User.get_id() = "<id>:<version>".
practices.end_sessions (sign-out) and every password, role or activity change raise the
version, so each copy of an older cookie, a stolen one included, then loads nobody.
Authorization is not decided here: views pass current_actor() to the services, which check
practices.permissions.
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import InputRequired

from app.accounts import login_limits
from app.db import get_session
from app.redirects import safe_next
from practices import can, require
from practices.services import authenticate, end_sessions, load_user

login_manager = LoginManager()
bp = Blueprint("auth", __name__, url_prefix="/auth")

# Session keys that outlive signing in and out: preferences, never identity or CSRF state.
_KEPT_KEYS = ("ui_language",)
# Characters a browser strips or reads as a slash before resolving a URL: "/\evil" and
# "/\t/evil" both lead to another host in some browsers.


def init_app(app: Flask) -> None:
    """Set up Flask-Login, the sign-in rate limits and the templates' `can(...)`."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    # Flask-Login flashes the message into the session, which stores only plain strings.
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_limits.init_app(app, _sign_in)
    app.add_template_global(can, "can")
    app.after_request(_not_stored_when_signed_in)


def _not_stored_when_signed_in(response):
    # What a signed-in person is shown is theirs: no browser or proxy may keep a copy, or the
    # Back button shows the previous user's pages after sign-out (RFC 9111 no-store).
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


@login_manager.user_loader
def _load_user(session_id: str):
    return load_user(get_session(), session_id)


def current_actor():
    """Return who acts in this request, for the services' `actor=`.

    The signed-in practices User itself (not Flask-Login's proxy, so `actor is user` holds),
    or Flask-Login's anonymous user, whom practices.permissions refuses ("sign in to ...").
    """
    return current_user._get_current_object()


def permission_required(action: str):
    """Decorate a view: anonymous visitors are sent to sign in; signed-in users without
    permission for `action` (practices.PERMISSIONS) get 403 with the domain's reason."""

    def decorator(view):
        @wraps(view)
        @login_required
        def checked(*args, **kwargs):
            require(current_actor(), action)
            return view(*args, **kwargs)

        return checked

    return decorator


def start_session(user) -> None:
    """Sign `user` in on a renewed session: nothing stored before survives (no session
    fixation; a fresh CSRF token) except the interface preferences."""
    _clear_session()
    login_user(user)


def _clear_session() -> None:
    kept = {key: session[key] for key in _KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)


class LoginForm(FlaskForm):
    """E-mail address and password; `next` is where to go afterwards (checked by safe_next)."""

    email = EmailField(
        _l("E-mail address"), validators=[InputRequired(_l("Enter your e-mail address."))]
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])
    next = HiddenField()


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; on the right address and password, sign in and go on.

    Failed attempts are rate-limited (app/accounts/login_limits.py)."""
    return login_limits.attempt()


def _sign_in():
    form = LoginForm(next=safe_next(request.args.get("next")) or "")
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/login.html", form=form), status
    user = authenticate(get_session(), form.email.data, form.password.data)
    if user is None:
        # One message for both cases, so the page never tells whether an address has an account.
        form.form_errors.append(_("The e-mail address or the password is not right."))
        return render_template("auth/login.html", form=form), 422
    get_session().commit()  # last sign-in time, and a re-hash with current parameters
    start_session(user)
    flash(_("You are signed in as %(email)s.", email=user.email), "success")
    return redirect(safe_next(form.next.data) or url_for("find.home"))


@bp.post("/logout")
def logout():
    """Sign out: this session and every other session of the account end."""
    if current_user.is_authenticated:
        end_sessions(get_session(), current_actor())
        get_session().commit()
        logout_user()
    _clear_session()
    flash(_("You are signed out."), "success")
    return redirect(url_for("find.home"))
