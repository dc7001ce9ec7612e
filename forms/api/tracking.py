"""Following an application through the API: my applications, one case with
its public timeline, answering a supplement request, withdrawing, the inbox
and the public progress lookup (forms/applying/tracking.py, the same rules)."""

import json
import uuid

from django.db.models import F
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, Form, Path, Query, Schema, Status

from forms.api import schemas
from forms.api.applying import router as applying_router
from forms.api.problems import Problem, field_errors
from forms.applying import supplement
from forms.applying import tracking as site
from forms.casework import workflow
from forms.models import Application, Message

# The applying router: one path (/applications/{uuid}) has methods in both rooms.
router = applying_router


def _requests_out(application, user) -> list[dict]:
    if application.is_draft:
        return []
    out = []
    for kind, request in site._open_requests(application).items():
        fields, _to_read = supplement.requested_fields(application, request)
        out.append(
            {
                "id": request.pk,
                "kind": kind,
                "items": request.items,
                "note": request.note,
                "due": request.due,
                "fields": fields,
            }
        )
    return out


def summary_out(application, user) -> dict:
    if application.is_draft:
        stage, holder, expected, current = str(_("Draft")), "", None, ""
    else:
        case = site.case_summary(application, user)
        stage, holder, expected = str(case["stage"]), case["holder"], case["expected"]
        step = workflow.current_step(application)
        current = workflow.step_name(step) if step else ""
    return {
        "uuid": application.uuid,
        "form_id": application.form_id,
        "form_title": application.form.title,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "is_draft": application.is_draft,
        "receipt_number": application.receipt_number or "",
        "stage": stage,
        "holder": str(holder),
        "current_step": str(current),
        "resume_step": application.resume_step if application.is_draft else None,
        "expected": expected,
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
        "may_answer": application.applicant_id == user.pk,
        "open_requests": _requests_out(application, user),
    }


def detail_out(application, user) -> dict:
    out = summary_out(application, user)
    files = list(application.files.order_by("created_at", "pk"))
    if application.is_draft:
        events: list = []
        out.update(inputs=application.get_draft_data(), may_withdraw=False)
    else:
        events = list(application.events.all())
        out.update(
            inputs=None,
            may_withdraw="withdraw" in workflow.available_actions(user, application),
        )
    out.update(
        files=files,
        timeline=[
            {**row, "label": str(row["label"]), "department": str(row["department"])}
            for row in site.timeline(events)
        ],
        steps=site.step_list(application, events)
        if events or application.workflow
        else [],
    )
    return out


def _visible(request, application_uuid) -> Application:
    """An application the caller may read: theirs, or applied for them; a
    draft only to its applicant. Anything else is 404, never 403."""
    application = (
        site.applications_of(request.user).filter(uuid=application_uuid).first()
    )
    if application is None or (
        application.is_draft and application.applicant_id != request.user.pk
    ):
        raise Problem("not_found")
    return application


@router.get("/applications", response=list[schemas.ApplicationOut])
def my_applications(request):
    """My applications: drafts, then cases with status, step, holder and
    expected date."""
    return [
        summary_out(application, request.user)
        for application in site.applications_of(request.user)
        if not application.is_draft or application.applicant_id == request.user.pk
    ]


@router.get("/applications/{application_uuid}", response=schemas.ApplicationDetailOut)
def application_detail(request, application_uuid: uuid.UUID):
    """One application: a draft's inputs and files, or a case's public
    timeline and review steps."""
    return detail_out(_visible(request, application_uuid), request.user)


def _own_case(request, application_uuid) -> Application:
    """A submitted application the caller applied with (site._own, applicant_only)."""
    application = _visible(request, application_uuid)
    if application.is_draft or application.applicant_id != request.user.pk:
        raise Problem("not_found")
    return application


@router.post(
    "/applications/{application_uuid}/withdraw",
    response={200: schemas.ApplicationDetailOut},
)
def withdraw(
    request, application_uuid: uuid.UUID, body: schemas.WithdrawIn | None = None
):
    """Withdraw a case that is still under review."""
    application = _own_case(request, application_uuid)
    from forms.casework import actions

    try:
        application = actions.act(
            application,
            request.user,
            "withdraw",
            request=request,
            comment=(body.reason if body else "").strip()[:500],
        )
    except workflow.NotAllowed:
        raise Problem(
            "not_allowed_now", _("This application can no longer be withdrawn.")
        ) from None
    except workflow.Conflict:
        raise Problem("conflict") from None
    return Status(200, detail_out(_visible(request, application_uuid), request.user))


class SupplementIn(Schema):
    request_id: int = Field(..., ge=1, le=schemas.MAX_ID)
    kind: str = "return"
    answers: str = "{}"
    message: str = ""


