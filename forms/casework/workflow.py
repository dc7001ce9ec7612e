"""The review flow: a form's steps, where a case stands, and who may act on it.

Deadlines are working days (cms.core.workdays). While an application waits for
the applicant (supplement) its clock stops; on resubmission the step's due date
moves by the working days it waited. Changing a case is forms.casework.actions.
"""

from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cms.core.workdays import add_working_days, working_days_between
from forms.casework.rights import (
    handled_department_ids,
    prereview_district_ids,
)
from forms.models import (
    Application,
    ApplicationStatus,
    StepKind,
)

# Sent after commit for every event: notifications listen (event=CaseEvent).
case_event = Signal()

# Used when an administrator configured no review steps for a form.
DEFAULT_WORKFLOW = [
    {
        "kind": StepKind.ACCEPT,
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 3,
    },
    {
        "kind": StepKind.REVIEW,
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 10,
    },
    {
        "kind": StepKind.APPROVE,
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 5,
    },
]

ACTION_LABELS = {
    "submitted": gettext_lazy("Submitted"),
    "accept": gettext_lazy("Accepted"),
    "accept_with_tolerance": gettext_lazy("Accepted with materials to follow"),
    "return": gettext_lazy("Returned for supplement"),
    "resubmit": gettext_lazy("Supplement sent"),
    "pass": gettext_lazy("Passed"),
    "dispatch": gettext_lazy("Dispatched to departments"),
    "opinion": gettext_lazy("Department opinion"),
    "approve": pgettext_lazy("casework", "Approved"),
    "reject": gettext_lazy("Not approved"),
    "assign": gettext_lazy("Case officer assigned"),
    "note": gettext_lazy("Internal note"),
    "withdraw": gettext_lazy("Withdrawn by the applicant"),
    "publicity_end": gettext_lazy("Publicity ended"),
    "materials_received": gettext_lazy("Missing materials received"),
}


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


def workflow_of(form) -> list[dict]:
    """The review steps a form's administrator configured, as a frozen list."""
    steps = [step.snapshot() for step in form.review_steps.all()]
    return steps or [dict(step) for step in DEFAULT_WORKFLOW]


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
    time limits of the steps after it (publicity excluded), in working days."""
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
        if step["kind"] != StepKind.PUBLICITY
    )
    due = application.step_due
    if application.clock_paused_on:  # waiting: the delay so far moves everything
        waited = working_days_between(application.clock_paused_on, timezone.localdate())
        due = add_working_days(due, waited)
    return add_working_days(due, remaining) if remaining else due


def open_tasks(application: Application):
    return application.department_tasks.filter(
        step_index=application.step_index, answered_at__isnull=True
    )


# --- who may act ---


def _in_group(user, step: dict) -> bool:
    return not step.get("group_id") or user.groups.filter(pk=step["group_id"]).exists()


def is_case_staff(user) -> bool:
    return user.is_active and (user.is_superuser or user.is_hall_staff)


def can_see(user, application: Application) -> bool:
    """Staff see a case through the model permission or one granted on it."""
    permission = "applications.view_application"
    return user.has_perm(permission) or user.has_perm(permission, application)


def may_handle_step(user, application: Application) -> bool:
    """May this staff member take the current step's decisions?"""
    step = current_step(application)
    if step is None or not is_case_staff(user):
        return False
    if user.is_superuser:
        return True
    kind = step["kind"]
    # Units act through their casework role, never through membership.
    if kind == StepKind.PREREVIEW:
        return bool(application.district_id) and (
            application.district_id in prereview_district_ids(user)
            and _in_group(user, step)
        )
    if kind == StepKind.DEPARTMENT:
        return (
            open_tasks(application)
            .filter(department_id__in=handled_department_ids(user))
            .exists()
        )
    if step.get("group_id"):
        return _in_group(user, step)
    return user.has_perm("applications.change_application")


STEP_ACTIONS = {
    StepKind.ACCEPT: {"accept", "accept_with_tolerance", "return", "reject"},
    StepKind.PREREVIEW: {"pass", "return"},
    StepKind.REVIEW: {"pass", "return", "reject"},
    StepKind.DEPARTMENT: {"opinion"},
    StepKind.APPROVE: {"approve", "reject"},
    StepKind.PUBLICITY: set(),
}


def available_actions(user, application: Application) -> set[str]:
    """Actions this user may take on this case now (what the admin offers)."""
    actions: set[str] = set()
    if application.is_visible_to(user) and application.applicant_id == user.pk:
        if application.status in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.SUPPLEMENT,
        ):
            actions.add("withdraw")
        if application.status == ApplicationStatus.SUPPLEMENT:
            actions.add("resubmit")
        open_tolerance = application.supplements.filter(
            tolerance=True, resolved_at__isnull=True
        )
        if (
            application.status == ApplicationStatus.SUBMITTED
            and open_tolerance.exists()
        ):
            actions.add("materials_received")
        return actions
    if not is_case_staff(user) or not can_see(user, application):
        return actions
    if application.status in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SUPPLEMENT,
    ):
        actions |= {"assign", "note"}
    if application.status == ApplicationStatus.SUBMITTED and may_handle_step(
        user, application
    ):
        actions |= STEP_ACTIONS[StepKind(current_step(application)["kind"])]
    if application.status not in (ApplicationStatus.DRAFT,):
        actions.add("note")
    return actions
