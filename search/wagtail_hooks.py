"""Admin: the dictionary, the synonyms, best bets and "Search the hall", under
one menu."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from search.models import BestBet, SearchTerm, SynonymGroup
from search.query import InvalidSearch, SearchRequest, empty_results, search


class SearchTermViewSet(ModelViewSet):
    model = SearchTerm
    icon = "tag"
    menu_label = _("Dictionary")
    list_display = ["term", "frequency", "tag", "is_popular"]
    list_filter = ["tag", "is_popular"]
    search_fields = ["term", "tag"]
    form_fields = ["term", "frequency", "tag", "is_popular"]
    add_to_admin_menu = False


class SynonymGroupViewSet(ModelViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("Synonyms")
    list_display = ["terms", "is_active", "note"]
    list_filter = ["is_active"]
    search_fields = ["terms", "note"]
    form_fields = ["terms", "is_active", "note"]
    add_to_admin_menu = False


class BestBetViewSet(ModelViewSet):
    """Pages promoted above the results of chosen queries. Like the dictionary
    and synonyms, guarded by the model's own add/change/delete permissions."""

    model = BestBet
    icon = "thumbtack"
    menu_label = _("Best bets")
    list_display = [
        "query",
        Column("page", label=_("page"), accessor="page.title"),
        "order",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["query"]
    form_fields = ["query", "page", "order", "note", "is_active"]
    add_to_admin_menu = False

    def get_index_view_kwargs(self, **kwargs):
        # The page titles of the listing in the same query.
        return super().get_index_view_kwargs(
            queryset=BestBet.objects.select_related("page"), **kwargs
        )


class HallSearchView(WagtailAdminTemplateMixin, TemplateView):
    """The public search, seen from the admin: same interface, same results."""

    template_name = "search/admin_search.html"
    page_title = _("Search the hall")
    header_icon = "search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        error = ""
        try:
            req = SearchRequest.from_params(self.request.GET, page_size=20)
        except InvalidSearch as invalid:
            error = invalid.message
            req = SearchRequest("", page_size=20)
        context.update(
            query=req.query,
            results=search(req) if req.query else empty_results(req),
            error=error,
        )
        return context


class HallSearchViewSet(ViewSet):
    name = "hall_search"
    icon = "search"
    menu_label = _("Search the hall")
    url_prefix = "hall-search"

    def get_urlpatterns(self):
        return [path("", HallSearchView.as_view(), name="index")]


class SearchAdminGroup(ViewSetGroup):
    menu_label = _("Search")
    menu_icon = "search"
    menu_order = 900
    items = (HallSearchViewSet, SearchTermViewSet, SynonymGroupViewSet, BestBetViewSet)


@hooks.register("register_admin_viewset")
def register_search_admin():
    return SearchAdminGroup()
