from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from cms.core.modeladmin import HallModelAdmin

from .models import Department, District


class DistrictAdmin(HallModelAdmin):
    model = District
    menu_icon = "site"
    list_display = ("name", "code", "phone")
    search_fields = ("name", "short_name")


class DepartmentAdmin(HallModelAdmin):
    model = Department
    menu_icon = "group"
    list_display = ("name", "short_name", "district", "phone")
    list_filter = ("district",)
    search_fields = ("name", "short_name")


class OrganisationGroup(ModelAdminGroup):
    menu_label = _("Departments")
    menu_icon = "group"
    menu_order = 300
    items = (DepartmentAdmin, DistrictAdmin)


modeladmin_register(OrganisationGroup)


@hooks.register("construct_page_chooser_queryset")
def hide_other_modules_drafts_from_chooser(
    pages: QuerySet, request: HttpRequest
) -> QuerySet:
    """The page chooser lists (and searches) every page of the tree, drafts
    included; a department's staff would read other departments' draft titles
    there (docs/security.md D2). They see what is public, plus their own modules."""
    user = request.user
    if user.is_superuser:
        return pages
    visible = Q(live=True)
    for permission in PagePermissionPolicy().get_cached_permissions_for_user(user):
        visible |= Q(path__startswith=permission.page.path)
    return pages.filter(visible)
