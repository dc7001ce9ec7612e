from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "cms.services"
    label = "services"
    verbose_name = _("Service items and guides")
