"""How the domain's codes are shown on the pages: vocabulary values, filters, statuses, workflow
actions, roles, memberships and the rubric, each looked up in its one domain table and
translated (app.labels.translate); countries and languages are named from CLDR (display)."""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.labels.display import country_name, language_name
from app.labels.translate import translate
from practices import vocab
from practices.filters import FILTERS, Names
from practices.roles import APPLICATION_STATUS_LABELS, MEMBERSHIP_LABELS, ROLE_LABELS
from practices.rubric import EVIDENCE_KINDS, SCORE_LABELS, Criterion
from practices.workflow import STATUS_LABELS, TRANSITIONS

# Titles of the tag lists on a practice page (plural).
TAG_TITLES = {
    "theme": _l("Thematic areas"),
    "pillar": _l("Action pillars"),
    "level": _l("Education levels"),
    "emerging_issue": _l("Emerging issues"),
    "partner_type": _l("Partners"),
    "sdg_target": _l("SDG targets"),
}


def pillar_label(number: int | str) -> str:
    """Return "Pillar 2: Capacity building through pilot projects" (translated)."""
    name = vocab.PILLARS.get(int(number))
    if name is None:
        return str(number)
    return gettext("Pillar %(number)s: %(name)s", number=number, name=translate(name))


def sdg_target_label(code: str) -> str:
    """Return "Target 4.7 (Quality education)": the target number and its Goal's short name."""
    goal = vocab.SDG_GOALS.get(int(code.split(".")[0])) if code.split(".")[0].isdigit() else None
    if goal is None:
        return code
    return gettext("Target %(code)s (%(goal)s)", code=code, goal=translate(goal))


def revision_tags(revision) -> list[tuple[str, list[str]]]:
    """Return a revision's tags as practice_tags does (a revision keeps them in its `tags`
    mapping: {"themes": [...], "pillars": [...], ...})."""
    tags = revision.tags or {}
    return practice_tags(SimpleNamespace(**{
        kind: [str(v) for v in tags.get(kind, [])]
        for kind in ("themes", "pillars", "levels", "emerging_issues", "sdg_targets",
                     "partner_types")}))


def practice_tags(practice) -> list[tuple[str, list[str]]]:
    """Return the practice's tags to show, [(field, values)], each list in its vocabulary's
    order (SDG targets as in A/RES/70/1: 4.7 before 12.5); empty fields left out."""
    fields = (
        ("theme", practice.themes, list(vocab.THEMES)),
        ("pillar", [str(p) for p in practice.pillars], [str(p) for p in vocab.PILLARS]),
        ("level", practice.levels, list(vocab.LEVELS)),
        ("emerging_issue", practice.emerging_issues, list(vocab.EMERGING_ISSUES)),
        ("partner_type", practice.partner_types, list(vocab.PARTNER_TYPES)),
        ("sdg_target", practice.sdg_targets, list(vocab.SDG_TARGETS)),
    )
    return [(name, sorted(values, key=_position_in(order))) for name, values, order in fields
            if values]


def _position_in(order: list[str]):
    rank = {code: n for n, code in enumerate(order)}
    return lambda code: (rank.get(code, len(rank)), code)


def field_name(key: str) -> str:
    """Return the name of a search filter (practices.filters.FILTERS) in the interface language."""
    return translate(FILTERS[key].label)


def value_label(field: str, value: str) -> str:
    """Return how a filter or tag value is shown: a label for codes, a name for countries."""
    entry = FILTERS.get(field)
    if entry is None:
        return _label(_INSTITUTION_CODES.get(field, {}), value)
    if entry.names is Names.PILLAR:
        return pillar_label(value) if str(value).isdigit() else str(value)
    if entry.names is Names.SDG_TARGET:
        return sdg_target_label(value)
    if entry.names is Names.COUNTRY:
        return country_name(value)
    if entry.names is Names.LANGUAGE:
        return language_name(value)
    return _label(entry.vocabulary or {}, value)


# Codes of the institutions' fields, which are not search filters.
_INSTITUTION_CODES = {"sector": vocab.INSTITUTION_SECTORS,
                      "locality": vocab.INSTITUTION_LOCALITIES}


def status_label(status: str) -> str:
    """Return the label of a workflow status (the code if unknown)."""
    return _label(STATUS_LABELS, status)


def action_label(action: str) -> str:
    """Return the button text of a workflow action (the code if unknown)."""
    transition = TRANSITIONS.get(action)
    return translate(transition.label) if transition is not None else str(action)


# What the audit log calls the entries that are not workflow actions (those use action_label).
_AUDIT_ACTIONS = {
    "create": _l("Created"), "edit": _l("Edited"), "attach": _l("File attached"),
    "detach": _l("File removed"), "create_user": _l("Account created"),
    "set_role": _l("Role changed"), "set_active": _l("Account activated or deactivated"),
    "set_password": _l("Password set by an administrator"),
    "update_profile": _l("Profile changed"), "change_password": _l("Password changed"),
    "create_token": _l("API token created"), "revoke_token": _l("API token revoked"),
    "create_institution": _l("Institution added"), "set_membership": _l("Membership changed"),
    "apply": _l("Applied to join"), "recommend_membership": _l("Application recommended"),
    "certify_membership": _l("Membership certified"),
    "decline_membership": _l("Application declined"),
}


def audit_action_label(action: str) -> str:
    """Return what the audit log calls an entry's action (the code if unknown)."""
    if action in TRANSITIONS:
        return action_label(action)
    label = _AUDIT_ACTIONS.get(action)
    return str(label) if label is not None else str(action)


def role_label(role: str) -> str:
    """Return the label of a role in the interface language (the code if unknown)."""
    return _label(ROLE_LABELS, role)


def membership_label(membership: str) -> str:
    """Return the label of a membership status in the interface language."""
    return _label(MEMBERSHIP_LABELS, membership)


def application_status_label(status: str) -> str:
    """Return the label of an application's status (practices.roles.ApplicationStatus)."""
    return _label(APPLICATION_STATUS_LABELS, status)


def criterion_name(version: str, criterion: Criterion) -> str:
    """Return a rubric criterion's name in the interface language (every version of the
    rubric names its criteria in practices.rubric; `version` is the one shown)."""
    del version
    return translate(criterion.name)


def criterion_definition(version: str, criterion: Criterion) -> str:
    """Return a rubric criterion's definition in the interface language."""
    del version
    return translate(criterion.definition)


def score_label(score: int | None) -> str:
    """Return a score in words ("established"), or "not applicable" for None."""
    return gettext("not applicable") if score is None else _label(SCORE_LABELS, score)


def evidence_kind(kind: str) -> str:
    """Return the label of an evidence type (the code if unknown)."""
    return _label(EVIDENCE_KINDS, kind)


def _label(labels, code) -> str:
    return translate(labels[code]) if code in labels else str(code)
