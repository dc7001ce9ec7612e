"""Case rights move from unit membership to casework roles.

Before, every staff member of a department or district got the unit's case
rights on their own account, content editors included. This migration:

1. gives every department a handler role `<department> · 经办` and every
   district a pre-review role `<district> · 初审`, and creates the city roles
   (受理, 审核, 核准, 公示, 统计) that are missing;
2. grants each unit's role what the unit reached by the cases' own history
   (department tasks, pre-review entered), which is where the rights on the
   staff's accounts came from, and takes every per-account case right away
   except a case officer's on their own cases;
3. puts staff who did casework into the matching role, so an upgraded hall
   keeps working: unit staff with admin access (through a group, or their own
   permission when in no group) who hold no content rights (no `· 编辑`,
   `· 审核发布`, Wagtail Editors/Moderators or form-builder group, no form
   building permission) and are not city staff seeing every case; and members
   of the groups named as handlers of acceptance, review and approval steps.
   Content staff get nothing: an administrator grants them a role if they
   also handle cases.
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

from forms.casework.roles import APPROVERS, REVIEWERS, WINDOW_CLERKS, ensure_city_roles

CASE_CODENAMES = ("view_application", "change_application")
STEP_ROLES = {"accept": WINDOW_CLERKS, "review": REVIEWERS, "approve": APPROVERS}
CONTENT_GROUP_NAMES = ("Editors", "Moderators")


def _ensure_permissions(apps):
    """On a new database the permissions are created only after all
    migrations; this migration needs them now."""
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module


def _casework_group(unit, kind, Group, access_admin):
    if unit.casework_group_id:
        return unit.casework_group
    name = f"{unit.name} · {'初审' if kind == 'district' else '经办'}"
    # As provisioning does: never reuse a group found by name.
    candidate, suffix = name, 1
    while Group.objects.filter(name=candidate).exists():
        suffix += 1
        candidate = f"{name} ({kind} {unit.pk}{'' if suffix == 2 else f'-{suffix}'})"
    group = Group.objects.create(name=candidate)
    group.permissions.add(access_admin)
    unit.casework_group = group
    unit.save(update_fields=["casework_group"])
    return group


def _reached_districts(application) -> bool:
    """Did the case enter its district's pre-review (now or before)?"""
    for index, step in enumerate(application.workflow or []):
        if step.get("kind") == "prereview" and index <= application.step_index:
            return True
    return False


def grant_casework_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Department = apps.get_model("departments", "Department")
    District = apps.get_model("departments", "District")
    Application = apps.get_model("applications", "Application")
    DepartmentTask = apps.get_model("applications", "DepartmentTask")
    ReviewStep = apps.get_model("applications", "ReviewStep")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")

    _ensure_permissions(apps)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    unit_groups = {
        ("department", unit.pk): _casework_group(
            unit, "department", Group, access_admin
        )
        for unit in Department.objects.all()
    }
    unit_groups.update(
        {
            ("district", unit.pk): _casework_group(
                unit, "district", Group, access_admin
            )
            for unit in District.objects.all()
        }
    )
    city_roles = ensure_city_roles(Group, Permission)

    # 2. Record rights: from accounts to the units' roles.
    application_type = ContentType.objects.get(
        app_label="applications", model="application"
    )
    case_permissions = list(
        Permission.objects.filter(
            content_type=application_type, codename__in=CASE_CODENAMES
        )
    )
    # What each unit reached, from the cases' own history: the rights that
    # were on accounts came from exactly this (plus officers, who keep theirs).
    reached = set()  # (unit key, application pk)
    held = UserObjectPermission.objects.filter(content_type=application_type)
    officers = dict(Application.objects.values_list("pk", "officer_id"))
    for application_id, department_id in DepartmentTask.objects.values_list(
        "application_id", "department_id"
    ):
        reached.add((("department", department_id), application_id))
    for application in Application.objects.exclude(status="draft").exclude(
        district__isnull=True
    ):
        if _reached_districts(application):
            reached.add((("district", application.district_id), application.pk))
    GroupObjectPermission.objects.bulk_create(
        [
            GroupObjectPermission(
                group=unit_groups[unit],
                permission=permission,
                content_type=application_type,
                object_pk=str(application_pk),
            )
            for unit, application_pk in sorted(reached)
            if unit in unit_groups
            for permission in case_permissions
        ],
        ignore_conflicts=True,
    )
    stale = [
        pk
        for pk, user_id, object_pk in held.values_list("pk", "user_id", "object_pk")
        if officers.get(int(object_pk) if object_pk.isdigit() else None) != user_id
    ]
    for start in range(0, len(stale), 500):
        UserObjectPermission.objects.filter(pk__in=stale[start : start + 500]).delete()

    # 3. Roles for the staff who did casework.
    content_groups = set(
        Group.objects.filter(name__in=CONTENT_GROUP_NAMES).values_list("pk", flat=True)
    )
    for model in (Department, District):
        for editors, moderators in model.objects.values_list(
            "editors_group_id", "moderators_group_id"
        ):
            content_groups |= {editors, moderators} - {None}
    build_forms = Permission.objects.get(
        content_type__app_label="applications", codename="build_forms"
    )
    content_groups |= set(
        Group.objects.filter(permissions=build_forms).values_list("pk", flat=True)
    )
    casework_groups = {group.pk for group in unit_groups.values()}
    # Members of groups that see every case are city staff (window, review),
    # recognised below by the steps they handle, not handlers of their unit.
    city_groups = set(
        Group.objects.filter(permissions__in=case_permissions).values_list(
            "pk", flat=True
        )
    )
    for user in User.objects.filter(is_active=True, kind="staff"):
        unit = (
            ("department", user.department_id)
            if user.department_id
            else ("district", user.district_id)
            if user.district_id
            else None
        )
        if unit not in unit_groups:
            continue
        groups = set(user.groups.values_list("pk", flat=True))
        # Anyone with content rights is left to the administrator: a role given
        # by mistake would open the unit's cases to an editor.
        if groups & content_groups or user.user_permissions.filter(pk=build_forms.pk):
            continue
        other = groups - casework_groups - city_groups
        did_casework = bool(other) or (
            not groups and user.user_permissions.filter(pk=access_admin.pk).exists()
        )
        if did_casework:
            user.groups.add(unit_groups[unit])
    for kind, role in STEP_ROLES.items():
        handler_groups = (
            ReviewStep.objects.filter(kind=kind, handler_group__isnull=False)
            .exclude(handler_group__in=content_groups)
            .values("handler_group")
        )
        members = User.objects.filter(
            is_active=True, kind="staff", groups__in=handler_groups
        ).distinct()
        city_roles[role].user_set.add(*members)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_notifications"),
        ("departments", "0003_unit_casework_group"),
        (
            "guardian",
            "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more",
        ),
        ("wagtailadmin", "0006_formstate"),
        # After Wagtail gives every admin group its "choose" permissions: the
        # roles made here should hold only their own.
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(grant_casework_roles, migrations.RunPython.noop),
    ]
