from wagtail_modeladmin.options import modeladmin_register

from cms.core.modeladmin import HallModelAdmin

from .models import ServiceItem


class ServiceItemAdmin(HallModelAdmin):
    model = ServiceItem
    menu_icon = "list-ul"
    menu_order = 290
    list_display = ("name", "category", "department", "guide", "is_active")
    list_filter = ("category", "department", "is_active")
    search_fields = ("name",)


modeladmin_register(ServiceItemAdmin)
