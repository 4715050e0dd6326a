"""Who is who: the roles of user accounts and the membership status of institutions (pure)."""
from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    """What an account may do; stored as its string value (see practices.permissions)."""

    SCHOOL_EDITOR = "school_editor"  # writes its own institution's practices
    NATIONAL_COORDINATOR = "national_coordinator"  # reviews the practices of one country
    CURATOR = "curator"  # the ASPnet Unit: promotes, flags for policy, archives
    ADMINISTRATOR = "administrator"  # manages accounts and memberships


ROLE_LABELS = MappingProxyType(
    {
        Role.SCHOOL_EDITOR: "school editor",
        Role.NATIONAL_COORDINATOR: "National Coordinator",
        Role.CURATOR: "curator",
        Role.ADMINISTRATOR: "administrator",
    }
)


class Membership(StrEnum):
    """Where an institution stands in the network (ASPnet certification)."""

    APPLICANT = "applicant"  # applied, not certified yet: its practices cannot be published
    MEMBER = "member"  # certified member school
    SUSPENDED = "suspended"  # membership suspended: its practices leave search


MEMBERSHIP_LABELS = MappingProxyType(
    {
        Membership.APPLICANT: "applicant",
        Membership.MEMBER: "certified member",
        Membership.SUSPENDED: "suspended",
    }
)
