"""Models of the applications app, one module per room:

- applications: form pages, versions, applications, files;
- audit: append-only records and the audit trail;
- casework: review steps, case events, supplement requests, department tasks;
- notifications: message texts, in-site messages, e-mail/SMS deliveries;
- publicity: publicity (公示) batches and objections;
- talents: the talent database (人才库);
- ratings: satisfaction (好差评) and follow-ups;
- access: the register of staff access to personal data;
- eligibility: eligibility rules, talents' answers, benefits found (免申即享).
- cards: the digital talent card, partner organisations, verification counts.
"""

from forms.api.tokens import AppSignIn
from forms.models.access import AccessKind, AccessRecord
from forms.models.applications import (
    OPEN_STATUSES,
    ApplicantKinds,
    Application,
    ApplicationFile,
    ApplicationFormPage,
    ApplicationStatus,
    FormVersion,
    ReceiptCounter,
    application_file_path,
)
from forms.models.audit import AuditEvent
from forms.models.cards import (
    Partner,
    PartnerKind,
    TalentCard,
    VerificationCount,
    VerificationOutcome,
)
from forms.models.casework import (
    CaseAction,
    CaseEvent,
    DepartmentTask,
    ReviewStep,
    StepKind,
    SupplementRequest,
)
from forms.models.eligibility import (
    BenefitOffer,
    EligibilityRule,
    OfferStatus,
    TalentFacts,
)
from forms.models.notifications import (
    Channel,
    Delivery,
    DeliveryStatus,
    Message,
    NotificationEvent,
    NotificationTemplate,
    PendingNotification,
)
from forms.models.publicity import (
    HOLDING_STATUSES,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    PublicityEntry,
)
from forms.models.ratings import (
    FollowUpStatus,
    RatingFollowUp,
    RatingLevel,
    ServiceRating,
)
from forms.models.talents import TalentProfile

__all__ = [
    "AppSignIn",
    "AccessKind",
    "AccessRecord",
    "HOLDING_STATUSES",
    "OPEN_STATUSES",
    "Partner",
    "PartnerKind",
    "TalentCard",
    "VerificationCount",
    "VerificationOutcome",
    "ApplicantKinds",
    "Application",
    "ApplicationFile",
    "ApplicationFormPage",
    "ApplicationStatus",
    "AuditEvent",
    "BenefitOffer",
    "EligibilityRule",
    "OfferStatus",
    "TalentFacts",
    "CaseAction",
    "CaseEvent",
    "Channel",
    "Delivery",
    "DeliveryStatus",
    "DepartmentTask",
    "FollowUpStatus",
    "FormVersion",
    "Message",
    "NotificationEvent",
    "NotificationTemplate",
    "Objection",
    "ObjectionStatus",
    "PendingNotification",
    "PublicityBatch",
    "PublicityEntry",
    "RatingFollowUp",
    "RatingLevel",
    "ReceiptCounter",
    "ReviewStep",
    "ServiceRating",
    "StepKind",
    "SupplementRequest",
    "TalentProfile",
    "application_file_path",
]
