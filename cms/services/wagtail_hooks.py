from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .models import ServiceItem


class ServiceItemAdmin(ModelAdmin):
    model = ServiceItem
    menu_icon = "list-ul"
    menu_order = 290
    list_display = ("name", "category", "department", "guide", "is_active")
    list_filter = ("category", "department", "is_active")
    search_fields = ("name",)


modeladmin_register(ServiceItemAdmin)
