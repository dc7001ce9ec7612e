from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search interface over two engines (filled by the search issue)."""

    name = "search"
    label = "harbor_search"
    verbose_name = _("Search")
