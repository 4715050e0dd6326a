"""The Practice Exchange domain: models, validation, workflow, permissions and services.
Never imports Flask.

The names below are the domain's shared vocabulary. The services (functions taking a Session
and an actor) are in practices.services; the models in practices.models; the errors in
practices.errors; import and export formats in practices.records.
"""
from practices.permissions import PERMISSIONS, available_actions, can, require
from practices.rendering import plain_text, render_markdown
from practices.roles import Membership, Role
from practices.search_text import SearchText, search_text
from practices.validation import (
    InstitutionData,
    PracticeData,
    require_complete,
    validate_draft,
    validate_practice,
)
from practices.workflow import PUBLIC_STATUSES, TRANSITIONS, Status

__all__ = [
    "PERMISSIONS",
    "PUBLIC_STATUSES",
    "TRANSITIONS",
    "InstitutionData",
    "Membership",
    "PracticeData",
    "Role",
    "SearchText",
    "Status",
    "available_actions",
    "can",
    "plain_text",
    "render_markdown",
    "require",
    "search_text",
    "require_complete",
    "validate_draft",
    "validate_practice",
]
