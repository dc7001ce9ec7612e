"""Partner organisations in the admin: who honours the talent card, with what,
and how many verifications each counted (docs/cards.md).

Editing follows the model permissions (add/change/delete partner organisation)
that an administrator gives a group; no casework or content role has them.
"""

import datetime

from django.contrib.admin import display
from django.db.models import Sum
from django.forms import CheckboxSelectMultiple
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import modeladmin_register

from cms.core.modeladmin import HallModelAdmin
from forms.builder.admin_views import is_back_office
from forms.models import Partner, VerificationOutcome

RECENT_DAYS = 30


class PartnerPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return is_back_office(user) and super().user_can_list(user)

    def user_can_create(self, user) -> bool:
        return is_back_office(user) and super().user_can_create(user)

    def user_can_edit_obj(self, user, obj) -> bool:
        return is_back_office(user) and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj) -> bool:
        return is_back_office(user) and super().user_can_delete_obj(user, obj)


class PartnerAdmin(HallModelAdmin):
    model = Partner
    menu_label = gettext_lazy("Card partners")
    menu_icon = "link"
    menu_order = 285
    permission_helper_class = PartnerPermissionHelper
    list_display = (
        "name",
        "kind",
        "code",
        "active",
        "verifications_recent",
        "verifications_valid_recent",
        "verification_link",
    )
    list_filter = ("kind", "active")
    search_fields = ("name", "code")
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
            FieldPanel("code"),
            FieldPanel("benefits"),
            FieldPanel("tiers", widget=CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("address"), FieldPanel("phone")]),
            FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
        ]
    )

    def _counted(self, partner, **filters) -> int:
        since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS - 1)
        total = partner.verification_counts.filter(day__gte=since, **filters).aggregate(
            total=Sum("count")
        )["total"]
        return total or 0

    @display(description=gettext_lazy("Verifications (30 days)"))
    def verifications_recent(self, partner) -> int:
        return self._counted(partner)

    @display(description=gettext_lazy("Valid cards (30 days)"))
    def verifications_valid_recent(self, partner) -> int:
        return self._counted(partner, outcome=VerificationOutcome.VALID)

    @display(description=gettext_lazy("Partner's verification link"))
    def verification_link(self, partner) -> str:
        return reverse("cards:partner", args=[partner.code])


modeladmin_register(PartnerAdmin)
