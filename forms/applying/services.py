"""What happens to an application: start, save a step, submit. Views stay thin.

Reliability rules (docs/security.md R1, R2, F7):
- each write is one transaction; files are written inside it and deleted again if
  the transaction does not commit, so neither a half row nor an orphan blob stays;
- a start token makes a double click on "start" create one draft, and submitting
  is a conditional update from draft, so a retried submit creates nothing new.
"""

import errno
import logging
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
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.core import crypto
from forms.builder.engine import (
    Evaluation,
    Step,
    StepForm,
    evaluate,
    merge_step_data,
    seal_answers,
    split_steps,
    step_input_names,
)
from forms.builder.field_types import files_field, type_of
from forms.builder.groups import apply_row_actions
from forms.builder.translation import localise
from forms.casework import actions, workflow
from forms.models import (
    Application,
    ApplicationFile,
    ApplicationFormPage,
    ApplicationStatus,
    ReceiptCounter,
)

logger = logging.getLogger("harbor.applications")

# Sent after the submitting transaction commits; casework and notifications listen.
application_submitted = Signal()


class SubmitRefused(Exception):
    """The stored answers do not pass validation any more."""

    def __init__(self, evaluation: Evaluation):
        super().__init__("invalid application")
        self.evaluation = evaluation


# --- reading an application ---


def translated_form(application: Application):
    """The live version of the application's form in the active language,
    if it is not the source form itself (forms/builder/translation.py)."""
    # Kept on the instance per language: a request reads it several times.
    memo: dict = application.__dict__.setdefault("_translated_forms", {})
    language = get_language()
    if language not in memo:
        form = application.form
        found = None
        if language and language != form.locale.language_code:
            found = (
                type(form)
                .objects.live()
                .filter(
                    translation_key=form.translation_key,
                    locale__language_code=language,
                )
                .first()
            )
        memo[language] = found
    return memo[language]


def definition_shown(application: Application) -> list[dict]:
    """The version's definition in the words of the active language."""
    translated = translated_form(application)
    return localise(
        application.version.definition,
        translated.definition if translated is not None else None,
    )


def steps_of(application: Application) -> list[Step]:
    translated = translated_form(application)
    title = (translated or application.form).title
    return split_steps(definition_shown(application), title)


