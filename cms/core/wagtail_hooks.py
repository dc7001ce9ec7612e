from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ServiceCategory, TalentTier


class ServiceCategoryViewSet(SnippetViewSet):
    model = ServiceCategory
    icon = "list-ul"
    list_display = ["name", "slug", "sort_order"]


class TalentTierViewSet(SnippetViewSet):
    model = TalentTier
    icon = "group"
    list_display = ["name", "code", "sort_order"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomies")
    menu_icon = "tag"
    items = (ServiceCategoryViewSet, TalentTierViewSet)


register_snippet(TaxonomyGroup)
