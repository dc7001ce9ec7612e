"""Filling in through the API: open forms, a form's definition, drafts, steps,
files, check answers and submit, each through forms.applying.services as the
HTML pages do (forms/applying/views.py)."""

import hashlib
import uuid

from django.core.cache import cache
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import File, Header, Path, Router, Status
from ninja.files import UploadedFile

from forms.api import schemas
from forms.api.auth import AUTH
from forms.api.problems import Problem, field_errors
from forms.applying import services
from forms.applying.views import talents_of
from forms.builder.engine import (
    answer_rows,
    evaluate,
    is_visible,
    split_steps,
    step_input_names,
)
from forms.models import Application, ApplicationFile, ApplicationFormPage

router = Router(tags=["applying"], auth=AUTH)

# How long a submit's Idempotency-Key is remembered.
IDEMPOTENCY_SECONDS = 24 * 60 * 60
MAX_ANSWER_DEPTH = 3
MAX_INPUTS = 1000


# --- forms ---


def open_forms():
    return ApplicationFormPage.objects.live().public().filter(is_open=True)


def _form_out(page, user) -> dict:
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.url or "",
        "applicant_kinds": page.applicant_kinds,
        "may_apply": page.accepts(user),
    }


@router.get("/forms", response=list[schemas.FormOut], auth=None)
def list_forms(request):
    """Forms that take applications now."""
    return [_form_out(page, request.user) for page in open_forms().order_by("title")]


@router.get("/forms/{form_id}", response=schemas.FormDefinitionOut, auth=None)
def form_definition(request, form_id: int = Path(..., ge=1, le=schemas.MAX_ID)):
    """Everything an app needs to render the form: steps, items (fields,
    choices, conditions, upload rules), as the version an application
    started now would be validated against."""
    page = open_forms().filter(pk=form_id).first()
    if page is None:
        raise Problem("not_found")
    definition = page.definition
    steps = split_steps(definition, page.title)
    latest = page.latest_version()
    return {
        "id": page.pk,
        "title": page.title,
        "version": latest.number if latest and latest.definition == definition else 0,
        "may_apply": page.accepts(request.user),
        "steps": [_step_out(step) for step in steps],
    }


def _step_out(step) -> dict:
    return {
        "number": step.number,
        "title": step.title,
        "description": step.description,
        "condition": step.condition,
        "items": [entry.item for entry in step.entries],
        "conditions": {
            entry.key: entry.conditions
            for entry in step.entries
            if entry.key and entry.conditions
        },
    }


# --- drafts ---


def own_draft(request, application_uuid) -> Application:
    """The caller's own application (drafts are the applicant's alone); 404 else."""
    application = (
        Application.objects.select_related("form", "version")
        .filter(uuid=application_uuid, applicant=request.user)
        .first()
    )
    if application is None:
        raise Problem("not_found")
    if not application.is_draft:
        raise Problem("not_a_draft")
    return application


def _start_token(request, key: str | None) -> uuid.UUID:
    if not key:
        return uuid.uuid4()
    # The same key from the same user makes the same draft (a retried start).
    return uuid.uuid5(uuid.NAMESPACE_URL, f"harbor-api:{request.user.pk}:{key}")


@router.post("/applications", response={201: schemas.ApplicationDetailOut})
def create_draft(
    request,
    body: schemas.StartIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=200),
):
    """Start a draft, prefilled from the profile as on the site. With an
    Idempotency-Key, a retried request returns the same draft."""
    page = open_forms().filter(pk=body.form_id).first()
    if page is None:
        raise Problem("not_found")
    if not page.accepts(request.user):
        raise Problem("cannot_apply")
    talent = None
    if body.talent_id is not None:
        talent = talents_of(request.user).filter(pk=body.talent_id).first()
        if talent is None:
            raise Problem("invalid_request", _("Choose a talent of your organisation."))
    application = services.start(
        page, request.user, _start_token(request, idempotency_key), talent=talent
    )
    if application.applicant_id != request.user.pk:
        raise Problem("not_found")
    from forms.api.tracking import detail_out

    return Status(201, detail_out(application, request.user))


@router.delete("/applications/{application_uuid}", response={204: None})
def delete_draft(request, application_uuid: uuid.UUID):
    """Delete a draft and its files."""
    application = own_draft(request, application_uuid)
    try:
        deleted = services.delete_draft(application)
    except services.DraftGone:
        raise Problem("not_found") from None
    if not deleted:
        raise Problem("not_a_draft")
    return Status(204, None)


