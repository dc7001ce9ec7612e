"""Publicity (公示): batches of approved applications shown to the public with
masked personal data, objections (异议) that hold an application, and the end of
the period (docs/security.md G4, G5).

- ``create_batch`` gathers applications that wait at their publicity step;
- ``publish`` writes each entry's masked text and puts the batch online;
- ``file_objection`` records an objection from the public page: while it is open
  (or once upheld) the application does not complete;
- ``uphold`` rejects the application through a case event; ``dismiss`` lifts the
  hold;
- ``close_due_batches`` (the ``close_publicity`` command) completes what is not
  held once the period is over and takes the page down. Idempotent.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.core import ratelimit
from cms.core.client_ip import client_ip
from cms.core.identifiers import mask_name
from forms.builder.field_types import type_of
from forms.casework import actions, workflow
from forms.models import (
    HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    PublicityEntry,
    StepKind,
)

logger = logging.getLogger(__name__)

OBJECTION_WINDOW_SECONDS = 60 * 60


class PublicityError(Exception):
    """The request does not fit the batch or the application's state."""


# --- what the public sees ---


def _first_id_answer(application: Application) -> dict | None:
    """The sealed ID answer the application's blind index was made from (the
    first personal ID of the form), else the first one found."""
    definition = application.version.definition
    id_keys = [item["key"] for item in definition if type_of(item).identity]
    preferred = [
        item["key"]
        for item in definition
        if type_of(item).identity and item.get("prefill") == "id_number"
    ]
    for key in preferred + id_keys:
        value = application.answers.get(key)
        if isinstance(value, dict) and value.get("masked"):
            return value
    return None


def _answer_by_prefill(application: Application, prefill: str) -> str:
    for item in application.version.definition:
        if item.get("prefill") == prefill:
            value = application.answers.get(item.get("key"))
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def tier_answer(application: Application) -> str:
    """The tier the applicant applied for: an answer whose key contains "tier"."""
    for item in application.version.definition:
        key = item.get("key") or ""
        if "tier" in key and type_of(item).category:
            value = application.answers.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def employer_name_of(application: Application) -> str:
    employer = application.employer  # no query when employer_id is None
    if employer is not None:
        return employer.name
    return _answer_by_prefill(application, "employer_name")


def entry_text(application: Application) -> dict:
    """The masked columns of an application's line on the public page."""
    sealed = _first_id_answer(application)
    tier = tier_answer(application)
    return {
        "masked_name": mask_name(application.subject_name or ""),
        # Sealed at submission by mask_identifier: 3505**********1234 (G4).
        "masked_id": sealed["masked"] if sealed else "",
        "employer_name": employer_name_of(application)[:120],
        "category": (f"{application.form.title}（{tier}）" if tier else "")
        or application.form.title,
    }


# --- building and publishing a batch ---


def eligible_applications():
    """Applications at their publicity step and in no batch yet (an application
    held by an objection stays with the batch it was published in)."""
    return (
        Application.objects.filter(
            status=ApplicationStatus.PUBLICITY, publicity_entries__isnull=True
        )
        .select_related("form", "version", "employer")
        .order_by("receipt_number")
    )


def step_days(applications) -> int | None:
    """The longest publicity step among the applications, in working days."""
    days = [
        step["days"]
        for application in applications
        for step in application.workflow[application.step_index :][:1]
        if step.get("kind") == StepKind.PUBLICITY
    ]
    return max(days) if days else None


