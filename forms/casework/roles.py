"""The casework roles: Wagtail groups that administrators give staff in the admin.

Case rights come only from these roles (and from being a superuser), never
from belonging to a department or district:

- per unit, created with the unit (cms/departments/permissions.py): a
  department's handlers `<department> · 经办` and a district's pre-reviewers
  `<district> · 初审`; they hold record rights on the cases that reached their
  unit (forms/casework/rights.py);
- city-wide, created once by a migration (names below, renamable): the window
  受理, review 审核, approval 核准, publicity 公示 and statistics 统计. Their
  rights are model permissions, which an administrator may adjust.

Content groups (`· 编辑`, `· 审核发布`) and form builders get no case rights.
"""

# name → its model permissions, "app_label.codename".
CITY_ROLES = {
    "受理": (
        "wagtailadmin.access_admin",
        "applications.view_application",
        "applications.change_application",
    ),
    "审核": (
        "wagtailadmin.access_admin",
        "applications.view_application",
        "applications.change_application",
        "applications.view_formversion",
    ),
    "核准": (
        "wagtailadmin.access_admin",
        "applications.view_application",
        "applications.change_application",
    ),
    "公示": (
        "wagtailadmin.access_admin",
        "applications.add_publicitybatch",
        "applications.change_publicitybatch",
        "applications.delete_publicitybatch",
        "applications.view_publicitybatch",
        "applications.view_objection",
        "applications.change_objection",
    ),
    "统计": (
        "wagtailadmin.access_admin",
        "applications.view_application",
        "applications.export_application",
    ),
}
WINDOW_CLERKS, REVIEWERS, APPROVERS, PUBLICITY, STATISTICS = CITY_ROLES


def ensure_city_roles(group_model, permission_model) -> dict:
    """Create the city-wide roles that are missing (by name: a renamed role is
    recreated only if its name is free); return them by name. Works with
    historical models, so the migration and the demo share it."""
    roles = {}
    for name, permissions in CITY_ROLES.items():
        group, created = group_model.objects.get_or_create(name=name)
        if created:
            for permission in permissions:
                app_label, codename = permission.split(".")
                group.permissions.add(
                    permission_model.objects.get(
                        content_type__app_label=app_label, codename=codename
                    )
                )
        roles[name] = group
    return roles
