"""Domain services: functions taking a Session first; they flush at most, never commit.

Services acting for a person take `actor=` (the signed-in User; practices.permissions.SYSTEM
for the CLI and imports) and check practices.permissions before changing anything.

In the app, the caller's commit does more than store what a service changed: it also stores
the search vectors of every practice whose searchable text changed (encoding it, unless the
caller encoded it beforehand) and records a search change for every process's index (the
session hooks of app/search/writer.py, installed by create_app). Views and commands encode
the text first (SearchWriter.prepare, with practices.search_text.text_once_saved or
text_once_acted), so that the commit only writes.
"""
from practices.services.account_fields import normalise_email
from practices.services.accounts import (
    create_user,
    get_user,
    list_users,
    set_active,
    set_password,
    set_role,
    update_profile,
)
from practices.services.audit import AUDIT_COLUMNS, export_audit, list_audit
from practices.services.comments import add_comment, list_comments
from practices.services.curated import (
    CuratedFilters,
    DossierReport,
    curated_rows,
    dossier_report,
    export_curated,
    list_curated,
)
from practices.services.curation import flag_for_policy, promote
from practices.services.editing import create_practice, update_practice
from practices.services.mail_account import (
    confirm_email,
    is_confirmed,
    password_fingerprint,
    request_confirmation,
    request_password_reset,
    reset_password,
    unsubscribe,
    update_mail_settings,
)
from practices.services.memberships import (
    create_institution,
    get_institution,
    list_institutions,
    network_countries,
    set_membership,
)
from practices.services.notify import make_digests, recent_outbox, settings_of
from practices.services.pages import Page
from practices.services.queries import (
    count_practices,
    get_practice,
    get_practices,
    get_public_practice,
    public_practice_ids,
    unpublished_seen_by,
)
from practices.services.queues import (
    ReviewItem,
    SchoolWaitItem,
    own_practices,
    promotion_queue,
    review_queue,
    waiting_for_school,
)
from practices.services.revisions import (
    content_when_changes_requested,
    create_draft,
    edit_practice,
    find_own_practice,
    get_revision,
    list_revisions,
    view_practice,
)
from practices.services.sign_in import authenticate, change_password, end_sessions, load_user
from practices.services.tokens import authenticate_token, create_token, list_tokens, revoke_token
from practices.services.transfer import (
    ImportReport,
    ValidRecords,
    check_importer,
    export_records,
    import_records,
    validate_records,
)
from practices.services.transitions import publish, submit, transition

__all__ = [
    "AUDIT_COLUMNS",
    "CuratedFilters",
    "DossierReport",
    "ImportReport",
    "Page",
    "ReviewItem",
    "SchoolWaitItem",
    "ValidRecords",
    "check_importer",
    "add_comment",
    "authenticate",
    "authenticate_token",
    "change_password",
    "confirm_email",
    "content_when_changes_requested",
    "count_practices",
    "create_draft",
    "create_institution",
    "create_practice",
    "create_token",
    "create_user",
    "curated_rows",
    "dossier_report",
    "edit_practice",
    "end_sessions",
    "export_audit",
    "export_curated",
    "export_records",
    "find_own_practice",
    "flag_for_policy",
    "get_institution",
    "get_practice",
    "get_practices",
    "get_public_practice",
    "get_revision",
    "get_user",
    "import_records",
    "is_confirmed",
    "list_audit",
    "list_comments",
    "list_curated",
    "list_institutions",
    "list_revisions",
    "list_tokens",
    "list_users",
    "network_countries",
    "load_user",
    "make_digests",
    "normalise_email",
    "own_practices",
    "password_fingerprint",
    "promote",
    "promotion_queue",
    "public_practice_ids",
    "unpublished_seen_by",
    "recent_outbox",
    "publish",
    "request_confirmation",
    "request_password_reset",
    "reset_password",
    "review_queue",
    "revoke_token",
    "set_active",
    "set_membership",
    "set_password",
    "set_role",
    "settings_of",
    "submit",
    "transition",
    "unsubscribe",
    "update_mail_settings",
    "update_practice",
    "update_profile",
    "validate_records",
    "view_practice",
    "waiting_for_school",
]
