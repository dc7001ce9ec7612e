from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from .models import Department, District


class DistrictAdmin(ModelAdmin):
    model = District
    menu_icon = "site"
    list_display = ("name", "code", "phone")
    search_fields = ("name", "short_name")


class DepartmentAdmin(ModelAdmin):
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
