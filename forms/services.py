"""What happens to an application: start, save a step, submit. Views stay thin.

Reliability rules (SECURITY.md R1, R2, F7):
- each write is one transaction; files are written inside it and deleted again if
  the transaction does not commit, so neither a half row nor an orphan blob stays;
- a start token makes a double click on "start" create one draft, and submitting
  is a conditional update from draft, so a retried submit creates nothing new.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from . import casework, crypto
from .engine import (
    Evaluation,
    Step,
    StepForm,
    evaluate,
    merge_step_data,
    seal_answers,
    split_steps,
    step_input_names,
)
from .groups import apply_row_actions
from .models import (
    Application,
    ApplicationFile,
    ApplicationFormPage,
    ApplicationStatus,
    ReceiptCounter,
)

# Sent after the submitting transaction commits; casework and notifications listen.
application_submitted = Signal()


class SubmitRefused(Exception):
    """The stored answers do not pass validation any more."""

    def __init__(self, evaluation: Evaluation):
        super().__init__("invalid application")
        self.evaluation = evaluation


# --- reading an application ---


def steps_of(application: Application) -> list[Step]:
    return split_steps(application.version.definition, application.form.title)


def files_by_key(application: Application) -> dict[str, list[ApplicationFile]]:
    grouped: dict[str, list[ApplicationFile]] = defaultdict(list)
    for stored in application.files.all():
        grouped[stored.field_key].append(stored)
    return grouped


def answers_before(application: Application, steps: list[Step], number: int) -> dict:
    """Canonical answers of the steps before step ``number`` (for conditions)."""
    earlier = [step for step in steps if step.number < number]
    data = application.get_draft_data()
    return evaluate(earlier, data, files_by_key(application)).answers


# --- starting ---


def _latest_id_number(person) -> dict | None:
    """The person's ID from their last submitted application (CiviForm-style reuse)."""
    for application in (
        Application.objects.filter(status=ApplicationStatus.SUBMITTED)
        .filter(applicant=person, talent__isnull=True)
        .order_by("-submitted_at")[:5]
    ):
        prefills = {
            item["key"]
            for item in application.version.definition
            if item["type"] == "personal_id" and item.get("prefill") == "id_number"
        }
        for key in prefills:
            sealed = application.answers.get(key)
            if sealed and sealed.get("cipher"):
                return {
                    "kind": sealed["kind"],
                    "number": crypto.decrypt(sealed["cipher"]),
                }
    return None


def prefill_data(definition: list[dict], applicant, talent=None) -> dict:
    """Draft inputs prefilled from the profile of the person applied for.

    Personal details come from the talent: the applicant, or the registered talent
    an employer applies for; an employer contact applying for an unregistered
    talent gets no personal prefill, only the employer's.
    """
    person = talent or (applicant if applicant.kind == applicant.Kind.TALENT else None)
    employer = (talent.employer if talent else None) or applicant.employer
    sources = {
        "real_name": person.real_name if person else "",
        "mobile": person.mobile if person else "",
        "email": person.email if person else "",
        "employer_name": employer.name if employer else "",
        "employer_uscc": employer.uscc if employer else "",
    }
    data: dict[str, list[str]] = {}
    for item in definition:
        source = item.get("prefill")
        if not source:
            continue
        if item["type"] == "personal_id":
            found = (
                _latest_id_number(person) if person and source == "id_number" else None
            )
            if found:
                data[f"{item['key']}-kind"] = [found["kind"]]
                data[f"{item['key']}-number"] = [found["number"]]
        elif sources.get(source):
            data[item["key"]] = [sources[source]]
    return data


def start(
    form: ApplicationFormPage, user, token: uuid.UUID, talent=None
) -> Application:
    """Create the draft for this start token, or return the one it already made."""
    existing = Application.objects.filter(start_token=token).first()
    if existing:
        return existing
    version = form.ensure_version(user)
    application = Application(
        form=form,
        version=version,
        applicant=user,
        talent=talent,
        employer=user.employer,
        start_token=token,
    )
    application.set_draft_data(prefill_data(version.definition, user, talent))
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # The same token arrived twice at once: the other request made the draft.
        return Application.objects.get(start_token=token)
    return application