def create_batch(
    title: str,
    applications,
    *,
    starts_on=None,
    working_days: int | None = None,
    contact_phone: str = "",
    contact_address: str = "",
    intro: str = "",
    user=None,
) -> PublicityBatch:
    applications = list(applications)
    with transaction.atomic():
        batch = PublicityBatch(
            title=title,
            intro=intro,
            starts_on=starts_on or timezone.localdate(),
            working_days=working_days or step_days(applications),
            contact_phone=contact_phone,
            contact_address=contact_address,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        batch.save()
        set_applications(batch, applications)
    return batch


def set_applications(batch: PublicityBatch, applications) -> None:
    """Replace a draft batch's applications (refused once it is published)."""
    if batch.published_at:
        raise PublicityError(_("A published batch cannot change its applications."))
    applications = list(applications)
    eligible = set(
        eligible_applications()
        .filter(pk__in=[a.pk for a in applications])
        .values_list("pk", flat=True)
    ) | set(batch.entries.values_list("application_id", flat=True))
    refused = [a for a in applications if a.pk not in eligible]
    if refused:
        raise PublicityError(
            _("Not in publicity or already in another batch: %(receipts)s")
            % {"receipts": ", ".join(str(a) for a in refused)}
        )
    batch.entries.exclude(application__in=applications).delete()
    for application in applications:
        PublicityEntry.objects.get_or_create(batch=batch, application=application)


def publish(batch: PublicityBatch, user=None) -> PublicityBatch:
    """Write the masked lines and put the batch online (at ``starts_on``)."""
    with transaction.atomic():
        batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.published_at:
            return batch
        entries = list(
            batch.entries.select_related(
                "application__form", "application__version", "application__employer"
            ).order_by("application__receipt_number")
        )
        if not entries:
            raise PublicityError(_("Add at least one application before publishing."))
        for number, entry in enumerate(entries, start=1):
            if entry.application.status != ApplicationStatus.PUBLICITY:
                raise PublicityError(
                    _("%(receipt)s is no longer in publicity.")
                    % {"receipt": entry.application}
                )
            for name, value in entry_text(entry.application).items():
                setattr(entry, name, value)
            entry.number = number
            entry.save()
        batch.published_at = timezone.now()
        batch.save()
        # save() sets ends_on from starts_on, which is never empty.
        assert batch.ends_on is not None
        for entry in entries:
            casework_note(
                entry.application,
                user,
                _("Published for publicity: %(title)s, until %(date)s.")
                % {"title": batch.title, "date": batch.ends_on.isoformat()},
            )
    return batch


def casework_note(application: Application, user, text: str) -> None:
    """An internal note on the case, by whoever acted (None for the system)."""
    try:
        actions.system_note(application, user, text)
    except workflow.Conflict:
        # The note is a courtesy; a concurrent change must not block publishing.
        logger.info("Publicity note skipped on %s (changed meanwhile)", application)


# --- objections ---


def objection_allowed(request) -> bool:
    """Counts one objection from this address; False past the hourly limit."""
    from django.conf import settings

    limit = settings.PUBLICITY_OBJECTION_LIMIT
    count = ratelimit.hit("objection:" + client_ip(request), OBJECTION_WINDOW_SECONDS)
    return count <= limit


def file_objection(
    entry: PublicityEntry,
    *,
    name: str,
    phone: str,
    content: str,
    relation: str = "",
    request=None,
) -> Objection:
    batch = entry.batch
    if not batch.accepts_objections:
        raise PublicityError(_("This publicity no longer accepts objections."))
    objection = Objection.objects.create(
        batch=batch,
        application=entry.application,
        name=name,
        phone=phone,
        relation=relation,
        content=content,
        client_ip=client_ip(request) if request is not None else None,
    )
    casework_note(
        entry.application,
        None,
        _("Objection received during publicity: the application is on hold."),
    )
    return objection


def is_held(application: Application) -> bool:
    return application.objections.filter(status__in=HOLDING_STATUSES).exists()


def _handle(objection: Objection, user, status: str, resolution: str) -> bool:
    """Move an open objection to ``status``; False if someone handled it first."""
    if not resolution.strip():
        raise PublicityError(_("Write how the objection was resolved."))
    return bool(
        Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.OPEN).update(
            status=status,
            handled_by=user,
            handled_at=timezone.now(),
            resolution=resolution.strip(),
        )
    )


