"""Who may take which action: ONE table keyed by the action names of practices.workflow.

Each rule lists the roles allowed and, per role, the scope it acts in: its own institution's
practices, its own country's, or any. Rules marked `not_own_institution` are refused to anyone
affiliated with the practice's institution: nobody reviews, publishes or promotes their own
institution's practice. Rules with `drafts` say who may while the practice (or the revision
concerned) is a draft its school has not submitted yet: its school alone (the form promises
"Only your school sees this draft"). tests/domain/test_permissions_matrix.py checks every
cell; tests/web/test_private_pages.py walks every page.

Actions that need no practice (queues, audit, accounts) are checked by role alone.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from practices.errors import PermissionDenied
from practices.i18n import N_, Message
from practices.models import Practice, PracticeRevision, User
from practices.roles import ROLES_IN_SENTENCES, Role
from practices.visibility import is_editable, is_private_draft, is_publishable, is_unsubmitted
from practices.workflow import TRANSITIONS, applies_to_revision


class Scope(StrEnum):
    """Which practices a role may act on."""

    OWN_INSTITUTION = "own_institution"
    OWN_COUNTRY = "own_country"
    ANY = "any"


@dataclass(frozen=True)
class Rule:
    """Who may take an action: {role: scope}; `does` completes "may ..." in messages (marked
    with N_); `drafts`, when given, replaces `roles` for a practice or revision nobody has
    submitted yet (practices.visibility.is_unsubmitted)."""

    does: str
    roles: Mapping[Role, Scope]
    not_own_institution: bool = False
    drafts: Mapping[Role, Scope] | None = None


class _System:
    """The product itself acting (CLI commands, imports, demo seeding): every action allowed.

    Never a web user: every service takes `actor=` (no default), views pass the signed-in
    User, and only the commands (app/cli) import SYSTEM, which tests/test_architecture.py
    checks. Audit entries show it as "system".
    """

    id = None
    email = "system"
    role = "system"
    institution_id = None
    is_active = True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()
Actor = User | _System

_SE, _NC, _CU, _AD = (
    Role.SCHOOL_EDITOR,
    Role.NATIONAL_COORDINATOR,
    Role.CURATOR,
    Role.ADMINISTRATOR,
)
_INST, _COUNTRY, _ANY = Scope.OWN_INSTITUTION, Scope.OWN_COUNTRY, Scope.ANY
_REVIEWERS = MappingProxyType({_NC: _COUNTRY, _CU: _ANY})
_EVERYONE = MappingProxyType({role: _ANY for role in Role})


def _rule(does: str, roles: Mapping[Role, Scope], *, not_own_institution: bool = False,
          drafts: Mapping[Role, Scope] | None = None) -> Rule:
    return Rule(does, MappingProxyType(dict(roles)), not_own_institution=not_own_institution,
                drafts=None if drafts is None else MappingProxyType(dict(drafts)))


PERMISSIONS: Mapping[str, Rule] = MappingProxyType(
    {
        # Workflow transitions (practices.workflow.TRANSITIONS).
        "submit": _rule(N_("submit practices"), {_SE: _INST}),
        "withdraw": _rule(N_("withdraw practices"), {_SE: _INST}),
        "request_changes": _rule(
            N_("request changes to practices"), _REVIEWERS, not_own_institution=True
        ),
        "publish": _rule(N_("publish practices"), _REVIEWERS, not_own_institution=True),
        "decline": _rule(N_("decline practices"), _REVIEWERS, not_own_institution=True),
        "promote": _rule(N_("promote practices"), {_CU: _ANY}, not_own_institution=True),
        "flag_for_policy": _rule(
            N_("flag practices for policy"), {_CU: _ANY}, not_own_institution=True
        ),
        "archive": _rule(N_("archive practices"), {_CU: _ANY}),
        # Other actions on one practice.
        "create": _rule(N_("create practices"), {_SE: _INST}),
        "edit": _rule(N_("edit practices"), {_SE: _INST}),
        "view": _rule(
            N_("see practices under review"), {_SE: _INST, _NC: _COUNTRY, _CU: _ANY, _AD: _ANY},
            drafts={_SE: _INST},
        ),
        "comment": _rule(N_("comment on practices"), {_SE: _INST, _NC: _COUNTRY, _CU: _ANY},
                         drafts={_SE: _INST}),
        # Lists, exports and administration (no practice involved).
        "view_own_practices": _rule(N_("list their institution's practices"), {_SE: _INST}),
        "view_review_queue": _rule(N_("see the review queue"), _REVIEWERS),
        "view_promotion_queue": _rule(N_("see the promotion queue"), {_CU: _ANY}),
        "view_curated": _rule(N_("list and export promising practices"), {_CU: _ANY}),
        # Dashboards and annual reports: a coordinator's own country (practices.monitoring
        # checks the country), the curators' every country and region.
        "write_briefs": _rule(N_("write policy briefs"), {_CU: _ANY}),
        "view_dashboard": _rule(N_("see the network's dashboards"), {_NC: _COUNTRY, _CU: _ANY}),
        "write_country_report": _rule(N_("write their country's annual report"),
                                      {_NC: _COUNTRY}),
        "view_audit": _rule(N_("browse the audit log"), {_CU: _ANY, _AD: _ANY}),
        "export_audit": _rule(N_("export the audit log"), {_CU: _ANY, _AD: _ANY}),
        "manage_users": _rule(N_("manage user accounts"), {_AD: _ANY}),
        "set_membership": _rule(N_("change membership statuses"), {_CU: _ANY, _AD: _ANY}),
        "view_applications": _rule(N_("see applications to join"),
                                   {_NC: _COUNTRY, _CU: _ANY, _AD: _ANY}),
        "recommend_membership": _rule(N_("recommend applications to join"), {_NC: _COUNTRY}),
        "create_institution": _rule(N_("add institutions"), {_NC: _COUNTRY, _CU: _ANY, _AD: _ANY}),
        "manage_tokens": _rule(N_("manage their API tokens"), _EVERYONE),
        # Uploading a file of practices to import (the import itself runs as the system, once
        # every record is checked to be in the uploader's scope: transfer.check_importer).
        "import": _rule(N_("import files of practices"), _REVIEWERS),
        # The system only (`flask practices import / export / seed-demo`): no role may.
        "transfer": _rule(N_("import and export practices"), {}),
    }
)


def can(actor: Any, action: str, practice: Practice | None = None) -> bool:
    """Tell whether `actor` may take `action` (on `practice`, when the action concerns one).

    Anything that is neither SYSTEM nor an active User (None, an anonymous user) may not.

    Raises:
        KeyError: `action` is not in PERMISSIONS (a programming error, not a user's).
    """
    return _denial(actor, action, practice) is None


def require(actor: Any, action: str, practice: Practice | None = None) -> None:
    """Do nothing if `actor` may take `action`, else raise PermissionDenied saying why.

    Raises:
        PermissionDenied: with a message naming the role, the action and the scope.
        KeyError: `action` is not in PERMISSIONS.
    """
    reason = _denial(actor, action, practice)
    if reason is not None:
        raise PermissionDenied(reason)


def may_see_revision(actor: Any, revision: PracticeRevision) -> bool:
    """Tell whether `actor` may see a revision's content under review ("view"): a pending
    edit its school has not submitted yet is the school's alone, like a first draft."""
    return _denial(actor, "view", revision.practice, draft=is_unsubmitted(revision)) is None


def available_actions(actor: Any, practice: Practice) -> list[str]:
    """Return what `actor` can do to `practice` now: transitions in table order, then
    "edit" and "comment"; for showing buttons (the services check again)."""
    pending = practice.pending_revision is not None
    names = []
    for name, transition in TRANSITIONS.items():
        on_revision = applies_to_revision(practice.status, pending, name)
        status = practice.review_status if on_revision else practice.status
        if status not in transition.source or not can(actor, name, practice):
            continue
        if name != "publish" or is_publishable(practice):
            names.append(name)
    if is_editable(practice) and can(actor, "edit", practice):
        names.append("edit")
    if can(actor, "comment", practice):
        names.append("comment")
    return names


def _denial(
    actor: Any, action: str, practice: Practice | None, *, draft: bool | None = None
) -> str | None:
    rule = PERMISSIONS[action]
    if actor is SYSTEM:
        return None
    if not isinstance(actor, User):
        return Message("sign in to %(action)s", action=Message(rule.does))
    if not actor.active:
        return Message("this account is deactivated")
    role = Role(actor.role)
    if draft is None:
        draft = practice is not None and is_private_draft(practice)
    if draft and rule.drafts is not None:
        if role not in rule.drafts:
            return Message("%(role)s may not %(action)s: a draft is its school's alone until "
                           "it is submitted", role=_a(role), action=Message(rule.does))
        return _scope_denial(actor, role, rule.drafts[role], rule, practice)
    scope = rule.roles.get(role)
    if scope is None:
        return Message("%(role)s may not %(action)s", role=_a(role), action=Message(rule.does))
    if practice is None:
        return _missing_scope(actor, role, scope, rule)
    return _scope_denial(actor, role, scope, rule, practice)


def _missing_scope(actor: User, role: Role, scope: Scope, rule: Rule) -> str | None:
    if scope == _INST and actor.institution_id is None:
        return Message("%(role)s needs an institution to %(action)s", role=_a(role),
                       action=Message(rule.does))
    if scope == _COUNTRY and actor.scope_country is None:
        return Message("%(role)s needs a country to %(action)s", role=_a(role),
                       action=Message(rule.does))
    return None


def _scope_denial(
    actor: User, role: Role, scope: Scope, rule: Rule, practice: Practice
) -> str | None:
    own_institution = (
        actor.institution_id is not None and actor.institution_id == practice.institution_id
    )
    if scope == _INST and not own_institution:
        return Message("%(role)s may %(action)s of their own institution only", role=_a(role),
                       action=Message(rule.does))
    country = practice_country(practice)
    if scope == _COUNTRY and (country is None or country != actor.scope_country):
        return Message(
            "%(role)s may %(action)s of their own country (%(own)s) only; this practice is "
            "from %(country)s", role=_a(role), action=Message(rule.does),
            own=actor.scope_country, country=country or Message("no country"))
    if rule.not_own_institution and own_institution:
        return Message("nobody may %(action)s of their own institution",
                       action=Message(rule.does))
    return None


def practice_country(practice: Practice) -> str | None:
    """Return the country a practice belongs to for review: its institution's, else its own."""
    if practice.institution is not None:
        return practice.institution.country
    return practice.country


def _a(role: Role) -> Message:
    return Message(ROLES_IN_SENTENCES[role])
