"""Administration (/admin): accounts for administrators, membership statuses for curators and
administrators (who may do what is practices.PERMISSIONS' "manage_users" and "set_membership").

Generated passwords are shown once, on the response to the POST that made them, never stored
in the session (a signed cookie is readable by its holder) and never cached.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from app.accounts.auth import current_actor, permission_required
from app.accounts.forms import (
    ActiveForm,
    ConfirmForm,
    InstitutionFilterForm,
    MembershipForm,
    NewUserForm,
    ScopeForm,
    UserFilterForm,
    form_status,
    show_domain_errors,
)
from app.bounds import page_number
from app.confirm import Confirmation, ask, is_confirmed
from app.db import get_session
from app.labels.vocab import membership_label
from app.redirects import safe_next
from practices.errors import ValidationError
from practices.passwords import generate_password
from practices.roles import Membership
from practices.services import (
    Page,
    create_user,
    get_institution,
    get_user,
    list_institutions,
    list_users,
    request_confirmation,
    set_active,
    set_membership,
    set_password,
    set_role,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(login_required(lambda: None))
USERS_PER_PAGE = 50
INSTITUTIONS_PER_PAGE = 100


@bp.get("/users")
@permission_required("manage_users")
def users():
    """List accounts, filtered by role and by text in the address or name, 50 a page."""
    filters = UserFilterForm(request.args)
    filters.validate()
    results = list_users(
        get_session(), actor=current_actor(), role=_chosen(filters.role),
        query=filters.q.data or None, page=_page(), per_page=USERS_PER_PAGE,
    )  # fmt: skip
    return render_template("admin/users.html", filters=filters, results=results)


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required("manage_users")
def new_user():
    """Create an account with a generated password, shown once to pass on to its holder."""
    form = NewUserForm()
    if not form.validate_on_submit():
        return render_template("admin/user_new.html", form=form), form_status(form)
    secret = generate_password()
    try:
        user = create_user(
            get_session(), form.email.data, form.role.data, password=secret,
            name=form.name.data or "", institution_id=form.institution_id.data,
            country=form.country.data or None, actor=current_actor(),
        )  # fmt: skip
    except ValidationError as exc:
        show_domain_errors(form, exc.errors)
        return render_template("admin/user_new.html", form=form), 422
    # The new holder confirms their address by a link (in the administrator's language).
    request_confirmation(get_session(), user, language=str(get_locale() or "en"),
                         hours=current_app.config["MAIL_CONFIRM_HOURS"])
    get_session().commit()
    return _password_page(user, secret, created=True)


@bp.get("/users/<int:user_id>")
@permission_required("manage_users")
def user(user_id: int):
    """Show an account with the forms that change its role, activity and password."""
    account = get_user(get_session(), user_id, actor=current_actor())
    return _user_page(account, ScopeForm(obj=account))


@bp.post("/users/<int:user_id>/role")
@permission_required("manage_users")
def user_role(user_id: int):
    """Give an account a role and scope; its sessions end (it signs in again)."""
    account = get_user(get_session(), user_id, actor=current_actor())
    form = ScopeForm()
    if not form.validate_on_submit():
        return _user_page(account, form), 422
    try:
        set_role(get_session(), user_id, form.role.data, actor=current_actor(),
                 institution_id=form.institution_id.data, country=form.country.data or None)
    except ValidationError as exc:  # raised before anything changed
        show_domain_errors(form, exc.errors)
        return _user_page(account, form), 422
    get_session().commit()
    flash(_("The role of %(email)s is saved; they sign in again to use it.",
            email=account.email), "success")
    return redirect(url_for(".user", user_id=user_id))


@bp.post("/users/<int:user_id>/active")
@permission_required("manage_users")
def user_active(user_id: int):
    """Activate or deactivate an account (deactivated: no sign-in, no API use)."""
    form = ActiveForm()
    if not form.validate_on_submit():
        account = get_user(get_session(), user_id, actor=current_actor())
        return _user_page(account, ScopeForm(obj=account), active_form=form), 422
    active = form.active.data == "1"
    if not active and not is_confirmed():
        account = get_user(get_session(), user_id, actor=current_actor())
        return ask(Confirmation(
            _("Deactivate the account of %(email)s?", email=account.email),
            _("They are signed out everywhere at once, and can neither sign in nor use their "
              "API tokens until the account is activated again."),
            _("Deactivate the account"), url_for(".user", user_id=user_id)))
    account = set_active(get_session(), user_id, active, actor=current_actor())
    get_session().commit()
    if active:
        flash(_("%(email)s is active.", email=account.email), "success")
    else:
        flash(_("%(email)s is deactivated.", email=account.email), "success")
    return redirect(url_for(".user", user_id=user_id))


@bp.post("/users/<int:user_id>/password")
@permission_required("manage_users")
def user_password(user_id: int):
    """Give an account a new generated password (shown once); its sessions end."""
    if not is_confirmed():
        account = get_user(get_session(), user_id, actor=current_actor())
        return ask(Confirmation(
            _("Set a new password for %(email)s?", email=account.email),
            _("Their current password stops working at once and they are signed out "
              "everywhere. The new password is shown to you once, to pass on to them."),
            _("Set a new password"), url_for(".user", user_id=user_id)))
    secret = generate_password()
    account = set_password(get_session(), user_id, secret, actor=current_actor())
    get_session().commit()
    return _password_page(account, secret, created=False)


@bp.get("/institutions")
@permission_required("set_membership")
def institutions():
    """List institutions with their membership status, by country and status, 100 a page."""
    filters = InstitutionFilterForm(request.args)
    filters.validate()
    country, membership = (_chosen(field) for field in (filters.country, filters.membership))
    found = list_institutions(get_session(), actor=current_actor(), country=country,
                              membership=membership)
    page = min(_page(), max(1, -(-len(found) // INSTITUTIONS_PER_PAGE)))  # at most the last
    start = (page - 1) * INSTITUTIONS_PER_PAGE
    results = Page(found[start:start + INSTITUTIONS_PER_PAGE], len(found), page,
                   INSTITUTIONS_PER_PAGE)
    return render_template("admin/institutions.html", results=results, filters=filters,
                           form=MembershipForm())


@bp.post("/institutions/<int:institution_id>/membership")
@permission_required("set_membership")
def institution_membership(institution_id: int):
    """Certify, suspend or reinstate an institution (suspended: its practices leave search)."""
    form = MembershipForm()
    if not form.validate_on_submit():
        flash(_("The membership was not changed: %(problems)s",
                problems=" ".join(m for ms in form.errors.values() for m in ms)), "error")
        return redirect(url_for(".institutions"))
    back = safe_next(request.form.get("back")) or url_for(".institutions")
    if form.membership.data == Membership.SUSPENDED and not is_confirmed():
        institution = get_institution(get_session(), institution_id, actor=current_actor())
        if institution.membership != Membership.SUSPENDED:
            return ask(Confirmation(
                _("Suspend “%(name)s”?", name=institution.name),
                _("Its practices leave search, the public pages and the feeds at once, in "
                  "every language, until it is reinstated; none of them can be published "
                  "meanwhile."),
                _("Suspend"), back))
    institution = set_membership(get_session(), institution_id, form.membership.data,
                                 actor=current_actor(), note=form.note.data or "")
    get_session().commit()
    flash(_("%(name)s is now: %(status)s.", name=institution.name,
            status=membership_label(institution.membership)), "success")
    return redirect(back)


def _user_page(account, scope_form, active_form=None):
    return render_template("admin/user.html", account=account, form=scope_form,
                           active_form=active_form or ActiveForm(), reset_form=ConfirmForm())


def _password_page(account, secret: str, *, created: bool):
    page = render_template("admin/password.html", account=account, secret=secret,
                           created=created)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page() -> int:
    return page_number(request.args)


def _chosen(field) -> str | None:
    # A filter left at "any", or set to something not offered (an edited URL), filters nothing.
    return (field.data or None) if not field.errors else None
