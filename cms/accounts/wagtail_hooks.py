from wagtail_modeladmin.options import modeladmin_register

from cms.core.modeladmin import HallModelAdmin

from .models import Employer


class EmployerAdmin(HallModelAdmin):
    model = Employer
    menu_icon = "home"
    menu_order = 310
    list_display = ("name", "uscc", "district", "created_at")
    list_filter = ("district",)
    search_fields = ("name", "uscc")


modeladmin_register(EmployerAdmin)
