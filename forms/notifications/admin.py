"""The "Notifications" admin menu (wagtail-modeladmin): the texts administrators
edit, and the outbox, so that a failing gateway is visible.

Registered by importing this module from forms/wagtail_hooks.py.
"""

from django.contrib.admin import display
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from cms.core.modeladmin import (
    DeclaredFiltersIndexView,
    HallModelAdmin,
    ReadOnlyPermissionHelper,
)
from forms.models import Delivery, NotificationTemplate
from forms.notifications.texts import ensure_templates


class TemplatePermissionHelper(PermissionHelper):
    """One text per event and channel, all created in code: edit only."""

    def user_can_create(self, user) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False


class TemplateIndexView(DeclaredFiltersIndexView):
    def dispatch(self, request, *args, **kwargs):
        ensure_templates()  # the built-in texts are there to edit before first use
        return super().dispatch(request, *args, **kwargs)


class NotificationTemplateAdmin(HallModelAdmin):
    model = NotificationTemplate
    menu_label = _("Message texts")
    menu_icon = "edit"
    permission_helper_class = TemplatePermissionHelper
    index_view_class = TemplateIndexView
    list_display = ("event", "channel", "active", "subject", "updated_at")
    list_filter = ("event", "channel", "active")
    search_fields = ("subject", "body")


class DeliveryPermissionHelper(ReadOnlyPermissionHelper):
    """Deliveries are written by the notification flow, never in the admin."""


class DeliveryAdmin(HallModelAdmin):
    model = Delivery
    menu_label = _("Deliveries")
    menu_icon = "mail"
    permission_helper_class = DeliveryPermissionHelper
    inspect_view_enabled = True
    inspect_view_fields = (
        "channel",
        "address",
        "application",
        "kind",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    )
    list_display = (
        "created_at",
        "channel",
        "address",
        "receipt_number",
        "kind",
        "status",
        "attempts",
        "short_error",
        "next_attempt_at",
    )
    list_filter = ("status", "channel", "kind")
    list_select_related = ("application",)
    search_fields = ("application__receipt_number",)

    @display(description=_("Receipt number"))
    def receipt_number(self, delivery):
        return delivery.application.receipt_number if delivery.application else ""

    @display(description=_("Last error"))
    def short_error(self, delivery):
        return delivery.last_error[:80]


class NotificationsGroup(ModelAdminGroup):
    menu_label = pgettext_lazy("inbox", "Notifications")
    menu_icon = "mail"
    menu_order = 270
    items = (NotificationTemplateAdmin, DeliveryAdmin)


modeladmin_register(NotificationsGroup)