# --- answers of a step ---


class BadAnswers(Exception):
    pass


def _flatten(name: str, value, depth: int, out: MultiValueDict) -> None:
    if depth > MAX_ANSWER_DEPTH:
        raise BadAnswers
    if value is None or value is False:
        return
    if value is True:
        out.appendlist(name, "on")
    elif isinstance(value, str | int | float):
        out.appendlist(name, str(value))
    elif isinstance(value, dict):
        for part, inner in value.items():
            _flatten(f"{name}-{part}", inner, depth + 1, out)
    elif (
        isinstance(value, list)
        and all(isinstance(row, dict) for row in value)
        and value
    ):
        out.setlist(f"{name}-rows", [str(len(value))])
        for index, row in enumerate(value):
            for part, inner in row.items():
                _flatten(f"{name}-{index}-{part}", inner, depth + 1, out)
    elif isinstance(value, list):
        for inner in value:
            if isinstance(inner, dict | list):
                raise BadAnswers
            _flatten(name, inner, depth + 1, out)
    else:  # pragma: no cover - JSON has no other types
        raise BadAnswers
    if len(out) > MAX_INPUTS:
        raise BadAnswers


def answers_to_inputs(answers: dict) -> MultiValueDict:
    """JSON answers as the HTML form's inputs, which the engine validates."""
    inputs: MultiValueDict = MultiValueDict()
    try:
        for key, value in answers.items():
            _flatten(str(key), value, 0, inputs)
    except BadAnswers:
        raise Problem(
            "invalid_request", _("The answers are nested too deeply or too many.")
        ) from None
    return inputs


def _step_of(application, number: int):
    steps = services.steps_of(application)
    step = next((s for s in steps if s.number == number), None)
    if step is None:
        raise Problem("not_found")
    earlier = services.answers_before(application, steps, number)
    if not is_visible(step, earlier):
        raise Problem("step_hidden")
    return steps, step


def _next_step(application, steps, number: int) -> int | None:
    application.refresh_from_db()
    evaluation = evaluate(
        steps, application.get_draft_data(), services.files_by_key(application)
    )
    later = [s.number for s in evaluation.visible_steps if s.number > number]
    return later[0] if later else None


def _save(application, step, post, files):
    try:
        return services.save_step(application, step, post, files)
    except services.DraftGone:
        raise Problem("not_found") from None
    except services.StorageFull:
        raise Problem("storage_full") from None


def _only_step_inputs(step, inputs: MultiValueDict) -> MultiValueDict:
    """The step's own inputs: nothing else of the body reaches the engine
    (not a row button, not another step's answer)."""
    names = step_input_names(step, inputs)
    return MultiValueDict({name: inputs.getlist(name) for name in names})


@router.put(
    "/applications/{application_uuid}/steps/{number}",
    response={200: schemas.StepSavedOut},
)
def save_step(
    request,
    application_uuid: uuid.UUID,
    body: schemas.StepIn,
    number: int = Path(..., ge=1, le=1000),
):
    """Save a step's answers. They are kept even when some are invalid (as on
    the site); then the answer is 422 with the errors by field."""
    application = own_draft(request, application_uuid)
    steps, step = _step_of(application, number)
    post = _only_step_inputs(step, answers_to_inputs(body.answers))
    result = _save(application, step, post, MultiValueDict())
    if not result.form.is_valid():
        raise Problem("invalid_answers", errors=field_errors(result.form))
    return {"saved": True, "next_step": _next_step(application, steps, number)}


# --- files ---


def _field_step(application, field_key: str):
    steps = services.steps_of(application)
    for step in steps:
        for entry in step.field_entries:
            if entry.key == field_key and entry.field_type.stores_files:
                return step
    raise Problem("not_found")


def _stored_inputs(application, step) -> MultiValueDict:
    data = MultiValueDict(application.get_draft_data())
    return _only_step_inputs(step, data)


def _files_of(application, field_key: str) -> list[ApplicationFile]:
    return list(
        application.files.filter(field_key=field_key).order_by("created_at", "pk")
    )


