"""A signed-in person's own account: profile, password, personal API tokens (/account)."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from app.accounts.auth import current_actor, start_session
from app.accounts.forms import (
    ConfirmForm,
    PasswordForm,
    ProfileForm,
    TokenForm,
    form_status,
    show_domain_errors,
)
from app.confirm import Confirmation, ask, is_confirmed
from app.db import get_session
from practices.errors import ValidationError
from practices.services import (
    change_password,
    create_token,
    list_tokens,
    request_confirmation,
    revoke_token,
    update_profile,
)

bp = Blueprint("account", __name__, url_prefix="/account")
# Every page here is someone's own: visitors who are not signed in are sent to sign in first.
bp.before_request(login_required(lambda: None))


@bp.route("", methods=["GET", "POST"])
def profile():
    """Show the account and let its holder change their name and e-mail address."""
    user = current_actor()
    form = ProfileForm(obj=user)
    if form.validate_on_submit() and _saved(form, _save_profile, user, form):
        flash(_("Your profile is saved."), "success")
        return redirect(url_for(".profile"))
    return render_template("account/profile.html", form=form, user=user), form_status(form)


@bp.route("/password", methods=["GET", "POST"])
def password():
    """Change one's password; every other session of the account ends, this one goes on."""
    user = current_actor()
    form = PasswordForm()
    if form.validate_on_submit() and _saved(
        form, change_password, get_session(), user, actor=user,
        current_password=form.current_password.data, new_password=form.new_password.data,
    ):  # fmt: skip
        start_session(user)  # the change ended every session, this one included
        flash(_("Your password is changed. Your other sessions are signed out."), "success")
        return redirect(url_for(".profile"))
    return render_template("account/password.html", form=form), form_status(form)


@bp.get("/tokens")
def tokens():
    """List the person's API tokens, with the form to create one."""
    return _tokens_page(TokenForm())


@bp.post("/tokens")
def new_token():
    """Create an API token and show its secret, this once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form), 422
    try:
        token, secret = create_token(get_session(), form.name.data, actor=current_actor())
    except ValidationError as exc:
        show_domain_errors(form, exc.errors)
        return _tokens_page(form), 422
    get_session().commit()
    response = make_response(render_template("account/token_created.html", token=token,
                                             secret=secret))
    # The secret must not be kept by the browser's or a proxy's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    """Revoke one of the person's tokens: the API refuses it from now on."""
    if not is_confirmed():
        mine = {t.id: t for t in list_tokens(get_session(), actor=current_actor())}
        if token_id in mine and not mine[token_id].is_revoked:
            return ask(Confirmation(
                _("Revoke the token “%(name)s”?", name=mine[token_id].name),
                _("Programs using it are refused from now on. This cannot be undone: to use "
                  "the API again, create a new token."),
                _("Revoke"), url_for(".tokens")))
    token = revoke_token(get_session(), token_id, actor=current_actor())
    get_session().commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for(".tokens"))


def _save_profile(user, form) -> None:
    before = user.email
    update_profile(get_session(), user.id, actor=user, name=form.name.data,
                   email=form.email.data)
    if user.email != before:  # a new address is confirmed by a link sent to it
        request_confirmation(get_session(), user, language=str(get_locale() or "en"),
                             hours=current_app.config["MAIL_CONFIRM_HOURS"])


def _tokens_page(form: TokenForm):
    items = list_tokens(get_session(), actor=current_actor())
    return render_template("account/tokens.html", form=form, tokens=items,
                           revoke_form=ConfirmForm())


def _saved(form, service, *args, **kwargs) -> bool:
    """Call the domain service and commit; False (messages on the form) when it refuses the
    input, in which case nothing was changed."""
    try:
        service(*args, **kwargs)
    except ValidationError as exc:
        show_domain_errors(form, exc.errors)
        return False
    get_session().commit()
    return True
