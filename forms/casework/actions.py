"""Changing a case: the staff's and the applicant's actions.

Every action:
- checks that it is legal in the case's state and step and that the user may
  take it there (NotAllowed otherwise);
- applies its change as one conditional update on (pk, lock_version), so of two
  staff acting at once exactly one succeeds and the other gets Conflict
  (docs/security.md R3);
- writes one append-only CaseEvent (actor, time, from, to, comment, client IP);
- marks the event as pending notification in the same transaction and
  notifies after commit through the ``case_event`` signal;
- writes who holds the case now into its step columns (``sync_steps``) in the
  same transaction, so the staff queues find it with one indexed filter.

Every action happens now, unless the caller passes ``at=`` (an aware datetime):
then its event, decisions and answers are dated at that moment and its due dates
counted from that day. Only loaders replaying a case's history (the demo) pass it.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.core.client_ip import client_ip
from cms.core.workdays import add_working_days, working_days_between
from cms.departments.models import Department
from forms.casework.rights import (
    handled_department_ids,
    may_be_officer,
)

# Sent after commit for every event: notifications listen (event=CaseEvent).
from forms.casework.workflow import (
    Conflict,
    NotAllowed,
    available_actions,
    case_event,
    current_step,
    dispatchable_departments,
    is_case_staff,
    open_tasks,
    step_handler,
    step_name,
)
from forms.models import (
    Application,
    ApplicationStatus,
    CaseAction,
    CaseEvent,
    DepartmentTask,
    NotificationEvent,
    PendingNotification,
    StepKind,
    SupplementRequest,
)

# --- changing a case ---


@dataclass
class Change:
    """What one action does: the fields to set and the event to record."""

    action: CaseAction
    fields: dict
    comment: str = ""
    data: dict | None = None
    public: bool = True
    from_status: str = ""


def _step_fields(application: Application, index: int, today, now) -> dict:
    """Enter step ``index`` (or finish when past the end)."""
    workflow = application.workflow
    if index >= len(workflow):
        return {
            "status": ApplicationStatus.COMPLETED,
            "step_index": index,
            "step_started_on": today,
            "step_due": None,
            "decided_at": application.decided_at or now,
        }
    step = workflow[index]
    fields = {
        "step_index": index,
        "step_started_on": today,
        "step_due": add_working_days(today, step["days"]),
        "status": ApplicationStatus.SUBMITTED,
    }
    if step["kind"] == StepKind.PUBLICITY:
        fields["status"] = ApplicationStatus.PUBLICITY
    return fields


def _apply(
    application: Application, user, change: Change, request=None, now=None
) -> Application:
    """One conditional update + one event, in one transaction, at ``now``."""
    now = now or timezone.now()
    with transaction.atomic():
        before_status = application.status
        updated = Application.objects.filter(
            pk=application.pk, lock_version=application.lock_version
        ).update(
            lock_version=F("lock_version") + 1,
            updated_at=now,
            **change.fields,
        )
        if not updated:
            raise Conflict(Application.objects.get(pk=application.pk))
        fresh = Application.objects.get(pk=application.pk)
        workflow = application.workflow or []
        index = application.step_index
        step = workflow[index] if index < len(workflow) else None
        event = CaseEvent.objects.create(
            application=fresh,
            action=change.action,
            actor=user if user is not None and user.is_authenticated else None,
            from_status=change.from_status or before_status,
            to_status=fresh.status,
            step_index=application.step_index if step else None,
            step_name=step_name(step) if step else "",
            comment=change.comment,
            data=change.data or {},
            public=change.public,
            client_ip=client_ip(request) if request is not None else None,
            created_at=now,
        )
        if event.action in NotificationEvent.values:
            # The outbox marker commits with the event: if this process dies
            # before the signal below runs, retry_notifications still notifies.
            PendingNotification.objects.create(event=event)
        _after_step_entered(fresh, application.step_index)
        transaction.on_commit(lambda: case_event.send(CaseEvent, event=event))
    return fresh


def _after_step_entered(application: Application, previous_index: int) -> None:
    """After every action: a department step dispatches its departments (again
    harmlessly), the step columns say who holds the case now, and whoever
    holds it gets their record rights."""
    from forms.casework.rights import grant_case_rights

    step = current_step(application)
    if application.status == ApplicationStatus.SUBMITTED and step:
        if step["kind"] == StepKind.DEPARTMENT:
            for department_id in step.get("department_ids") or []:
                DepartmentTask.objects.get_or_create(
                    application=application,
                    step_index=application.step_index,
                    department_id=department_id,
                    defaults={"due": application.step_due},
                )
    sync_steps([application])
    if application.status in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUPPLEMENT,
    ):
        grant_case_rights(application)


STEP_COLUMNS = ["step_kind", "step_group_id", "step_district"]
STEP_ATTRIBUTES = ["step_kind", "step_group_id", "step_district_id"]


def sync_steps(applications) -> None:
    """Write the step columns (workflow.step_handler) of these cases, changed
    in memory too. The actions call it on every move; code that writes case
    states directly (a loader) calls it once with all it wrote."""
    cases = list(applications)
    if not cases:
        return
    pks = [case.pk for case in cases]
    open_departments = defaultdict(list)
    for application_id, index, department_id in DepartmentTask.objects.filter(
        application_id__in=pks, answered_at__isnull=True
    ).values_list("application_id", "step_index", "department_id"):
        open_departments[application_id, index].append(department_id)
    through = Application.step_departments.through
    linked = set(
        through.objects.filter(application_id__in=pks).values_list(
            "application_id", "department_id"
        )
    )
    wanted = set()
    for case in cases:
        handler = step_handler(
            case, open_departments.get((case.pk, case.step_index), [])
        )
        case.step_kind = handler.kind
        case.step_group_id = handler.group_id
        case.step_district_id = handler.district_id
        wanted |= {(case.pk, department_id) for department_id in handler.department_ids}
    if len(cases) == 1:
        # An action moves one case: a plain UPDATE, not bulk_update's CASE.
        case = cases[0]
        Application.objects.filter(pk=case.pk).update(
            **{column: getattr(case, column) for column in STEP_ATTRIBUTES}
        )
    else:
        Application.objects.bulk_update(cases, STEP_COLUMNS, batch_size=500)
    # Only the cases whose links changed are rewritten: most actions change none.
    changed = {application_id for application_id, _ in linked ^ wanted}
    if changed:
        through.objects.filter(application_id__in=changed).delete()
        through.objects.bulk_create(
            [
                through(application_id=application_id, department_id=department_id)
                for application_id, department_id in wanted
                if application_id in changed
            ],
            batch_size=500,
        )


def _require(user, application: Application, action: str) -> None:
    if action not in available_actions(user, application):
        raise NotAllowed(_("You cannot do this to the application now."))


def _advance(application: Application, today, now, departments=None) -> dict:
    """Enter the next step; ``departments``, when it is a department step, are
    the ones the reviewer confirmed (None: the form's proposal), written into
    the case's own copy of its steps so everything after reads them there."""
    fields = _step_fields(application, application.step_index + 1, today, now)
    if departments is None:
        return fields
    index = application.step_index + 1
    steps = application.workflow or []
    if index >= len(steps) or steps[index]["kind"] != StepKind.DEPARTMENT:
        raise NotAllowed(_("The next step is not a department step."))
    chosen = sorted({getattr(d, "pk", d) for d in departments})
    found = dispatchable_departments().filter(pk__in=chosen).count()
    if not chosen or found != len(chosen):
        raise NotAllowed(_("Choose at least one department to dispatch to."))
    changed = [dict(step) for step in steps]
    changed[index]["department_ids"] = chosen
    fields["workflow"] = changed
    return fields


def _dispatched(fields: dict, application: Application) -> dict | None:
    """The event's record of a dispatch: the departments, and those proposed."""
    if "workflow" not in fields:
        return None
    index = application.step_index + 1
    proposed = (application.workflow or [])[index].get("department_ids") or []
    chosen = fields["workflow"][index]["department_ids"]
    names = dict(
        Department.objects.filter(pk__in=[*chosen, *proposed]).values_list("pk", "name")
    )
    return {
        "departments": [names.get(pk, "") for pk in chosen],
        "proposed": [names.get(pk, "") for pk in proposed],
    }


def _moment(at) -> tuple:
    """The action's moment (``at`` or now) and its day in the hall's time zone."""
    now = at or timezone.now()
    return now, timezone.localdate(now)


def open_case(
    application: Application, workflow: list[dict], request=None, *, at=None
) -> Application:
    """Start the review of a just-submitted application (inside its transaction)."""
    now, today = _moment(at)
    application.workflow = workflow
    application.district_id = application.district_id or _district_of(application)
    application.save(update_fields=["workflow", "district"])
    fields = _step_fields(application, 0, today, now)
    change = Change(CaseAction.SUBMITTED, fields, from_status=ApplicationStatus.DRAFT)
    return _apply(application, application.applicant, change, request, now)


def _district_of(application: Application):
    """The applicant's district: the employer's, else a region answer's district."""
    from cms.departments.models import District

    employer = application.employer or (
        application.talent and application.talent.employer
    )
    if employer and employer.district_id:
        return employer.district_id
    for value in application.answers.values():
        if isinstance(value, dict) and value.get("name"):
            district = District.objects.filter(
                name=value["name"].split(" ")[-1]
            ).first()
            if district:
                return district.pk
    return None


def act(
    application: Application,
    user,
    action: str,
    *,
    request=None,
    comment: str = "",
    at=None,
    **options,
) -> Application:
    """Take ``action`` on ``application`` as ``user`` (at ``at``, default now);
    see the module docstring."""
    _require(user, application, action)
    now, today = _moment(at)
    handler = ACTIONS[CaseAction(action)]  # _require checked it is one
    # One transaction: what a handler writes (a supplement request, an opinion)
    # is undone with the rest when the conditional update loses a race.
    with transaction.atomic():
        change = handler(application, user, today, now, comment=comment, **options)
        return _apply(application, user, change, request, now)


def _accept(application, user, today, now, comment="", departments=None):
    fields = _advance(application, today, now, departments)
    data = _dispatched(fields, application)
    return Change(CaseAction.ACCEPT, fields, comment, data)


def _accept_with_tolerance(
    application, user, today, now, comment="", items=(), due_days=10, departments=None
):
    items = _clean_items(items)
    if not items:
        raise NotAllowed(_("List the materials that may follow."))
    due = add_working_days(today, int(due_days))
    SupplementRequest.objects.create(
        application=application,
        items=items,
        note=comment,
        tolerance=True,
        due=due,
        created_by=user,
        created_at=now,
    )
    fields = _advance(application, today, now, departments)
    return Change(
        CaseAction.ACCEPT_WITH_TOLERANCE,
        fields,
        comment,
        {
            "items": items,
            "due": due.isoformat(),
            **(_dispatched(fields, application) or {}),
        },
    )


def _return(application, user, today, now, comment="", items=()):
    items = _clean_items(items)
    if not items:
        raise NotAllowed(_("List everything that is missing, at once."))
    SupplementRequest.objects.create(
        application=application,
        items=items,
        note=comment,
        created_by=user,
        created_at=now,
    )
    fields = {"status": ApplicationStatus.SUPPLEMENT, "clock_paused_on": today}
    return Change(CaseAction.RETURN, fields, comment, {"items": items})


def _pass(application, user, today, now, comment="", departments=None):
    fields = _advance(application, today, now, departments)
    data = _dispatched(fields, application)
    return Change(CaseAction.PASS, fields, comment, data)


def _opinion(application, user, today, now, comment="", agrees=True):
    if not comment.strip():
        raise NotAllowed(_("Write the department's opinion."))
    task = (
        open_tasks(application)
        .filter(department_id__in=handled_department_ids(user))
        .order_by("department__sort_order", "department__name")
        .first()
    )
    if task is None and user.is_superuser:
        task = open_tasks(application).first()
    if task is None:
        raise NotAllowed(_("There is nothing for your department to answer."))
    updated = DepartmentTask.objects.filter(
        pk=task.pk, answered_at__isnull=True
    ).update(
        opinion=comment,
        agrees=bool(agrees),
        answered_by=user,
        answered_at=now,
    )
    if not updated:
        raise Conflict(application)
    # The case moves on when the last department has answered (并联).
    fields = (
        {} if open_tasks(application).exists() else _advance(application, today, now)
    )
    return Change(
        CaseAction.OPINION,
        fields,
        comment,
        {"department": task.department.name, "agrees": bool(agrees)},
    )


def _approve(application, user, today, now, comment="", departments=None):
    fields = _advance(application, today, now, departments)
    data = _dispatched(fields, application)
    fields["decided_at"] = now
    fields["decision_reason"] = comment
    return Change(CaseAction.APPROVE, fields, comment, data)


def _reject(application, user, today, now, comment=""):
    if not comment.strip():
        raise NotAllowed(_("Give the reason for not approving."))
    fields = {
        "status": ApplicationStatus.REJECTED,
        "decided_at": now,
        "decision_reason": comment,
        "step_due": None,
    }
    return Change(CaseAction.REJECT, fields, comment)


def _assign(application, user, today, now, comment="", officer=None):
    if officer is None or not is_case_staff(officer):
        raise NotAllowed(_("Choose a staff member."))
    if not may_be_officer(officer, application):
        raise NotAllowed(_("This staff member may not handle this application."))
    return Change(
        CaseAction.ASSIGN,
        {"officer": officer},
        comment,
        {"officer": officer.real_name or officer.get_username()},
        public=False,
    )


def _note(application, user, today, now, comment=""):
    if not comment.strip():
        raise NotAllowed(_("Write the note."))
    return Change(CaseAction.NOTE, {}, comment, public=False)


def _withdraw(application, user, today, now, comment=""):
    fields = {"status": ApplicationStatus.WITHDRAWN, "step_due": None}
    return Change(CaseAction.WITHDRAW, fields, comment)


def _resubmit(application, user, today, now, comment=""):
    """The applicant answered the supplement request: the clock restarts."""
    waited = working_days_between(application.clock_paused_on or today, today)
    due = application.step_due
    application.supplements.filter(resolved_at__isnull=True, tolerance=False).update(
        resolved_at=now
    )
    fields = {
        "status": ApplicationStatus.SUBMITTED,
        "clock_paused_on": None,
        "step_due": add_working_days(due, waited) if due else None,
    }
    return Change(CaseAction.RESUBMIT, fields, comment, {"waited_working_days": waited})


def _materials_received(
    application, user, today, now, comment="", supplement=None, keys=()
):
    """The applicant sent the materials a 容缺 acceptance let follow; the case
    does not move, but its version does, so stale staff pages get Conflict."""
    closed = SupplementRequest.objects.filter(
        pk__in=[supplement.pk] if supplement is not None else [],
        application=application,
        tolerance=True,
        resolved_at__isnull=True,
    ).update(resolved_at=now)
    if not closed:
        raise NotAllowed(_("There are no materials to send for this application."))
    data = {
        "request": supplement.pk,
        "keys": list(keys),
        "items": [item["label"] for item in supplement.items],
    }
    return Change(CaseAction.MATERIALS_RECEIVED, {}, comment, data)


def _clean_items(items) -> list[dict]:
    cleaned = []
    for item in items or ():
        label = str(item.get("label", "")).strip()[:200]
        if label:
            cleaned.append(
                {
                    "key": str(item.get("key", ""))[:40],
                    "label": label,
                    "reason": str(item.get("reason", "")).strip()[:300],
                }
            )
    return cleaned


ACTIONS: dict[CaseAction, Callable[..., Change]] = {
    CaseAction.ACCEPT: _accept,
    CaseAction.ACCEPT_WITH_TOLERANCE: _accept_with_tolerance,
    CaseAction.RETURN: _return,
    CaseAction.PASS: _pass,
    CaseAction.OPINION: _opinion,
    CaseAction.APPROVE: _approve,
    CaseAction.REJECT: _reject,
    CaseAction.ASSIGN: _assign,
    CaseAction.NOTE: _note,
    CaseAction.WITHDRAW: _withdraw,
    CaseAction.RESUBMIT: _resubmit,
    CaseAction.MATERIALS_RECEIVED: _materials_received,
}


def end_publicity(application: Application, *, at=None) -> Application | None:
    """Complete a case whose publicity period has ended (close_publicity).

    A case held by an open or upheld objection stays where it is.
    """
    from forms.publicity.batches import is_held

    if application.status != ApplicationStatus.PUBLICITY or is_held(application):
        return None
    now, today = _moment(at)
    return _apply(
        application,
        None,
        Change(CaseAction.PUBLICITY_END, _advance(application, today, now)),
        now=now,
    )


def reject_after_objection(
    application: Application, user, reason: str, *, request=None, data=None
) -> Application:
    """An objection to a case in publicity was upheld: it is not approved."""
    if application.status != ApplicationStatus.PUBLICITY:
        raise NotAllowed(_("Only a case in publicity can be stopped by an objection."))
    fields = {
        "status": ApplicationStatus.REJECTED,
        "decided_at": timezone.now(),
        "decision_reason": reason.strip(),
        "step_due": None,
    }
    change = Change(CaseAction.REJECT, fields, reason.strip(), data)
    return _apply(application, user, change, request)


def system_note(application: Application, user, text: str) -> Application:
    """An internal note the system writes while someone works elsewhere (e.g.
    publishing a publicity batch); no step rights are involved."""
    return _apply(application, user, Change(CaseAction.NOTE, {}, text, public=False))
