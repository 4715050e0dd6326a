"""The pages' own words about the review workflow: what each action did, what a status means
for the school, the hints next to a note, the recognition badges. (The names of the actions
and statuses are the domain's: practices.workflow, shown through app.labels.vocab.)

The actions are practices.workflow.TRANSITIONS' names; a test checks that every transition
has a confirmation here.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.labels.vocab import status_label
from practices.workflow import Status

# Shown after the action succeeded; %(title)s is the practice's title.
DONE = {
    "submit": _l("“%(title)s” was submitted for review."),
    "withdraw": _l("“%(title)s” was withdrawn."),
    "request_changes": _l("Changes to “%(title)s” were requested; the school has your note."),
    "publish": _l("“%(title)s” was published."),
    "decline": _l("“%(title)s” was declined; the school has your note."),
    "promote": _l("“%(title)s” is now a promising practice."),
    "flag_for_policy": _l("“%(title)s” was flagged for policy dissemination."),
    "archive": _l("“%(title)s” was archived."),
}

# Asked first (app/confirm.py) for the actions that cannot be undone; %(title)s is the
# practice's title. The button repeats the action's name.
CONFIRM = {
    "withdraw": (_l("Withdraw “%(title)s”?"),
                 _l("Nobody will review it. This cannot be undone: what is withdrawn stays "
                    "withdrawn.")),
    "decline": (_l("Decline “%(title)s”?"),
                _l("The school receives your note. This cannot be undone: what is declined "
                   "stays declined.")),
    "archive": (_l("Archive “%(title)s”?"),
                _l("It leaves the public pages, search and feeds for good. This cannot be "
                   "undone.")),
}

# What the note of an action is for, next to its text box.
NOTE_HINTS = {
    "request_changes": _l("Say what the school should change; they read it in the conversation."),
    "decline": _l("Say why; the school reads it in the conversation."),
}

# What a status means for the school, and what it can do next.
NEXT_STEPS = {
    Status.DRAFT: _l("Only your school sees this draft. Submit it for review when it is ready."),
    Status.SUBMITTED: _l(
        "Your National Coordinator is reviewing it; it cannot be changed meanwhile. "
        "You can still withdraw it."
    ),
    Status.CHANGES_REQUESTED: _l(
        "The reviewer asked for changes (see the conversation). Edit it, then submit it again."
    ),
    Status.PUBLISHED: _l("Published: teachers find it in search, in every language."),
    Status.PROMISING: _l("Selected by the ASPnet curators as a promising practice."),
    Status.FLAGGED_FOR_POLICY: _l(
        "A promising practice, flagged by the curators for policy dissemination."
    ),
    Status.WITHDRAWN: _l("Withdrawn: it will not be reviewed."),
    Status.DECLINED: _l("Declined: the reviewer's reasons are in the conversation."),
    Status.ARCHIVED: _l("Archived: it is no longer shown to the public."),
}

# Public statuses shown as badges on search results and practice pages. A practice flagged
# for policy is still a promising one, so it carries both badges (as in the search filter).
_BADGES = {
    Status.PROMISING: (Status.PROMISING,),
    Status.FLAGGED_FOR_POLICY: (Status.PROMISING, Status.FLAGGED_FOR_POLICY),
}


def done_message(action: str, title: str) -> str:
    """Return the confirmation shown after `action` succeeded on a practice titled `title`."""
    return str(DONE[action]) % {"title": title}


def confirm_words(action: str, title: str) -> tuple[str, str]:
    """Return (question, consequence) asked before `action` on a practice titled `title`."""
    question, consequence = CONFIRM[action]
    return str(question) % {"title": title}, str(consequence)


def next_steps(status: str) -> str:
    """Return what a status means for the school (empty for an unknown status)."""
    return str(NEXT_STEPS.get(status, ""))


def badges(practice) -> list[tuple[str, str]]:
    """Return the recognition badges of a practice as (status code, label), maybe none."""
    return [(str(code), status_label(code)) for code in _BADGES.get(practice.status, ())]


def already_message(status: str) -> str:
    """Return the message of a form sent for a status the practice has left."""
    return _(
        "Nothing was changed: this practice is now “%(status)s”. The page was out of date, "
        "or the form was sent twice. Here is its current state.",
        status=status_label(status),
    )
