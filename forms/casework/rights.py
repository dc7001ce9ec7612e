"""Record-level rights on applications through django-guardian (docs/security.md D1, D3).

Case rights come from casework roles only (forms/casework/roles.py), never from the
department or district a staff member belongs to:

- a role holding the model permission ``view_application`` (the window, review,
  approval and statistics roles) sees every submitted application;
- a unit's casework group (`<district> · 初审`, `<department> · 经办`) holds object
  permissions on the cases that reached the unit: its district's cases once
  they enter pre-review, its department's once dispatched there. Whoever is in
  the group sees them, whoever leaves it no longer does. The unit keeps what
  it handled;
- a case officer holds object permissions on their own cases.

Content groups (`· 编辑`, `· 审核发布`) and form builders hold none of these.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from cms.departments.models import Department, District
from forms.models import Application, ApplicationStatus, ReviewStep, StepKind

CASE_PERMISSIONS = ("applications.view_application", "applications.change_application")
CHANGE = "applications.change_application"


def _grant(group_ids: list[int], user_ids: list[int], application: Application) -> None:
    """Both case permissions on ``application`` to these groups and users.

    Every action grants again, so rows that exist are skipped by the database
    (guardian's unique constraints) instead of read first: one insert per kind
    of grantee, where guardian's ``assign_perm`` takes three queries per row.
    """
    if not group_ids and not user_ids:
        return
    content_type = ContentType.objects.get_for_model(Application)
    permissions = list(
        Permission.objects.filter(
            content_type=content_type,
            codename__in=[name.split(".")[1] for name in CASE_PERMISSIONS],
        ).values_list("pk", flat=True)
    )
    row = {"content_type": content_type, "object_pk": str(application.pk)}
    GroupObjectPermission.objects.bulk_create(
        [
            GroupObjectPermission(group_id=group_id, permission_id=permission, **row)
            for group_id in group_ids
            for permission in permissions
        ],
        ignore_conflicts=True,
    )
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(user_id=user_id, permission_id=permission, **row)
            for user_id in user_ids
            for permission in permissions
        ],
        ignore_conflicts=True,
    )


def grant_case_rights(application: Application) -> None:
    """Give the units the case has reached, and its officer, their object
    permissions."""
    # workflow imports this module at its top: the step is read lazily.
    from forms.casework.workflow import current_step

    step = current_step(application)
    group_ids: list[int] = []
    if step and step["kind"] == StepKind.PREREVIEW and application.district_id:
        group_ids += District.objects.filter(
            pk=application.district_id, casework_group__isnull=False
        ).values_list("casework_group_id", flat=True)
    if step and step["kind"] == StepKind.DEPARTMENT:
        group_ids += application.department_tasks.filter(
            step_index=application.step_index,
            department__casework_group__isnull=False,
        ).values_list("department__casework_group_id", flat=True)
    user_ids = [application.officer_id] if application.officer_id else []
    _grant(group_ids, user_ids, application)


def _staff(user) -> bool:
    return user.is_active and (user.is_superuser or user.kind == "staff")


def prereview_district_ids(user) -> list[int]:
    """Districts whose pre-review role (`· 初审`) this user holds."""
    return list(
        District.objects.filter(casework_group__user=user).values_list("pk", flat=True)
    )


def handled_department_ids(user) -> list[int]:
    """Departments whose handler role (`· 经办`) this user holds."""
    return list(
        Department.objects.filter(casework_group__user=user).values_list(
            "pk", flat=True
        )
    )


def visible_applications(user) -> QuerySet:
    """Submitted applications this staff member may see (drafts never)."""
    if not _staff(user):
        return Application.objects.none()
    visible = get_objects_for_user(
        user,
        "applications.view_application",
        klass=Application,
        accept_global_perms=True,
        with_superuser=True,
    )
    return visible.exclude(status=ApplicationStatus.DRAFT)


def _change_permission() -> Permission:
    return Permission.objects.get(
        content_type__app_label="applications", codename="change_application"
    )


def officer_candidates(application: Application | None = None) -> QuerySet:
    """Staff who may handle ``application`` (or, without one, some case) and so
    may be named its case officer: superusers, holders of a role with the model
    permission to change applications, members of a group that handles one of
    the case's steps, and members of a unit role whose unit the case reached. Naming someone else would hand them lasting access."""
    change = _change_permission()
    holders = (
        Q(is_superuser=True)
        | Q(groups__permissions=change)
        | Q(user_permissions=change)
    )
    if application is None:
        holders |= (
            Q(groups__casework_unit_department__isnull=False)
            | Q(groups__casework_unit_district__isnull=False)
            | Q(groups__in=ReviewStep.objects.values("handler_group"))
        )
    else:
        reached = GroupObjectPermission.objects.filter(
            permission=change,
            content_type=change.content_type,
            object_pk=str(application.pk),
        ).values("group_id")
        step_groups = [
            step["group_id"]
            for step in application.workflow or []
            if step.get("group_id")
        ]
        holders |= Q(groups__in=Group.objects.filter(pk__in=reached)) | Q(
            groups__in=step_groups
        )
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(kind="staff") | Q(is_superuser=True))
    )
    ids = users.filter(holders).values("pk")
    return users.filter(pk__in=ids).order_by("real_name", "username")


def may_be_officer(user, application: Application) -> bool:
    return officer_candidates(application).filter(pk=user.pk).exists()
