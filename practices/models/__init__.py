"""All tables of Practice Exchange; `Base.metadata` is what Alembic migrates."""
from practices.models.accounts import ApiToken, User
from practices.models.applications import ApplicationStatus, MembershipApplication
from practices.models.attachments import Attachment
from practices.models.base import Base, UTCDateTime, utcnow
from practices.models.briefs import PolicyBrief
from practices.models.curation import EvidenceItem, PolicyNote, PromotionDossier
from practices.models.mail import Delivery, MailSettings, Notification
from practices.models.monitoring import Adaptation, CountryReport
from practices.models.partners import PartnerInterest
from practices.models.practice import (
    TAG_KINDS,
    Institution,
    Practice,
    PracticeTag,
    new_external_id,
)
from practices.models.review import AuditEntry, PracticeRevision, ReviewComment
from practices.models.search import PracticeVector, SearchChange
from practices.storable import refuse_unstorable_text  # noqa: F401 - every session checks text

__all__ = [
    "Adaptation",
    "Base",
    "UTCDateTime",
    "utcnow",
    "TAG_KINDS",
    "ApiToken",
    "Attachment",
    "ApplicationStatus",
    "MembershipApplication",
    "AuditEntry",
    "Delivery",
    "CountryReport",
    "EvidenceItem",
    "Institution",
    "MailSettings",
    "Notification",
    "PartnerInterest",
    "PolicyBrief",
    "PolicyNote",
    "Practice",
    "PracticeRevision",
    "PracticeTag",
    "PracticeVector",
    "PromotionDossier",
    "ReviewComment",
    "SearchChange",
    "User",
    "new_external_id",
]
