"""The review flow: a form's steps, where a case stands, and who may act on it.

Deadlines are working days (cms.core.workdays). While an application waits for
the applicant (supplement) its clock stops; on resubmission the step's due date
moves by the working days it waited. Changing a case is forms.casework.actions.
"""

from dataclasses import dataclass
from typing import cast

from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from cms.core.workdays import add_working_days, working_days_between
from cms.departments.models import Department
from forms.casework.rights import (
    handled_department_ids,
    prereview_district_ids,
)
from forms.casework.timelimits import counts_toward_limit
from forms.casework.timelimits import workflow_of as workflow_of  # re-exported
from forms.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    CaseAction,
    StepKind,
)

# Sent after commit for every event: notifications listen (event=CaseEvent).
case_event = Signal()

# Action name -> what the history shows (the enum's labels).
ACTION_LABELS = dict(CaseAction.choices)


class NotAllowed(Exception):
    """The action is not legal here, or not for this user."""


class Conflict(Exception):
    """Someone else changed the case first."""

    def __init__(self, application: Application):
        last = application.events.order_by("-created_at", "-pk").first()
        who = (
            (last.actor.real_name or last.actor.get_username())
            if last and last.actor
            else ""
        )
        when = timezone.localtime(last.created_at).strftime("%H:%M") if last else ""
        super().__init__(
            _(
                "This application was changed by %(who)s at %(when)s. Reload it and "
                "check before acting."
            )
            % {"who": who or _("someone"), "when": when}
        )


# --- reading a case ---


def step_name(step: dict) -> str:
    return step.get("name") or str(StepKind(step["kind"]).label)


def current_step(application: Application) -> dict | None:
    workflow = application.workflow or []
    if application.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUPPLEMENT,
    ):
        return None
    if application.step_index < len(workflow):
        return workflow[application.step_index]
    return None


def stage_label(application: Application) -> str:
    """What the applicant and staff see as the case's state."""
    step = current_step(application)
    if application.status == ApplicationStatus.SUBMITTED and step:
        return step_name(step)
    return application.get_status_display()


def expected_completion(application: Application):
    """The date the case should be decided by: this step's due date plus the
    time limits of the steps after it, in working days, counted as the
    promised time is (forms.casework.timelimits)."""
    if application.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUPPLEMENT,
    ):
        return None
    if not application.step_due:
        return None
    remaining = sum(
        step["days"]
        for step in application.workflow[application.step_index + 1 :]
        if counts_toward_limit(step)
    )
    due = application.step_due
    if application.clock_paused_on:  # waiting: the delay so far moves everything
        waited = working_days_between(application.clock_paused_on, timezone.localdate())
        due = add_working_days(due, waited)
    return add_working_days(due, remaining) if remaining else due


def dispatchable_departments():
    """Departments a case can be dispatched to: those with a handler role (· 经办)."""
    return Department.objects.filter(casework_group__isnull=False)


def open_tasks(application: Application):
    return application.department_tasks.filter(
        step_index=application.step_index, answered_at__isnull=True
    )


# --- who holds the case: the one step rule ---


@dataclass(frozen=True)
class StepHandler:
    """Who decides the current step, as Application stores it (step_kind,
    step_group_id, step_district, step_departments): a group (or, without
    one, anyone with the change permission) for acceptance, review and
    approval; the applicant's district, and the group if set, for pre-review;
    the departments that have not answered yet for department handling."""

    kind: str = ""
    group_id: int | None = None
    district_id: int | None = None
    department_ids: tuple[int, ...] = ()


def step_handler(application: Application, open_department_ids=None) -> StepHandler:
    """The rule, read from the frozen workflow; forms.casework.actions writes
    it into the columns whenever the case moves. ``open_department_ids``: the
    departments with an open task at the current step, if the caller has them."""
    step = current_step(application)
    if step is None:
        return StepHandler()
    kind = step["kind"]
    group_id = step.get("group_id") or None
    if kind == StepKind.PREREVIEW:
        return StepHandler(kind, group_id, application.district_id)
    if kind == StepKind.DEPARTMENT:
        if open_department_ids is None:
            open_department_ids = open_tasks(application).values_list(
                "department_id", flat=True
            )
        return StepHandler(kind, department_ids=tuple(sorted(open_department_ids)))
    if kind == StepKind.PUBLICITY:
        return StepHandler(kind)
    return StepHandler(kind, group_id)


def is_case_staff(user) -> bool:
    return user.is_active and (user.is_superuser or user.is_hall_staff)


def can_see(user, application: Application) -> bool:
    """Staff see a case through the model permission or one granted on it."""
    permission = "applications.view_application"
    return user.has_perm(permission) or user.has_perm(permission, application)


CENTRAL_KINDS = (StepKind.ACCEPT, StepKind.REVIEW, StepKind.APPROVE)


