"""Request and response shapes of the application API (the OpenAPI document)."""

import datetime
import uuid
from typing import Any, Literal

from ninja import Field, Schema

# Database ids fit a 32-bit integer; a larger number is refused as invalid.
MAX_ID = 2_147_483_647


class PasswordSignIn(Schema):
    username: str = Field(
        ...,
        min_length=1,
        max_length=254,
        description="Mobile number, e-mail or user name",
    )
    password: str = Field(..., min_length=1, max_length=4096)
    device: str = Field("", max_length=100, description="A label the user recognises")


class RefreshIn(Schema):
    refresh_token: str = Field(..., min_length=1, max_length=200)


class TokenPairOut(Schema):
    token_type: str
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_at: datetime.datetime
    sign_in_id: int


class SignInOut(Schema):
    id: int
    device: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime


class FormOut(Schema):
    id: int
    title: str
    url: str
    applicant_kinds: str
    may_apply: bool


class StepOut(Schema):
    number: int
    title: str
    description: str
    condition: dict | None
    items: list[dict[str, Any]] = Field(
        ..., description="The step's items as defined (type, key, label, rules)"
    )
    conditions: dict[str, list[dict]] = Field(
        ..., description="Every condition that must hold for an item, by key"
    )


class FormDefinitionOut(Schema):
    id: int
    title: str
    version: int
    may_apply: bool
    steps: list[StepOut]


class StartIn(Schema):
    form_id: int = Field(..., ge=1, le=MAX_ID)
    talent_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Employer contacts: a registered talent of the organisation",
    )


class FileOut(Schema):
    uuid: uuid.UUID
    field_key: str
    original_name: str
    content_type: str
    size: int


Answers = dict[str, Any]


class StepIn(Schema):
    answers: Answers = Field(
        ...,
        description=(
            "The step's answers by field key: text, a list for several choices, "
            "an object for a field of parts (id_number: {kind, number}), a list "
            "of objects for a group's rows; or the HTML form's input names."
        ),
    )


class StepSavedOut(Schema):
    saved: bool
    next_step: int | None = Field(..., description="None: check the answers next")


class StepErrorsOut(Schema):
    step: int
    errors: dict[str, list[dict[str, str]]]


class CheckOut(Schema):
    valid: bool
    steps: list[int]
    errors: list[StepErrorsOut]
    answers: list[dict[str, Any]]


class ReceiptOut(Schema):
    uuid: uuid.UUID
    receipt_number: str
    status: str
    submitted_at: datetime.datetime | None


class OpenRequestOut(Schema):
    id: int
    kind: Literal["return", "tolerance"]
    items: list[dict[str, Any]]
    note: str
    due: datetime.date | None
    fields: list[dict[str, Any]]


class ApplicationOut(Schema):
    uuid: uuid.UUID
    form_id: int
    form_title: str
    status: str
    status_label: str
    is_draft: bool
    receipt_number: str
    stage: str
    holder: str
    current_step: str
    resume_step: int | None
    expected: datetime.date | None
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime
    may_answer: bool
    open_requests: list[OpenRequestOut]


class TimelineOut(Schema):
    time: datetime.datetime
    action: str
    label: str
    step: str
    department: str
    comment: str
    items: list[Any]


class CaseStepOut(Schema):
    name: str
    state: str
    done_on: datetime.datetime | None
    due: datetime.date | None
    days: int | None
    publicity: bool


class ApplicationDetailOut(ApplicationOut):
    inputs: dict[str, list[str]] | None = Field(
        None, description="A draft's stored inputs (input name: values)"
    )
    files: list[FileOut]
    timeline: list[TimelineOut]
    steps: list[CaseStepOut]
    may_withdraw: bool


class WithdrawIn(Schema):
    reason: str = Field("", max_length=500)


class MessageOut(Schema):
    id: int
    title: str
    body: str
    link: str
    application: uuid.UUID | None
    created_at: datetime.datetime
    read: bool


class MessagesOut(Schema):
    count: int
    unread: int
    items: list[MessageOut]


class ProgressIn(Schema):
    receipt_number: str = Field(..., max_length=100)
    id_last_four: str = Field(..., max_length=100)


class ProgressOut(Schema):
    receipt_number: str
    form_title: str
    stage: str
    status: str
    steps: list[CaseStepOut]
    expected: datetime.date | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    publicity_until: datetime.date | None


class Problem(Schema):
    type: str
    title: str
    status: int
    code: str
    detail: str | None = None
    errors: Any = None
