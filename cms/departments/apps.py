from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "cms.departments"
    label = "departments"
    verbose_name = _("Departments and districts")

    def ready(self):
        from . import signals  # noqa: F401