# --- saving a step ---


@dataclass
class StepResult:
    form: StepForm
    row_action: bool


def save_step(application: Application, step: Step, post, files) -> StepResult:
    """Store a step's inputs (always) and its valid files, in one unit of work."""
    steps = steps_of(application)
    earlier = answers_before(application, steps, step.number)
    data = application.get_draft_data()
    data = merge_step_data(data, step, post)
    row_action = apply_row_actions(data, post)
    bound = MultiValueDict(data)
    # Removal boxes act once: they reach the form but are not kept in the draft.
    for name in step_input_names(step, post):
        if name.endswith("-remove"):
            bound.setlist(name, post.getlist(name))
    form = StepForm(
        step,
        earlier,
        data=bound,
        files=files,
        files_by_key=files_by_key(application),
    )
    form.is_valid()
    storage = ApplicationFile._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.status != ApplicationStatus.DRAFT:
                return StepResult(form, row_action)
            for entry in step.field_entries:
                if entry.type != "file" or entry.key not in form.cleaned_data:
                    continue
                change = form.cleaned_data[entry.key]
                locked.files.filter(
                    field_key=entry.key, uuid__in=list(change["remove"])
                ).delete()
                for checked in change["new"]:
                    stored = ApplicationFile(
                        application=locked,
                        field_key=entry.key,
                        original_name=checked.original_name,
                        content_type=checked.content_type,
                        size=len(checked.content),
                        sha256=checked.sha256,
                    )
                    stored.file.save(
                        checked.storage_name, ContentFile(checked.content), save=False
                    )
                    written.append(stored.file.name)
                    stored.save()
            locked.set_draft_data(data)
            locked.furthest_step = max(locked.furthest_step, step.number)
            locked.save(update_fields=["draft_data", "furthest_step", "updated_at"])
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    application.refresh_from_db()
    return StepResult(form, row_action)


# --- submitting ---


def _subject_name(application: Application, answers: dict) -> str:
    for item in application.version.definition:
        if item.get("prefill") == "real_name" and answers.get(item.get("key")):
            return str(answers[item["key"]])[:100]
    person = application.talent or application.applicant
    return person.real_name


def submit(application: Application) -> Application:
    """Validate everything and turn the draft into a case with a receipt number.

    Idempotent: an application that is already submitted is returned unchanged.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            return locked
        definition = locked.version.definition
        stored_files = files_by_key(locked)
        evaluation = evaluate(steps_of(locked), locked.get_draft_data(), stored_files)
        if not evaluation.is_valid:
            raise SubmitRefused(evaluation)
        visible_file_keys = {
            entry.key
            for step in evaluation.visible_steps
            for entry in step.field_entries
            if entry.type == "file" and entry.key not in _hidden_keys(step, evaluation)
        }
        # Files of fields that ended up hidden are not part of the application.
        locked.files.exclude(field_key__in=visible_file_keys).delete()
        answers, digest = seal_answers(definition, evaluation.answers)
        prefix = locked.form.receipt_prefix or settings.APPLICATION_RECEIPT_PREFIX
        now = timezone.now()
        receipt = ReceiptCounter.next_number(prefix, timezone.localdate(now).year)
        updated = Application.objects.filter(
            pk=locked.pk, status=ApplicationStatus.DRAFT
        ).update(
            status=ApplicationStatus.SUBMITTED,
            receipt_number=receipt,
            answers=answers,
            id_digest=digest,
            subject_name=_subject_name(locked, evaluation.answers),
            submitted_at=now,
            draft_data="",
            lock_version=F("lock_version") + 1,
            updated_at=now,
        )
        if not updated:  # pragma: no cover - guarded by the row lock above
            transaction.set_rollback(True)
            return Application.objects.get(pk=locked.pk)
        submitted = Application.objects.get(pk=locked.pk)
        submitted = casework.open_case(submitted, casework.workflow_of(locked.form))
        transaction.on_commit(
            lambda: application_submitted.send(Application, application=submitted)
        )
    return submitted


def _hidden_keys(step: Step, evaluation: Evaluation) -> set[str]:
    from .engine import is_visible

    answers = evaluation.answers
    return {entry.key for entry in step.field_entries if not is_visible(entry, answers)}
