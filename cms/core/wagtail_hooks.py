from django.contrib import admin
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import modeladmin_register

from . import workdays
from .modeladmin import HallModelAdmin, whole_number_filter
from .models import CalendarDay, ServiceCategory, TalentTier


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
        year = whole_number_filter(self, maximum=9999)
        return queryset if year is None else queryset.filter(date__year=year)


class CalendarDayAdmin(HallModelAdmin):
    """The working-day calendar (工作日历) that every deadline is counted on."""

    model = CalendarDay
    menu_label = _("Working-day calendar")
    menu_icon = "date"
    add_to_settings_menu = True
    list_display = ("date", "weekday", "kind", "name", "source")
    list_filter = (CalendarYearFilter, "kind", "source")
    search_fields = ("name",)
    list_per_page = 100

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "l")


modeladmin_register(CalendarDayAdmin)


class CalendarMissingPanel(Component):
    """From 1 November, while next year has no holiday: on the dashboard of
    those who can fill the calendar in."""

    name = "calendar_missing"
    template_name = "core/admin/calendar_missing_panel.html"
    order = 10

    def __init__(self, year: int):
        self.year = year

    def get_context_data(self, parent_context=None):
        return {
            "year": self.year,
            "calendar_url": reverse("core_calendarday_modeladmin_index"),
        }


@hooks.register("construct_homepage_panels")
def add_calendar_missing_panel(request, panels):
    if not request.user.has_perm("core.add_calendarday"):
        return
    year = workdays.next_year_missing()
    if year is not None:
        panels.insert(0, CalendarMissingPanel(year))
