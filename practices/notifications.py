"""Who is told what by e-mail: the one table of notification kinds (pure: no session).

Each kind names the event that causes it, who receives it, the page its link opens and its
words (subject and body templates marked with N_; the web layer translates them into the
recipient's language and fills in the values). practices.services.notify decides the
recipients; app/mail composes and sends.

Values the templates may use: %(title)s (the practice's title), %(note)s (what the
reviewer or commenter wrote), %(actor)s (their name), %(count)d (items of a digest),
%(duration)s (how long a link works: "2 hours", made from the `hours` value by the web layer
in the reader's plural forms; Arabic says "ساعتين", not "2 ساعة").
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from practices.i18n import N_


class Audience(StrEnum):
    """Who receives a kind of message."""

    SCHOOL = "school"  # the editors of the practice's institution
    COORDINATOR = "coordinator"  # the National Coordinators of the practice's country
    WATCHING_CURATOR = "watching_curator"  # curators whose watch the practice fits
    ACCOUNT = "account"  # the account holder (their password, their address)
    APPLICATIONS = "applications"  # who decides on a school's application to join


class Page(StrEnum):
    """Which page a message links to (app/mail/compose.py maps each to a URL)."""

    SCHOOL_PRACTICE = "school_practice"  # the school's page of the practice
    REVIEW = "review"  # the reviewer's page of the practice
    PUBLIC = "public"  # the public page of the practice
    REVIEW_QUEUE = "review_queue"
    RESET_PASSWORD = "reset_password"  # carries a fresh signed token
    CONFIRM_EMAIL = "confirm_email"  # carries a fresh signed token
    APPLICATION = "application"  # the coordinator's / the Unit's page of an application
    NONE = "none"  # a message without a link
    PARTNERS = "partners"  # the school's partner schools page


@dataclass(frozen=True, kw_only=True)
class Kind:
    """A kind of message.

    Attributes:
        label: what the preferences page calls it.
        optional: the recipient may turn it off (account messages cannot be).
        digestible: a National Coordinator who chose the daily digest gets it there.
        listed: the preferences page offers it as a checkbox (the digest is chosen there
            as a way of receiving submissions instead; its own link still stops it).
        to_inactive: sent even to an inactive account (a school whose application is
            declined never had an active one).
    """

    name: str
    audience: Audience
    page: Page
    label: str
    subject: str
    body: str
    optional: bool = True
    digestible: bool = False
    listed: bool = True
    to_inactive: bool = False


_A, _P = Audience, Page
KINDS: Mapping[str, Kind] = MappingProxyType({
    k.name: k
    for k in (
        Kind(name="changes_requested", audience=_A.SCHOOL, page=_P.SCHOOL_PRACTICE,
             label=N_("Changes are requested to one of our practices"),
             subject=N_("Changes requested: %(title)s"),
             body=N_("%(actor)s asks for changes to your practice “%(title)s”:\n\n%(note)s\n\n"
                     "Edit it and submit it again from its page:")),
        Kind(name="published", audience=_A.SCHOOL, page=_P.PUBLIC,
             label=N_("One of our practices is published"),
             subject=N_("Published: %(title)s"),
             body=N_("Your practice “%(title)s” is published: everyone can find it now.")),
        Kind(name="declined", audience=_A.SCHOOL, page=_P.SCHOOL_PRACTICE,
             label=N_("One of our practices is declined"),
             subject=N_("Declined: %(title)s"),
             body=N_("%(actor)s declined your practice “%(title)s”:\n\n%(note)s")),
        Kind(name="promoted", audience=_A.SCHOOL, page=_P.PUBLIC,
             label=N_("One of our practices becomes a promising practice"),
             subject=N_("Promising practice: %(title)s"),
             body=N_("The ASPnet Unit selected your practice “%(title)s” as a promising "
                     "practice.")),
        Kind(name="flagged", audience=_A.SCHOOL, page=_P.PUBLIC,
             label=N_("One of our practices is flagged for policy"),
             subject=N_("Flagged for policy: %(title)s"),
             body=N_("The ASPnet Unit flagged your practice “%(title)s” for policy "
                     "dissemination.")),
        Kind(name="comment", audience=_A.SCHOOL, page=_P.SCHOOL_PRACTICE,
             label=N_("Someone comments on one of our practices"),
             subject=N_("New comment: %(title)s"),
             body=N_("%(actor)s wrote about your practice “%(title)s”:\n\n%(note)s")),
        Kind(name="submitted", audience=_A.COORDINATOR, page=_P.REVIEW,
             label=N_("A practice of my country is submitted for review"),
             subject=N_("To review: %(title)s"),
             body=N_("A school of your country submitted “%(title)s” for review."),
             digestible=True),
        Kind(name="resubmitted", audience=_A.COORDINATOR, page=_P.REVIEW,
             label=N_("A practice of my country is submitted again after changes"),
             subject=N_("Submitted again: %(title)s"),
             body=N_("The school submitted “%(title)s” again after your request for "
                     "changes."),
             digestible=True),
        Kind(name="review_digest", audience=_A.COORDINATOR, page=_P.REVIEW_QUEUE,
             label=N_("Daily digest of submissions"),
             subject=N_("Submissions to review: %(count)d"),
             body=N_("Since the last digest, schools of your country submitted:"),
             listed=False),
        Kind(name="watch_published", audience=_A.WATCHING_CURATOR, page=_P.PUBLIC,
             label=N_("A practice that fits my watch is published"),
             subject=N_("Published, fits your watch: %(title)s"),
             body=N_("“%(title)s” is published and fits the themes and countries you "
                     "watch.")),
        Kind(name="password_reset", audience=_A.ACCOUNT, page=_P.RESET_PASSWORD,
             label=N_("Password reset"), optional=False,
             subject=N_("Choose a new password"),
             body=N_("Someone (we hope you) asked to choose a new password for this "
                     "address. The link works once, for %(duration)s; if it was not "
                     "you, ignore this message:")),
        Kind(name="confirm_email", audience=_A.ACCOUNT, page=_P.CONFIRM_EMAIL,
             label=N_("E-mail address confirmation"), optional=False,
             subject=N_("Confirm your e-mail address"),
             body=N_("Confirm that this address is yours by opening this link within "
                     "%(duration)s:")),
        Kind(name="application_received", audience=_A.APPLICATIONS, page=_P.APPLICATION,
             label=N_("A school of my country applies to join"),
             subject=N_("Application to join: %(school)s"),
             body=N_("%(school)s (%(city)s) applies to join the network. Recommend it to "
                     "the ASPnet Unit, or decline it saying why:")),
        Kind(name="application_recommended", audience=_A.APPLICATIONS, page=_P.APPLICATION,
             label=N_("A coordinator recommends a school for certification"),
             subject=N_("Recommended for certification: %(school)s"),
             body=N_("%(actor)s recommends %(school)s (%(country)s) for certification:"
                     "\n\n%(note)s")),
        Kind(name="application_certified", audience=_A.ACCOUNT, page=_P.RESET_PASSWORD,
             label=N_("Our school is certified"), optional=False,
             subject=N_("Welcome to the network: %(school)s is certified"),
             body=N_("%(school)s is now a certified member of the UNESCO Associated Schools "
                     "Network. Choose your password with this link (it works once, for "
                     "%(duration)s; after that, ask for a new link on the sign-in page) and "
                     "share your school's practices:")),
        Kind(name="application_declined", audience=_A.ACCOUNT, page=_P.NONE,
             label=N_("Our application is declined"), optional=False,
             subject=N_("Your application to join: %(school)s"),
             body=N_("The application of %(school)s to join the network was declined:"
                     "\n\n%(note)s"), to_inactive=True),
        Kind(name="adapted", audience=_A.SCHOOL, page=_P.PUBLIC,
             label=N_("Another school adapted one of our practices"),
             subject=N_("Your practice was adapted: %(title)s"),
             body=N_("%(school)s (%(country)s) adapted your practice “%(title)s” in their "
                     "practice “%(adaptation)s”. Both pages now show the link:")),
        Kind(name="partner_interest", audience=_A.SCHOOL, page=_P.PARTNERS,
             label=N_("A school abroad would like to work with us"),
             subject=N_("A partner school: %(school)s would like to work with you"),
             body=N_("%(school)s (%(country)s) read your practices and would like to work "
                     "with your school, starting from their practice “%(title)s”."
                     "\n\n%(note)s\n\nSee their practices and answer from your partner "
                     "schools page:")),
    )
})  # fmt: skip
"""Every kind of e-mail the application sends, by name."""

ACTION_KINDS: Mapping[str, str] = MappingProxyType({
    "request_changes": "changes_requested",
    "publish": "published",
    "decline": "declined",
    "promote": "promoted",
    "flag_for_policy": "flagged",
})
"""Workflow actions (practices.workflow.TRANSITIONS) that tell the school, and the kind."""

OPTIONAL_KINDS: tuple[str, ...] = tuple(name for name, kind in KINDS.items() if kind.optional)
"""Kinds a person may turn off (on the account page or with a message's unsubscribe link)."""
