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
]
