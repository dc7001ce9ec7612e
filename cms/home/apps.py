from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "cms.home"
    label = "home"
    verbose_name = _("Home and standard pages")

    def ready(self):
        # Imported once the app registry is ready: these modules import models.
        from .bootstrap import ensure_hall

        post_migrate.connect(
            ensure_hall, sender=self, dispatch_uid="harbor_ensure_hall"
        )
