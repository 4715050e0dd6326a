"""Workflow actions and comments sent from the pages: one POST form each, checked the same way.

Every form carries a CSRF token and the status it was made for (`expected_status`), so a
form sent twice, or from a page that has gone stale, changes nothing and says so ("already
..." on the practice's page). Actions that cannot be undone ask first (app/confirm.py). When an
action fails for a reason the person can act on (a missing note, a state that moved on) the
page the form came from is shown again with the message, with status 422 or 409; a refusal
(403) or an unknown practice (404) goes through app/errors.py like any other.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import HiddenField, TextAreaField

from app.accounts.auth import current_actor
from app.confirm import Confirmation, ask, is_confirmed
from app.db import get_session
from app.labels.translate import describe, translated_errors
from app.labels.vocab import action_label
from app.labels.workflow import CONFIRM, already_message, confirm_words, done_message
from app.search import get_writer
from practices import TRANSITIONS, require
from practices.errors import Conflict, ValidationError
from practices.services import add_comment, get_practice, transition, view_practice

# The route of each workflow action (practices.workflow.TRANSITIONS), by endpoint. A test
# checks that every transition has one, that it answers POST only, and a permission rule.
ACTION_ENDPOINTS = {
    "submit": "workspace.submit",
    "withdraw": "workspace.withdraw",
    "request_changes": "review.request_changes",
    "publish": "review.publish",
    "decline": "review.decline",
    "promote": "curation.promote",
    "flag_for_policy": "curation.flag",
    "archive": "curation.archive",
}


class ActionForm(FlaskForm):
    """A workflow action's form: an optional or required note, and the status it was made for."""

    note = TextAreaField(_l("Note"))
    expected_status = HiddenField()


class CommentForm(FlaskForm):
    """A message to the practice's conversation thread."""

    body = TextAreaField(_l("Your message"))


@dataclass(frozen=True)
class Problem:
    """Why a form sent from a page changed nothing: shown on the page it came from.

    Attributes:
        form: the action name, or "comment".
        message: the sentence shown at the top of the page.
        fields: {field name: message} shown next to the form's fields.
    """

    form: str
    message: str
    fields: dict[str, str]


# Shows a practice's page again: page(practice_id, problem) -> a rendered page.
PageRenderer = Callable[[int, Problem], str]


def take_action(
    practice_id: int,
    action: str,
    page: PageRenderer,
    done_url: str,
    here: str,
    explain: Callable[[str, ValidationError], Problem] | None = None,
):
    """Carry out workflow `action` from a posted ActionForm, commit, and go to `done_url`.

    When the practice has already left the status the form was made for (the form was sent
    twice, or someone else decided first) nothing changes: the person is sent back to the
    practice's page `here` with "already ..." (never an error page). On a missing note, or a
    refusal the person can act on, `page` is shown again (422 / 409) with nothing changed;
    `explain(action, error)` words a ValidationError's problem when the default (each
    message, translated) would not say enough (e.g. the fields a submission misses).
    """
    form = ActionForm()
    expected = expected_status(form)
    if action in CONFIRM and not is_confirmed():
        asked = _ask_first(practice_id, action, form, expected, here)
        if asked is not None:
            return asked
    session = get_session()
    get_writer().prepare_action(session, practice_id, action)  # encodes before writing
    try:
        practice = transition(
            session, practice_id, action, actor=current_actor(),
            note=form.note.data or "", expected_status=expected,
        )  # fmt: skip
    except ValidationError as exc:
        session.rollback()
        problem = (explain(action, exc) if explain is not None else
                   Problem(action, _l("Nothing was changed."), translated_errors(exc.errors)))
        return page(practice_id, problem), 422
    except Conflict as exc:
        session.rollback()
        return (already_done(practice_id, expected, here)
                or (page(practice_id, Problem(action, describe(exc), {})), 409))
    done = done_message(action, practice.title)  # read before the commit, which may fail
    session.commit()
    flash(done, "success")
    return redirect(done_url, 303)


def _ask_first(practice_id: int, action: str, form: ActionForm, expected: str, here: str):
    # The confirmation page, only for a form that would be carried out: a refusal, a form
    # overtaken by another decision or a missing note is answered at once, as without it.
    actor = current_actor()
    practice = view_practice(get_session(), practice_id, actor=actor)
    require(actor, action, practice)
    if practice.review_status != expected:
        return already_done(practice_id, expected, here)
    if TRANSITIONS[action].needs_note and not (form.note.data or "").strip():
        return None
    title = (practice.pending_revision or practice).title
    question, consequence = confirm_words(action, title)
    return ask(Confirmation(question, consequence, action_label(action), here))


def post_comment(practice_id: int, page: PageRenderer, done_url: str):
    """Add a posted CommentForm to the practice's thread, commit, and go to `done_url`."""
    form = CommentForm()
    session = get_session()
    try:
        add_comment(session, practice_id, form.body.data or "", actor=current_actor())
    except ValidationError as exc:
        session.rollback()
        problem = Problem("comment", _l("Nothing was sent."), translated_errors(exc.errors))
        return page(practice_id, problem), 422
    except Conflict as exc:  # sent twice: it is in the thread once
        session.rollback()
        flash(_("Nothing was sent: %(reason)s.", reason=describe(exc).rstrip(".")), "info")
        return redirect(done_url, 303)
    session.commit()
    flash(_l("Your message was added to the conversation."), "success")
    return redirect(done_url, 303)


def already_done(practice_id: int, expected: str, here: str):
    """Return a redirect to `here` saying "nothing was changed: it is now <status>" when the
    practice has left the status `expected` a refused form was made for (sent twice, or
    another person decided first); None when it has not (the refusal has another reason)."""
    current = get_practice(get_session(), practice_id).review_status
    if current == expected:
        return None
    flash(already_message(current), "info")
    return redirect(here, 303)


def expected_status(form) -> str:
    """Return the status a posted form was made for (its hidden expected_status).

    Raises:
        BadRequest: the form has none (every form of the pages has one).
    """
    # Every action form of the pages carries it; a form without one was not made by them.
    expected = (form.expected_status.data or "").strip()
    if not expected:
        raise BadRequest("the form is incomplete (no expected_status): reload the page")
    return expected


def action_url(action: str, practice_id: int) -> str:
    """Return the address a workflow action's form posts to (or its page's, for promote)."""
    return url_for(ACTION_ENDPOINTS[action], practice_id=practice_id)
