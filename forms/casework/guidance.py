"""What the case page tells the staff who open it: for each action it offers,
one line on what happens next; who holds the case now; what it waits for.

Everything is read from the case's frozen review steps (their kinds, names,
handling groups, departments and time limits) and its open department tasks,
never written out per form, so a form's administrator changes the lines by
changing the steps.
"""

from django.contrib.auth.models import Group
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.departments.models import Department
from forms.casework import workflow
from forms.casework.roles import PUBLICITY
from forms.models import Application, ApplicationStatus, CaseAction, StepKind

# Actions that move the case into its next step.
ADVANCING = (
    CaseAction.ACCEPT,
    CaseAction.ACCEPT_WITH_TOLERANCE,
    CaseAction.PASS,
    CaseAction.APPROVE,
)

LIST_SEPARATOR = "、"


def next_step(application: Application) -> dict | None:
    """The step after the current one, if there is one."""
    steps = application.workflow or []
    index = application.step_index + 1
    return steps[index] if index < len(steps) else None


def department_names(department_ids) -> str:
    """Departments by their short names, in the hall's order."""
    departments = Department.objects.filter(pk__in=list(department_ids))
    return LIST_SEPARATOR.join(department.display_name for department in departments)


def _days(days: int) -> str:
    return ngettext("%(days)d working day", "%(days)d working days", days) % {
        "days": days
    }


def entering(step: dict | None) -> str:
    """What entering ``step`` means (None: the case is completed)."""
    if step is None:
        return _("the case is completed")
    name = workflow.step_name(step)
    if step["kind"] == StepKind.PUBLICITY:
        return _("goes to %(step)s for %(days)s") % {
            "step": name,
            "days": _days(step["days"]),
        }
    if step["kind"] == StepKind.DEPARTMENT and step.get("department_ids"):
        return _("goes to %(step)s (%(departments)s), time limit %(days)s") % {
            "step": name,
            "departments": department_names(step["department_ids"]),
            "days": _days(step["days"]),
        }
    return _("goes to %(step)s, time limit %(days)s") % {
        "step": name,
        "days": _days(step["days"]),
    }


def _other_open_departments(application: Application, user) -> list[int]:
    from forms.casework.rights import handled_department_ids

    mine = set(handled_department_ids(user))
    open_ids = list(
        workflow.open_tasks(application).values_list("department_id", flat=True)
    )
    # The opinion answers one task of the user's departments (actions._opinion).
    answered = next((pk for pk in open_ids if pk in mine), None)
    if answered is None and open_ids:
        answered = open_ids[0]
    return [pk for pk in open_ids if pk != answered]


def what_happens(application: Application, action: str, user) -> str:
    """One line on what taking ``action`` now does to the case."""
    if action in ADVANCING:
        line = entering(next_step(application))
        if action == CaseAction.ACCEPT_WITH_TOLERANCE:
            line = _("%(next)s; the listed materials follow by the date set") % {
                "next": line
            }
        return line
    if action == CaseAction.OPINION:
        others = _other_open_departments(application, user)
        if others:
            return _("the case waits for the opinions of %(departments)s") % {
                "departments": department_names(others)
            }
        return entering(next_step(application))
    if action == CaseAction.RETURN:
        return _(
            "back to the applicant for supplement; the clock stops until they resubmit"
        )
    if action == CaseAction.REJECT:
        return _("the case ends as not approved; the applicant is told the reason")
    if action == CaseAction.ASSIGN:
        return _("the officer follows the case and sees it from then on")
    if action == CaseAction.NOTE:
        return _("staff see the note; the applicant does not")
    return ""


def _group_name(group_id) -> str:
    group = Group.objects.filter(pk=group_id).first() if group_id else None
    return group.name if group else ""


def holder(application: Application) -> str:
    """Who has the case in hand now."""
    status = application.status
    if status == ApplicationStatus.SUPPLEMENT:
        return _("The applicant")
    if status == ApplicationStatus.PUBLICITY:
        return PUBLICITY
    step = workflow.current_step(application)
    if status != ApplicationStatus.SUBMITTED or step is None:
        return ""
    if step["kind"] == StepKind.DEPARTMENT:
        return department_names(
            workflow.open_tasks(application).values_list("department_id", flat=True)
        )
    if step["kind"] == StepKind.PREREVIEW:
        district = application.district
        group = district.casework_group if district else None
        if group is not None:
            return group.name
        return district.name if district else workflow.step_name(step)
    return _group_name(step.get("group_id")) or _("Staff who may change applications")


def waiting_for(application: Application) -> str:
    """What the case waits for, in one line."""
    from forms.publicity.batches import is_held

    status = application.status
    if status == ApplicationStatus.SUPPLEMENT:
        return _("Waiting for the applicant's supplement (the clock is stopped)")
    if status == ApplicationStatus.PUBLICITY:
        if is_held(application):
            return _("Held by an objection to the publicity")
        entry = (
            application.publicity_entries.select_related("batch")
            .filter(batch__published_at__isnull=False)
            .first()
        )
        if entry is not None and entry.batch.ends_on:
            return _("In publicity until %(date)s") % {
                "date": date_format(entry.batch.ends_on, "Y-m-d")
            }
        return _("Waiting to be published in a publicity batch")
    step = workflow.current_step(application)
    if status != ApplicationStatus.SUBMITTED or step is None:
        return _("Nothing: the case is closed")
    if step["kind"] == StepKind.DEPARTMENT:
        return _("Waiting for the opinions of %(departments)s") % {
            "departments": holder(application)
        }
    name, who = workflow.step_name(step), holder(application)
    if who == name:  # a group named after its step
        return _("Waiting for %(step)s") % {"step": name}
    return _("Waiting for %(step)s by %(holder)s") % {"step": name, "holder": who}
