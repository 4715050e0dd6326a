"""Domain errors: one base class; app/errors.py maps each to one HTTP status."""
from __future__ import annotations


class PracticeError(Exception):
    """Base class of every error the domain raises on purpose."""


class NotFound(PracticeError):
    """The requested record does not exist (or is not visible to the caller)."""


class PermissionDenied(PracticeError):
    """The actor may not take this action on this record."""


class Conflict(PracticeError):
    """The request clashes with the stored state (a duplicate, a stale edit, a double submit)."""


class InvalidTransition(Conflict):
    """A workflow action is not allowed from the record's current status."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action.replace('_', ' ')} a practice that is {status}")
        self.action = action
        self.status = status


class ValidationError(PracticeError):
    """Input that breaks a rule; `errors` maps each field name to a message a person can act on.

    Args:
        errors: {field: message}; the field "" stands for the record as a whole.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in errors.items()))
        self.errors = dict(errors)
