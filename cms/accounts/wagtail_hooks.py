from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import modeladmin_register

from cms.core.modeladmin import HallModelAdmin

from .models import Employer
from .otp_admin import can_reset, reset_second_factor


class EmployerAdmin(HallModelAdmin):
    model = Employer
    menu_icon = "home"
    menu_order = 310
    list_display = ("name", "uscc", "district", "created_at")
    list_filter = ("district",)
    search_fields = ("name", "uscc")


modeladmin_register(EmployerAdmin)


@hooks.register("register_admin_urls")
def register_second_factor_reset_url():
    return [
        path(
            "users/<int:pk>/second-factor/reset/",
            reset_second_factor,
            name="accounts_reset_second_factor",
        )
    ]


@hooks.register("register_user_listing_buttons")
def second_factor_reset_button(user, request_user):
    if can_reset(request_user):
        yield Button(
            _("Reset second factor"),
            reverse("accounts_reset_second_factor", args=[user.pk]),
            priority=90,
        )
