"""Who is who: the roles of user accounts and the membership status of institutions (pure).

Labels are marked with N_ (practices.i18n) and translated by the web layer."""
from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from practices.i18n import N_


class Role(StrEnum):
    """What an account may do; stored as its string value (see practices.permissions)."""

    SCHOOL_EDITOR = "school_editor"  # writes its own institution's practices
    NATIONAL_COORDINATOR = "national_coordinator"  # reviews the practices of one country
    CURATOR = "curator"  # the ASPnet Unit: promotes, flags for policy, archives
    ADMINISTRATOR = "administrator"  # manages accounts and memberships


ROLE_LABELS = MappingProxyType(
    {
        Role.SCHOOL_EDITOR: N_("school editor"),
        Role.NATIONAL_COORDINATOR: N_("National Coordinator"),
        Role.CURATOR: N_("curator"),
        Role.ADMINISTRATOR: N_("administrator"),
    }
)

ROLES_IN_SENTENCES = MappingProxyType(
    {
        Role.SCHOOL_EDITOR: N_("a school editor"),
        Role.NATIONAL_COORDINATOR: N_("a National Coordinator"),
        Role.CURATOR: N_("a curator"),
        Role.ADMINISTRATOR: N_("an administrator"),
    }
)
"""A role as the subject of a sentence ("a school editor may not ...")."""


class Membership(StrEnum):
    """Where an institution stands in the network (ASPnet certification)."""

    APPLICANT = "applicant"  # applied, not certified yet: its practices cannot be published
    MEMBER = "member"  # certified member school
    SUSPENDED = "suspended"  # membership suspended: its practices leave search


class ApplicationStatus(StrEnum):
    """Where a school's application to join stands: sent to the country's National
    Coordinator, recommended by them to the ASPnet Unit, then certified or declined (by
    either, with a reason). practices.services.applications moves it."""

    SUBMITTED = "submitted"
    RECOMMENDED = "recommended"
    CERTIFIED = "certified"
    DECLINED = "declined"


APPLICATION_STATUS_LABELS = MappingProxyType(
    {
        ApplicationStatus.SUBMITTED: N_("waiting for the coordinator"),
        ApplicationStatus.RECOMMENDED: N_("recommended, waiting for the Unit"),
        ApplicationStatus.CERTIFIED: N_("certified"),
        ApplicationStatus.DECLINED: N_("declined"),
    }
)


MEMBERSHIP_LABELS = MappingProxyType(
    {
        Membership.APPLICANT: N_("applicant"),
        Membership.MEMBER: N_("certified member"),
        Membership.SUSPENDED: N_("suspended"),
    }
)