@router.post(
    "/applications/{application_uuid}/supplement",
    response={200: schemas.ApplicationDetailOut},
)
def answer_supplement(request, application_uuid: uuid.UUID, body: Form[SupplementIn]):
    """Answer an open request: a return for supplement (kind "return") or
    missing materials of an acceptance (kind "tolerance"). multipart/form-data:
    ``answers`` is a JSON object of the requested fields (as for a step), and
    files are parts named by their field key."""
    from forms.api.applying import answers_to_inputs

    application = _own_case(request, application_uuid)
    if body.kind not in ("return", "tolerance"):
        raise Problem("invalid_request", _("Unknown kind of request."))
    tolerance = body.kind == "tolerance"
    open_request = supplement.open_request(application, tolerance=tolerance)
    if open_request is None:
        raise Problem("not_allowed_now", _("This request has already been answered."))
    if open_request.pk != body.request_id:
        raise Problem("request_changed")
    try:
        answers = json.loads(body.answers)
    except ValueError:
        raise Problem(
            "invalid_request", _("The answers are not a JSON object.")
        ) from None
    if not isinstance(answers, dict):
        raise Problem("invalid_request", _("The answers are not a JSON object."))
    field_items, _to_read = supplement.requested_fields(application, open_request)
    file_keys = {item["key"] for item in field_items}
    files = MultiValueDict(
        {key: request.FILES.getlist(key) for key in request.FILES if key in file_keys}
    )
    note = site.MessageForm({"message": body.message})
    form = supplement.build_form(
        application, field_items, answers_to_inputs(answers), files
    )
    if not (form.is_valid() and note.is_valid()):
        errors = {**field_errors(form), **field_errors(note)}
        raise Problem("invalid_answers", errors=errors)
    try:
        supplement.answer(
            application,
            request.user,
            open_request.pk,
            form,
            field_items,
            tolerance=tolerance,
            message=note.cleaned_data["message"],
            http_request=request,
        )
    except supplement.AlreadyAnswered:
        raise Problem(
            "not_allowed_now", _("This request has already been answered.")
        ) from None
    except workflow.NotAllowed:
        raise Problem(
            "not_allowed_now", _("You cannot answer this request now.")
        ) from None
    except workflow.Conflict:
        raise Problem("conflict") from None
    return Status(200, detail_out(_visible(request, application_uuid), request.user))


# --- messages ---

MESSAGES_PAGE = 20


class MessageFilter(Schema):
    unread: bool = False
    page: int = Field(1, ge=1, le=10_000)


def _message_out(message) -> dict:
    return {
        "id": message.pk,
        "title": message.title,
        "body": message.body,
        "link": message.link,
        "application": message.application.uuid if message.application else None,
        "created_at": message.created_at,
        "read": message.read_at is not None,
    }


@router.get("/messages", response=schemas.MessagesOut)
def my_messages(request, filters: Query[MessageFilter]):
    """My messages, unread first, 20 a page."""
    mine = Message.objects.filter(recipient=request.user)
    shown = mine.filter(read_at__isnull=True) if filters.unread else mine
    page = min(max(filters.page, 1), 10_000)
    start = (page - 1) * MESSAGES_PAGE
    items = shown.select_related("application").order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )[start : start + MESSAGES_PAGE]
    return {
        "count": shown.count(),
        "unread": mine.filter(read_at__isnull=True).count(),
        "items": [_message_out(m) for m in items],
    }


@router.post("/messages/{message_id}/read", response=schemas.MessageOut)
def read_message(request, message_id: int = Path(..., ge=1, le=schemas.MAX_ID)):
    """Mark one message read (opening it on the site does the same)."""
    message = (
        Message.objects.select_related("application")
        .filter(pk=message_id, recipient=request.user)
        .first()
    )
    if message is None:
        raise Problem("not_found")
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        message.read_at = timezone.now()
    return _message_out(message)


@router.post("/messages/read-all", response={204: None})
def read_all(request):
    Message.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return Status(204, None)


# --- the public progress lookup ---


@router.post("/progress", response=schemas.ProgressOut, auth=None)
def progress(request, body: schemas.ProgressIn):
    """Anyone with the receipt number and the ID's last four characters: the
    same limits and the same neutral answer as the site's lookup page."""
    form = site.ProgressForm(body.dict())
    try:
        application = site.look_up(request, form)
    except site.LookupRefused:
        raise Problem("rate_limited") from None
    if application is None:
        if form.non_field_errors():
            raise Problem("no_match")
        raise Problem("invalid_request", errors=field_errors(form))
    result = site.progress_result(application)
    result["stage"] = str(result["stage"])
    return result
