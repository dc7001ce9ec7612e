from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from . import workdays  # noqa: F401 (connects the calendar's cache invalidation)
from .models import CalendarDay, ServiceCategory, TalentTier
from .params import parse_int


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


class CalendarYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request, queryset):
        year = parse_int(self.value(), minimum=1, maximum=9999)
        if year is not None:
            return queryset.filter(date__year=year)
        return queryset


class CalendarDayAdmin(ModelAdmin):
    """The working-day calendar (工作日历) that every deadline is counted on."""

    model = CalendarDay
    menu_label = _("Working-day calendar")
    menu_icon = "date"
    add_to_settings_menu = True
    list_display = ("date", "weekday", "kind", "name")
    list_filter = (CalendarYearFilter, "kind")
    search_fields = ("name",)
    list_per_page = 100

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "l")


modeladmin_register(CalendarDayAdmin)
