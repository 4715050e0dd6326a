"""The Practice Exchange domain: models, validation, services and workflow. Never imports Flask.

The names below are the public API the web app, the CLI and the tests use.
"""
from practices.demo import DemoAccount, seed_demo, seed_demo_accounts
from practices.dossiers import validate_dossier, validate_policy_note
from practices.passwords import generate_password
from practices.permissions import PERMISSIONS, SYSTEM, available_actions, can, require
from practices.records import ImportFailed, RecordError, detect_format, read_records, write_records
from practices.rendering import plain_text, render_markdown
from practices.roles import Membership, Role
from practices.rubric import CURRENT_RUBRIC_VERSION, RUBRIC_VERSIONS
from practices.search_text import SearchText, search_text
from practices.services import *  # noqa: F403 - the services' __all__ is part of this API
from practices.services import __all__ as _services
from practices.validation import InstitutionData, PracticeData, validate_practice
from practices.visibility import is_publishable, is_visible, visible_clause
from practices.workflow import PUBLIC_STATUSES, TRANSITIONS, Status

__all__ = [
    *_services,
    "CURRENT_RUBRIC_VERSION",
    "DemoAccount",
    "ImportFailed",
    "InstitutionData",
    "Membership",
    "PERMISSIONS",
    "PUBLIC_STATUSES",
    "PracticeData",
    "RUBRIC_VERSIONS",
    "RecordError",
    "Role",
    "SYSTEM",
    "SearchText",
    "Status",
    "TRANSITIONS",
    "available_actions",
    "can",
    "detect_format",
    "generate_password",
    "is_publishable",
    "is_visible",
    "plain_text",
    "read_records",
    "render_markdown",
    "require",
    "search_text",
    "seed_demo",
    "seed_demo_accounts",
    "validate_dossier",
    "validate_policy_note",
    "validate_practice",
    "visible_clause",
    "write_records",
]