def source_form(page: ApplicationFormPage) -> ApplicationFormPage:
    """The form applications belong to: the default locale's version of
    ``page`` (itself, unless ``page`` is a translation)."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    source = ApplicationFormPage.objects.filter(
        translation_key=page.translation_key,
        locale__language_code=settings.LANGUAGE_CODE,
    ).first()
    return source or page


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
            if type_of(item).identity and item.get("prefill") == "id_number"
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
        field_type = type_of(item)
        if not source or source not in field_type.prefill_sources:
            continue
        value: dict | str | None
        if source == "id_number":
            value = _latest_id_number(person) if person else None
        else:
            value = sources.get(source)
        if value:
            data.update(field_type.prefill_inputs(item, value))
    return data


def start(
    form: ApplicationFormPage, user, token: uuid.UUID, talent=None
) -> Application:
    """Create the draft for this start token, or return the one it already made."""
    existing = Application.objects.filter(start_token=token).first()
    if existing:
        return existing
    form = source_form(form)
    version = form.ensure_version(user)
    application = Application(
        form=form,
        language=get_language() or settings.LANGUAGE_CODE,
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


def remember_place(application: Application, place: int) -> None:
    """Note the page of a draft shown to the applicant (a step's number, or
    Application.RESUME_AT_REVIEW), for "Continue"; a write only when it moved,
    and none to updated_at: looking is not saving."""
    if application.resume_step == place:
        return
    Application.objects.filter(
        pk=application.pk, status=ApplicationStatus.DRAFT
    ).update(resume_step=place)
    application.resume_step = place


# --- saving a step ---


@dataclass
class StepResult:
    form: StepForm
    row_action: bool


class DraftGone(Exception):
    """The draft was deleted (in another tab) before this request could save."""


class StorageFull(Exception):
    """The private storage has no room left: nothing of the request was kept."""

    def __init__(self, form: StepForm):
        super().__init__("no space left for the files")
        self.form = form


# A file write failing for want of space (disk full, quota reached) is the
# server's trouble, not the applicant's: they are told to try again later.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


def _lock_draft(application: Application) -> Application:
    locked = Application.objects.select_for_update().filter(pk=application.pk).first()
    if locked is None:
        raise DraftGone
    return locked


def _merged_step_data(data: dict, step: Step, post) -> tuple[dict, bool]:
    data = merge_step_data(data, step, post)
    return data, apply_row_actions(data, post)


def _file_change(form: StepForm, key: str) -> dict | None:
    """What to do with one file field's files: its cleaned change, or, when the
    field failed on some of its uploads, the others that passed (kept, so the
    applicant never sends them twice), with nothing removed. None: nothing."""
    if key in form.cleaned_data:
        return form.cleaned_data[key]
    if key in form.hidden_keys:
        return None
    accepted = files_field(form.fields[key]).accepted
    return {"remove": set(), "new": accepted} if accepted else None


def _new_uploads_to_store(locked: Application, form: StepForm, key: str, change):
    """The checked uploads of one field, counted against what is stored now.

    The form checked the count against the files read before the draft's row
    lock; another request for the same step (a double click, two tabs) may have
    stored files since. An upload identical to one already stored in the field
    is that repeat and is skipped; if the rest does not fit, the field gets the
    usual error and nothing of it is stored. None when nothing may be stored.
    """
    stored = list(locked.files.filter(field_key=key))
    kept = [f for f in stored if str(f.uuid) not in change["remove"]]
    digests = {f.sha256 for f in kept}
    new = [checked for checked in change["new"] if checked.sha256 not in digests]
    field = files_field(form.fields[key])
    if len(kept) + len(new) > field.max_count:
        field.set_existing(stored)
        form.add_error(
            key,
            _("Attach at most %(count)s files here.") % {"count": field.max_count},
        )
        return None
    return new


def save_step(application: Application, step: Step, post, files) -> StepResult:
    """Store a step's inputs (always) and its valid files, in one unit of work.

    The uploads are checked (parsed, images re-encoded) before the draft's row
    lock is taken; what depends on the stored draft (the other steps' inputs,
    the files already stored) is read again under the lock, so two requests for
    the same draft at once neither lose an answer nor store files twice, and a
    draft deleted meanwhile raises DraftGone. A disk that is full raises
    StorageFull after removing whatever was half written.
    """
    steps = steps_of(application)
    earlier = answers_before(application, steps, step.number)
    data, row_action = _merged_step_data(application.get_draft_data(), step, post)
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
            locked = _lock_draft(application)
            if locked.status != ApplicationStatus.DRAFT:
                return StepResult(form, row_action)
            data, _row_action = _merged_step_data(locked.get_draft_data(), step, post)
            for entry in step.field_entries:
                if not entry.field_type.stores_files:
                    continue
                key = entry.field_key
                change = _file_change(form, key)
                if change is None:
                    continue
                new = _new_uploads_to_store(locked, form, key, change)
                if new is None:
                    continue
                locked.files.filter(
                    field_key=key, uuid__in=list(change["remove"])
                ).delete()
                for checked in new:
                    stored = ApplicationFile(
                        application=locked,
                        field_key=key,
                        original_name=checked.original_name,
                        content_type=checked.content_type,
                        size=len(checked.content),
                        sha256=checked.sha256,
                    )
                    # Named before writing, so a write that fails half way is
                    # removed below as well.
                    name = stored.file.field.generate_filename(
                        stored, checked.storage_name
                    )
                    written.append(name)
                    stored.file.name = storage.save(
                        name, ContentFile(checked.content), max_length=200
                    )
                    if stored.file.name != name:
                        written.append(stored.file.name)
                    stored.save()
            locked.set_draft_data(data)
            locked.furthest_step = max(locked.furthest_step, step.number)
            locked.resume_step = step.number
            locked.save(
                update_fields=[
                    "draft_data",
                    "furthest_step",
                    "resume_step",
                    "updated_at",
                ]
            )
    except BaseException as error:
        for name in written:
            storage.delete(name)
        if isinstance(error, OSError) and error.errno in NO_SPACE:
            logger.error("no space left to store files of draft %s", application.pk)
            raise StorageFull(form) from error
        raise
    application.refresh_from_db()
    return StepResult(form, row_action)


def show_stored_files(form: StepForm, application: Application) -> None:
    """A step shown again (with errors elsewhere) lists the files stored now,
    those of this very request included, with their names and a way to remove
    or replace them: nothing accepted looks lost."""
    current = files_by_key(application)
    for entry in form.step.field_entries:
        if entry.field_type.stores_files:
            files_field(form.fields[entry.field_key]).set_existing(
                current.get(entry.field_key, [])
            )


def delete_draft(application: Application) -> bool:
    """Delete a draft and its files; False if it is no longer a draft.

    Under the draft's row lock, like save_step: a step being saved at the same
    moment either finishes first (its files are deleted with the draft) or
    finds the draft gone, never a file row pointing at a deleted draft.
    """
    with transaction.atomic():
        locked = _lock_draft(application)
        if locked.status != ApplicationStatus.DRAFT:
            return False
        locked.delete()
    return True


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
            if entry.field_type.stores_files
            and entry.key not in _hidden_keys(step, evaluation)
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
        submitted = actions.open_case(submitted, workflow.workflow_of(locked.form))
        transaction.on_commit(
            lambda: application_submitted.send(Application, application=submitted)
        )
    return submitted


def _hidden_keys(step: Step, evaluation: Evaluation) -> set[str]:
    from forms.builder.engine import is_visible

    answers = evaluation.answers
    return {
        entry.field_key
        for entry in step.field_entries
        if not is_visible(entry, answers)
    }
