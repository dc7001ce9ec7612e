from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .models import Employer


class EmployerAdmin(ModelAdmin):
    model = Employer
    menu_icon = "home"
    menu_order = 310
    list_display = ("name", "uscc", "district", "created_at")
    list_filter = ("district",)
    search_fields = ("name", "uscc")


modeladmin_register(EmployerAdmin)
