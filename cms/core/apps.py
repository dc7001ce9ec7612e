from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = _("Hall core")

    def ready(self):
        # Connects the signals that clear the cached working-day calendar, the
        # cached links of the fixed pages and the cached pages.
        from . import checks, links, pagecache, workdays  # noqa: F401
        from .pinyin import load

        # Place names and the hall's terms read right in every pypinyin caller.
        load()
