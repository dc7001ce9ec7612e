"""Answering a supplement request: the applicant changes only what was asked.

A request (一次性告知) lists items; an item whose ``key`` is a field of the
application's form version becomes an input, the others are read-only lines
("bring your social-security record"). Only the requested fields are bound,
validated and written; every other answer stays as it was submitted.

Two flows share the mechanics:
- a return for supplement (the case waits, clock stopped): answering ends with
  ``actions.act(..., "resubmit")``, which restarts the clock;
- acceptance with missing materials (容缺受理, the case goes on): answering
  records a ``materials_received`` event and closes the request, nothing else.

Writes follow forms.applying.services.save_step: one transaction, files written inside it
and deleted again if it does not commit (docs/security.md R1).
"""

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from cms.core import crypto
from forms.applying.services import files_by_key
from forms.builder.engine import Entry, Step, StepForm, canonical, seal_answers
from forms.builder.field_types import registered, type_of
from forms.casework import actions
from forms.models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    SupplementRequest,
)


class AlreadyAnswered(Exception):
    """The request was answered (or replaced) since the page was shown."""


# --- reading a request ---


def open_request(
    application: Application, *, tolerance: bool = False
) -> SupplementRequest | None:
    """The open request the applicant can answer now, if any."""
    if tolerance:
        if application.status not in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.SUPPLEMENT,
        ):
            return None
    elif application.status != ApplicationStatus.SUPPLEMENT:
        return None
    return (
        application.supplements.filter(tolerance=tolerance, resolved_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def requested_fields(application: Application, request: SupplementRequest):
    """(field items to edit, in definition order; items only to read)."""
    by_key = {
        item["key"]: item
        for item in application.version.definition
        if registered(item["type"]) and item.get("key")
    }
    keys = {item.get("key") for item in request.items if item.get("key") in by_key}
    fields = [
        item for item in application.version.definition if item.get("key") in keys
    ]
    to_read = [item for item in request.items if item.get("key") not in by_key]
    return fields, to_read


def supplement_step(field_items: list[dict]) -> Step:
    """A synthetic step of just these fields; their conditions do not apply."""
    return Step(1, "", "", None, [Entry(item, []) for item in field_items])


def current_values(application: Application, field_items: list[dict]) -> dict:
    """The owner's current answers to these fields, for the form's initial values."""
    return {
        item["key"]: type_of(item).unseal(item, application.answers.get(item["key"]))
        for item in field_items
        if type_of(item).has_answer and item["key"] in application.answers
    }


def build_form(
    application: Application,
    field_items: list[dict],
    data=None,
    files=None,
) -> StepForm:
    """The form of the requested fields: unbound with current answers, or bound."""
    step = supplement_step(field_items)
    stored = files_by_key(application)
    if data is None:
        return StepForm(
            step,
            {},
            initial=current_values(application, field_items),
            files_by_key=stored,
        )
    return StepForm(step, {}, data=data, files=files, files_by_key=stored)


# --- personal IDs inside answers ---


def first_sealed_id(definition: list[dict], answers: dict) -> dict | None:
    """The first sealed personal ID in definition order (seal_answers' "first")."""
    for item in definition:
        value = answers.get(item.get("key"))
        if not value:
            continue
        found = type_of(item).sealed_identity(item, value)
        if found is not None:
            return found
    return None


def first_id_number(application: Application) -> str:
    """The plaintext of the application's first ID number, or ""."""
    sealed = first_sealed_id(application.version.definition, application.answers)
    if not sealed or not sealed.get("cipher"):
        return ""
    try:
        return str(crypto.decrypt(sealed["cipher"]))
    except crypto.InvalidToken:
        return ""


# --- answering ---


def _write(locked: Application, field_items, form, written: list[str]) -> list[str]:
    """Write the requested answers and files to the locked row; the changed keys."""
    definition = locked.version.definition
    values = {
        item["key"]: canonical(item["type"], form.cleaned_data.get(item["key"]), item)
        for item in field_items
        if type_of(item).has_answer
    }
    sealed, _digest = seal_answers(definition, values)
    answers = dict(locked.answers)
    answers.update(sealed)
    changes: dict[str, Any] = {"answers": answers}
    if any(type_of(item).holds_identity(item) for item in field_items):
        first = first_sealed_id(definition, answers)
        changes["id_digest"] = (
            crypto.blind_index(crypto.decrypt(first["cipher"])) if first else ""
        )
    for item in field_items:
        if item.get("prefill") == "real_name" and answers.get(item["key"]):
            changes["subject_name"] = str(answers[item["key"]])[:100]
    for item in field_items:
        if not type_of(item).stores_files:
            continue
        change = form.cleaned_data[item["key"]]
        locked.files.filter(
            field_key=item["key"], uuid__in=list(change["remove"])
        ).delete()
        for checked in change["new"]:
            stored = ApplicationFile(
                application=locked,
                field_key=item["key"],
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=len(checked.content),
                sha256=checked.sha256,
            )
            stored.file.save(
                checked.storage_name, ContentFile(checked.content), save=False
            )
            # FieldFile.save() has just named the file in the storage.
            assert stored.file.name is not None
            written.append(stored.file.name)
            stored.save()
    # lock_version is left to the caller: resubmission bumps it through act().
    Application.objects.filter(pk=locked.pk).update(**changes)
    return [item["key"] for item in field_items]


def answer(
    application: Application,
    user,
    request_pk: int,
    form: StepForm,
    field_items: list[dict],
    *,
    tolerance: bool = False,
    message: str = "",
    http_request=None,
) -> Application:
    """Apply a valid supplement form and finish the request, in one transaction.

    Raises AlreadyAnswered if request ``request_pk`` is no longer the open one,
    and lets workflow.NotAllowed / Conflict through (nothing is then written).
    """
    storage = ApplicationFile._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            current = open_request(locked, tolerance=tolerance)
            if current is None or current.pk != request_pk:
                raise AlreadyAnswered
            keys = _write(locked, field_items, form, written)
            action = "materials_received" if tolerance else "resubmit"
            result = actions.act(
                locked,
                user,
                action,
                request=http_request,
                comment=message,
                **({"supplement": current, "keys": keys} if tolerance else {}),
            )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return result
