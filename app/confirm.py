"""Asking before an action that cannot be undone, or that takes effect at once for many
people (withdraw, decline, archive, suspend an institution, deactivate an account, set a new
password, revoke an API token), without JavaScript.

The form posts as usual; unless it carries `confirmed=yes`, the view answers with a page that
says what will happen and repeats the posted form (as hidden fields, with a fresh CSRF token
and `confirmed=yes`) behind one button, with a way back. Nothing is changed until then. The
form's own checks still apply when it is confirmed (e.g. `expected_status`: a confirmation
page left open while someone else decided changes nothing).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request

CONFIRMED_FIELD = "confirmed"
_NOT_REPEATED = {"csrf_token", CONFIRMED_FIELD}


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says.

    Attributes:
        question: the page's heading, e.g. "Withdraw “Rain diary”?".
        consequence: what happens, and what cannot be undone.
        button: the label of the button that carries the action out.
        back_url: where "Cancel" leads (the page the form was on).
    """

    question: str
    consequence: str
    button: str
    back_url: str


def is_confirmed() -> bool:
    """Tell whether the posted form was sent from its confirmation page."""
    return request.form.get(CONFIRMED_FIELD) == "yes"


def ask(confirmation: Confirmation):
    """Return the confirmation page (status 200) repeating the posted form."""
    fields = [(name, value) for name, values in request.form.lists()
              if name not in _NOT_REPEATED for value in values]
    return render_template("confirm/confirm.html", confirmation=confirmation, fields=fields,
                           action=request.path, confirmed_field=CONFIRMED_FIELD)
