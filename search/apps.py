from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search interface over two engines: Chinese analysis, the embedded
    engine, Elasticsearch, index sync."""

    name = "search"
    label = "harbor_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules import models.
        from search import signals

        signals.connect()