@router.post(
    "/applications/{application_uuid}/files/{field_key}",
    response={201: list[schemas.FileOut]},
)
def upload(
    request,
    application_uuid: uuid.UUID,
    field_key: str,
    file: File[list[UploadedFile]],
):
    """Attach files to a file field, with the site's content checks and
    limits; answers the field's files. A field of one file replaces it."""
    application = own_draft(request, application_uuid)
    step = _field_step(application, field_key)
    _steps, step = _step_of(application, step.number)
    post = _stored_inputs(application, step)
    result = _save(application, step, post, MultiValueDict({field_key: list(file)}))
    errors = field_errors(result.form).get(field_key)
    if errors:
        raise Problem(
            "invalid_answers",
            errors={field_key: errors},
            files=[_file_out(f) for f in _files_of(application, field_key)],
        )
    return Status(201, _files_of(application, field_key))


def _file_out(stored) -> dict:
    return {
        "uuid": str(stored.uuid),
        "field_key": stored.field_key,
        "original_name": stored.original_name,
        "content_type": stored.content_type,
        "size": stored.size,
    }


@router.delete(
    "/applications/{application_uuid}/files/{field_key}/{file_uuid}",
    response={204: None},
)
def remove_file(
    request, application_uuid: uuid.UUID, field_key: str, file_uuid: uuid.UUID
):
    """Remove an attached file (the site's "remove" box)."""
    application = own_draft(request, application_uuid)
    if not application.files.filter(uuid=file_uuid, field_key=field_key).exists():
        raise Problem("not_found")
    step = _field_step(application, field_key)
    post = _stored_inputs(application, step)
    post.setlist(f"{field_key}-remove", [str(file_uuid)])
    result = _save(application, step, post, MultiValueDict())
    errors = field_errors(result.form).get(field_key)
    if errors:
        raise Problem("invalid_answers", errors={field_key: errors})
    return Status(204, None)


# --- check and submit ---


def _rows_out(rows: list[dict]) -> list[dict]:
    out: list[dict] = []
    for row in rows:
        if "heading" in row:
            out.append({"heading": str(row["heading"] or "")})
        elif "files" in row:
            out.append(
                {
                    "label": str(row["label"]),
                    "files": [_file_out(f) for f in row["files"]],
                }
            )
        else:
            out.append(
                {"label": str(row.get("label", "")), "value": str(row.get("value", ""))}
            )
    return out


def _errors_out(evaluation) -> list[dict]:
    return [
        {
            "step": number,
            "errors": {
                key: [
                    {"message": str(e["message"]), "code": e["code"] or "invalid"}
                    for e in errors
                ]
                for key, errors in form_errors.get_json_data().items()
            },
        }
        for number, form_errors in evaluation.errors_by_step.items()
    ]


@router.get("/applications/{application_uuid}/check", response=schemas.CheckOut)
def check_answers(request, application_uuid: uuid.UUID):
    """Check your answers: every visible step validated as submitting would."""
    application = own_draft(request, application_uuid)
    steps = services.steps_of(application)
    stored = services.files_by_key(application)
    evaluation = evaluate(steps, application.get_draft_data(), stored)
    services.remember_place(application, Application.RESUME_AT_REVIEW)
    definition = application.version.definition
    return {
        "valid": evaluation.is_valid,
        "steps": [step.number for step in evaluation.visible_steps],
        "errors": _errors_out(evaluation),
        "answers": _rows_out(answer_rows(definition, evaluation.answers, stored)),
    }


def _idempotency_slot(user, key: str) -> str:
    return (
        "harbor:api:submit:" + hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()
    )


@router.post(
    "/applications/{application_uuid}/submit", response={200: schemas.ReceiptOut}
)
def submit(
    request,
    application_uuid: uuid.UUID,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=200
    ),
):
    """Submit a draft. Send an Idempotency-Key: a retry (a lost answer) gets
    the same receipt and never makes a second application."""
    application = (
        Application.objects.select_related("form", "version")
        .filter(uuid=application_uuid, applicant=request.user)
        .first()
    )
    if application is None:
        raise Problem("not_found")
    slot = _idempotency_slot(request.user, idempotency_key)
    if not cache.add(slot, str(application.uuid), IDEMPOTENCY_SECONDS):
        if cache.get(slot) != str(application.uuid):
            raise Problem("idempotency_key_reused")
    if not application.is_draft:
        # Submitting is idempotent: the receipt it already has.
        return _receipt(application)
    try:
        submitted = services.submit(application)
    except services.SubmitRefused as refused:
        cache.delete(slot)
        raise Problem("incomplete", errors=_errors_out(refused.evaluation)) from None
    return _receipt(submitted)


def _receipt(application) -> dict:
    return {
        "uuid": application.uuid,
        "receipt_number": application.receipt_number,
        "status": application.status,
        "submitted_at": application.submitted_at,
    }