class Reach:
    """What a staff member handles: the groups they are in, the change
    permission, their casework unit roles. Each is read when first needed,
    so one case costs what its step kind needs and a queue reads all once."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def group_ids(self) -> frozenset:
        return frozenset(self.user.groups.values_list("pk", flat=True))

    @cached_property
    def may_change(self) -> bool:
        return self.user.has_perm("applications.change_application")

    @cached_property
    def district_ids(self) -> frozenset:
        return frozenset(prereview_district_ids(self.user))

    @cached_property
    def department_ids(self) -> frozenset:
        return frozenset(handled_department_ids(self.user))


def handles(reach: Reach, application: Application) -> bool:
    """The step columns of one case against a reach; ``handled_by`` is the
    same test as a database condition (tests check that they agree)."""
    kind, group_id = application.step_kind, application.step_group_id
    # Units act through their casework role, never through membership.
    if kind in CENTRAL_KINDS:
        return group_id in reach.group_ids if group_id else reach.may_change
    if kind == StepKind.PREREVIEW:
        return application.step_district_id in reach.district_ids and (
            not group_id or group_id in reach.group_ids
        )
    if kind == StepKind.DEPARTMENT and reach.department_ids:
        return application.step_departments.filter(pk__in=reach.department_ids).exists()
    return False


def held_by(*department_ids) -> Exists:
    """One of these departments has still to answer at the case's current step."""
    through = Application.step_departments.through
    return Exists(
        through.objects.filter(
            application_id=OuterRef("pk"), department_id__in=department_ids
        )
    )


def handled_by(reach: Reach) -> Q:
    """Cases in review whose current step ``reach`` decides, as one condition
    on the step columns (index applications_step_handler)."""
    groups = list(reach.group_ids)
    steps = Q(step_kind__in=CENTRAL_KINDS, step_group_id__in=groups)
    if reach.may_change:
        steps |= Q(step_kind__in=CENTRAL_KINDS, step_group_id__isnull=True)
    if reach.district_ids:
        steps |= Q(
            Q(step_group_id__isnull=True) | Q(step_group_id__in=groups),
            step_kind=StepKind.PREREVIEW,
            step_district_id__in=list(reach.district_ids),
        )
    if reach.department_ids:
        # Q & Exists is a Q at run time (Q._combine takes conditional
        # expressions); the stubs only know Combinable.__and__ for it.
        steps |= cast(
            Q, Q(step_kind=StepKind.DEPARTMENT) & held_by(*reach.department_ids)
        )
    return Q(status=ApplicationStatus.SUBMITTED) & steps


def at_step_kind(*kinds: str) -> Q:
    """Cases in review whose current step is of one of these kinds."""
    return Q(status=ApplicationStatus.SUBMITTED, step_kind__in=kinds)


def may_handle_step(user, application: Application, reach: Reach | None = None) -> bool:
    """May this staff member take the current step's decisions?"""
    if application.status not in OPEN_STATUSES or not application.step_kind:
        return False
    if not is_case_staff(user):
        return False
    if user.is_superuser:
        return True
    return handles(reach or Reach(user), application)


STEP_ACTIONS = {
    StepKind.ACCEPT: {
        CaseAction.ACCEPT,
        CaseAction.ACCEPT_WITH_TOLERANCE,
        CaseAction.RETURN,
        CaseAction.REJECT,
    },
    StepKind.PREREVIEW: {CaseAction.PASS, CaseAction.RETURN},
    StepKind.REVIEW: {CaseAction.PASS, CaseAction.RETURN, CaseAction.REJECT},
    StepKind.DEPARTMENT: {CaseAction.OPINION},
    StepKind.APPROVE: {CaseAction.APPROVE, CaseAction.REJECT},
    StepKind.PUBLICITY: set(),
}


def available_actions(user, application: Application) -> set[str]:
    """Actions this user may take on this case now (what the admin offers)."""
    actions: set[str] = set()
    if application.is_visible_to(user) and application.applicant_id == user.pk:
        if application.status in OPEN_STATUSES:
            actions.add(CaseAction.WITHDRAW)
        if application.status == ApplicationStatus.SUPPLEMENT:
            actions.add(CaseAction.RESUBMIT)
        open_tolerance = application.supplements.filter(
            tolerance=True, resolved_at__isnull=True
        )
        if (
            application.status == ApplicationStatus.SUBMITTED
            and open_tolerance.exists()
        ):
            actions.add(CaseAction.MATERIALS_RECEIVED)
        return actions
    if not is_case_staff(user) or not can_see(user, application):
        return actions
    if application.status in OPEN_STATUSES:
        actions |= {CaseAction.ASSIGN, CaseAction.NOTE}
    if application.status == ApplicationStatus.SUBMITTED and may_handle_step(
        user, application
    ):
        actions |= STEP_ACTIONS[StepKind(application.step_kind)]
    if application.status not in (ApplicationStatus.DRAFT,):
        actions.add(CaseAction.NOTE)
    return actions
