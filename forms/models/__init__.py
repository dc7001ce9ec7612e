"""Models of the applications app: forms and applications, then casework."""

from .applications import (
    OPEN_STATUSES,
    ApplicantKinds,
    Application,
    ApplicationFile,
    ApplicationFormPage,
    ApplicationStatus,
    AuditEvent,
    FormVersion,
    ReceiptCounter,
    application_file_path,
)
from .casework import (
    CaseEvent,
    DepartmentTask,
    ReviewStep,
    StepKind,
    SupplementRequest,
)
from .notifications import (
    Channel,
    Delivery,
    DeliveryStatus,
    Message,
    NotificationEvent,
    NotificationTemplate,
)

# Satisfaction (好差评): ratings and their follow-ups.
from .ratings import (  # noqa: E402
    FollowUpStatus,
    RatingFollowUp,
    RatingLevel,
    ServiceRating,
)

# Publicity (公示) and the talent database (人才库).
from .publicity import (  # noqa: E402
    HOLDING_STATUSES,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    PublicityEntry,
)
from .talents import TalentProfile  # noqa: E402

__all__ = [
    "ApplicantKinds",
    "Application",
    "ApplicationFile",
    "ApplicationFormPage",
    "ApplicationStatus",
    "CaseEvent",
    "DepartmentTask",
    "OPEN_STATUSES",
    "ReviewStep",
    "StepKind",
    "SupplementRequest",
    "AuditEvent",
    "FormVersion",
    "ReceiptCounter",
    "application_file_path",
    "FollowUpStatus",
    "RatingFollowUp",
    "RatingLevel",
    "ServiceRating",
    "Channel",
    "Delivery",
    "DeliveryStatus",
    "Message",
    "NotificationEvent",
    "NotificationTemplate",
    "HOLDING_STATUSES",
    "Objection",
    "ObjectionStatus",
    "PublicityBatch",
    "PublicityEntry",
    "TalentProfile",
]
