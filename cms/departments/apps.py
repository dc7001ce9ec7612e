from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "cms.departments"
    label = "departments"
    verbose_name = _("Departments and districts")

    def ready(self):
        # Imported once the app registry is ready: these modules import models.
        from . import signals  # noqa: F401
        from .permissions import revoke_wagtail_default_grants

        post_migrate.connect(
            revoke_wagtail_default_grants,
            sender=self,
            dispatch_uid="harbor_revoke_wagtail_default_grants",
        )