def uphold(objection: Objection, user, resolution: str, request=None) -> Objection:
    """The objection is founded: the application is not approved."""
    with transaction.atomic():
        if not _handle(objection, user, ObjectionStatus.UPHELD, resolution):
            raise PublicityError(_("This objection was handled already."))
        application = Application.objects.get(pk=objection.application_id)
        if application.status == ApplicationStatus.PUBLICITY:
            actions.reject_after_objection(
                application,
                user,
                resolution,
                request=request,
                data={"objection": objection.pk},
            )
    objection.refresh_from_db()
    return objection


def dismiss(objection: Objection, user, resolution: str, request=None) -> Objection:
    """The objection is unfounded: the hold is lifted; once the period is over
    the application completes at once instead of waiting for the next run."""
    with transaction.atomic():
        if not _handle(objection, user, ObjectionStatus.DISMISSED, resolution):
            raise PublicityError(_("This objection was handled already."))
        casework_note(
            objection.application,
            user,
            _("Objection dismissed: %(resolution)s")
            % {"resolution": resolution.strip()},
        )
    objection.refresh_from_db()
    if objection.batch.period_over:
        entry = objection.batch.entries.get(application_id=objection.application_id)
        complete_entry(entry)
    return objection


# --- the end of the period ---


def complete_entry(entry: PublicityEntry) -> bool:
    """Complete the entry's application unless it is held; True if it did."""
    application = Application.objects.get(pk=entry.application_id)
    if application.status != ApplicationStatus.PUBLICITY or is_held(application):
        return False
    try:
        if actions.end_publicity(application) is None:
            return False
    except workflow.Conflict:
        return False  # changed meanwhile; the next run looks again
    PublicityEntry.objects.filter(pk=entry.pk).update(completed_at=timezone.now())
    return True


@dataclass
class CloseReport:
    closed: list[PublicityBatch] = field(default_factory=list)
    completed: int = 0
    held: int = 0


def close_due_batches(today=None) -> CloseReport:
    """For every published batch whose last day has passed: complete what is not
    held and take the page down. Held applications complete on a later run once
    their objections are dismissed."""
    today = today or timezone.localdate()
    report = CloseReport()
    batches = PublicityBatch.objects.filter(
        published_at__isnull=False, ends_on__lt=today
    )
    # Batches taken down earlier still hold applications waiting for a ruling.
    pending = PublicityEntry.objects.filter(
        batch__in=batches,
        completed_at__isnull=True,
        application__status=ApplicationStatus.PUBLICITY,
    ).select_related("batch")
    for entry in pending:
        if complete_entry(entry):
            report.completed += 1
        else:
            report.held += 1
    for batch in batches.filter(closed_at__isnull=True):
        updated = PublicityBatch.objects.filter(
            pk=batch.pk, closed_at__isnull=True
        ).update(closed_at=timezone.now())
        if updated:
            report.closed.append(batch)
    return report


# --- demo ---

DEMO_TITLE = "2026年第三批高层次人才认定公示"


def write_demo_publicity(progress=None, limit: int = 30) -> PublicityBatch | None:
    """A live demo batch of the applications waiting at their publicity step.
    Idempotent: found by its title. ``progress`` is cms.demo's Progress."""
    batch = PublicityBatch.objects.filter(title=DEMO_TITLE).first()
    if progress is not None:
        progress.record("publicity batches", batch is None)
    if batch is not None:
        return batch
    # The batch announces talent recognitions: other services wait for their own.
    recognitions = eligible_applications().filter(form__title__contains="人才认定")
    applications = list(recognitions[:limit])
    if not applications:
        return None
    batch = create_batch(
        DEMO_TITLE,
        applications,
        intro=(
            "根据《泉州市高层次人才认定和评价办法》，经个人申报、单位推荐、县（市、区）"
            "初审、市级审核，拟认定以下人员为泉州市高层次人才，现予以公示。"
            "公示期间，如有异议，请以真实姓名提出，并提供必要的证明材料。"
        ),
        contact_phone="0595-22500000",
        contact_address="泉州市丰泽区人才港湾一站式服务大厅 3 号窗口",
    )
    return publish(batch)
