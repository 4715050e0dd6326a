"""Domain errors: one base class; app/errors.py maps each to one HTTP status.

Every message is a practices.i18n.Message (its English text, and the marked template and
values the web layer translates): str(error) is English, as the CLI and the API show it.
"""
from __future__ import annotations

from practices.i18n import N_, Message


class PracticeError(Exception):
    """Base class of every error the domain raises on purpose.

    Args:
        message: what went wrong, for a person (a Message; a plain str is shown untranslated).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(PracticeError):
    """The requested record does not exist (or is not visible to the caller)."""


class PermissionDenied(PracticeError):
    """The actor may not take this action on this record."""


class Conflict(PracticeError):
    """The request clashes with the stored state (a duplicate, a stale edit, a double submit)."""


class InvalidTransition(Conflict):
    """A workflow action is not allowed from the record's current status."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(Message(N_("cannot %(action)s a practice that is %(status)s"),
                                 action=action.replace("_", " "), status=status))
        self.action = action
        self.status = status


def no_practice(practice_id: int) -> NotFound:
    """Return the NotFound of a practice that does not exist (or that the actor may not see)."""
    return NotFound(Message("practice %(id)s does not exist", id=practice_id))


class ValidationError(PracticeError):
    """Input that breaks a rule; `errors` maps each field name to a message a person can act on.

    Args:
        errors: {field: message}; the field "" stands for the record as a whole.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in errors.items()))
        self.errors = dict(errors)
