"""Record-level rights on applications through django-guardian (SECURITY.md D1, D3).

Back-office staff with the model permission ``view_application`` see every
submitted application. Everyone else sees a case only through object
permissions granted when it reaches them: district pre-reviewers when it enters
their district's pre-review, department handlers when it is dispatched to their
department, a case officer when assigned. Rights are never taken back: a unit
that handled a case may still read it.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from guardian.shortcuts import assign_perm, get_objects_for_user

from .models import Application, ApplicationStatus, StepKind

CASE_PERMISSIONS = ("applications.view_application", "applications.change_application")


def _grant(users, application: Application) -> None:
    for user in users:
        for permission in CASE_PERMISSIONS:
            assign_perm(permission, user, application)


def staff_of(*, department_id=None, district_id=None):
    users = get_user_model().objects.filter(is_active=True, kind="staff")
    if department_id:
        return users.filter(department_id=department_id)
    if district_id:
        return users.filter(district_id=district_id, department__isnull=True)
    return users.none()


def grant_case_rights(application: Application) -> None:
    """Give the units the case has reached their object permissions."""
    from .casework import current_step

    step = current_step(application)
    if step and step["kind"] == StepKind.PREREVIEW and application.district_id:
        _grant(staff_of(district_id=application.district_id), application)
    if step and step["kind"] == StepKind.DEPARTMENT:
        for task in application.department_tasks.filter(
            step_index=application.step_index
        ):
            _grant(staff_of(department_id=task.department_id), application)
    if application.officer_id:
        _grant([application.officer], application)


def grant_open_cases(user) -> None:
    """A staff member who joins a unit gets the cases the unit holds now."""
    from .casework import current_step

    if not (user.is_active and user.kind == "staff"):
        return
    open_cases = Application.objects.filter(status=ApplicationStatus.SUBMITTED)
    if user.department_id:
        cases = open_cases.filter(
            department_tasks__department_id=user.department_id,
            department_tasks__answered_at__isnull=True,
        ).distinct()
    elif user.district_id:
        # Only what is at pre-review now, as grant_case_rights does on arrival.
        cases = [
            case
            for case in open_cases.filter(district_id=user.district_id)
            if (step := current_step(case)) and step["kind"] == StepKind.PREREVIEW
        ]
    else:
        return
    _grant([user], cases)


def visible_applications(user) -> QuerySet:
    """Submitted applications this staff member may see (drafts never)."""
    if not (user.is_active and (user.is_superuser or user.kind == "staff")):
        return Application.objects.none()
    visible = get_objects_for_user(
        user,
        "applications.view_application",
        klass=Application,
        accept_global_perms=True,
        with_superuser=True,
    )
    return visible.exclude(status=ApplicationStatus.DRAFT)
