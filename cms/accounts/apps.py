from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # Explicit, because this module holds a second app config.
    default = True
    name = "cms.accounts"
    label = "accounts"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules import models.
        from . import signals  # noqa: F401


class HarborUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, whose user forms know our staff fields (kind,
    department, district, real name, mobile). Listed in INSTALLED_APPS in place
    of "wagtail.users", as Wagtail's "Custom user models" documentation says."""

    default = False
    user_viewset = "cms.accounts.admin_users.UserViewSet"
