"""Translatable labels of account roles and membership statuses (practices.roles).

practices/ never imports Flask, so its English labels are repeated here inside lazy_gettext
calls, which pybabel extracts; a test checks they stay the same as practices.roles.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLES = {
    "school_editor": _l("school editor"),
    "national_coordinator": _l("National Coordinator"),
    "curator": _l("curator"),
    "administrator": _l("administrator"),
}
MEMBERSHIPS = {
    "applicant": _l("applicant"),
    "member": _l("certified member"),
    "suspended": _l("suspended"),
}


def role_label(role: str) -> str:
    """Return the label of a role in the interface language (the code if unknown)."""
    return str(ROLES.get(role, role))


def membership_label(membership: str) -> str:
    """Return the label of a membership status in the interface language."""
    return str(MEMBERSHIPS.get(membership, membership))
