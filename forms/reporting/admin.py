"""Admin pieces of statistics and satisfaction: the dashboard panel, the
Statistics page and menu item, and the rating follow-ups (wagtail-modeladmin).

Imported by forms/wagtail_hooks.py, so that Wagtail's hook discovery loads it.
"""

import datetime

from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import modeladmin_register

from cms.core.modeladmin import HallModelAdmin, ScopedEditView
from forms.builder.admin_views import is_back_office
from forms.casework.rights import handled_department_ids
from forms.models import FollowUpStatus, RatingFollowUp
from forms.reporting import views as stats_views
from forms.reporting.figures import application_figures
from forms.reporting.ratings import close_follow_up

# --- statistics ---


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return stats_views.can_view_statistics(request.user)


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [
        path(
            "statistics/",
            stats_views.admin_statistics,
            name="applications_statistics",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        gettext_lazy("Statistics"),
        reverse("applications_statistics"),
        icon_name="table",
        order=270,
    )


@hooks.register("construct_homepage_panels")
def add_statistics_panel(request, panels):
    if stats_views.can_view_statistics(request.user):
        panels.append(stats_views.StatisticsPanel())


# --- rating follow-ups (好差评 整改) ---

VIEW_ALL = "applications.view_ratingfollowup"
CHANGE_ALL = "applications.change_ratingfollowup"


def follow_ups_of(user):
    """All follow-ups for those with the model permission; else those of the
    departments whose handler role (· 经办) the user holds, or where they are
    the case officer."""
    follow_ups = RatingFollowUp.objects.select_related(
        "rating", "application", "department", "officer"
    )
    if not is_back_office(user):
        return follow_ups.none()
    if user.is_superuser or user.has_perm(VIEW_ALL) or user.has_perm(CHANGE_ALL):
        return follow_ups
    # A department's follow-ups belong to its handlers (经办), not its editors.
    mine = Q(officer=user) | Q(department_id__in=handled_department_ids(user))
    return follow_ups.filter(mine)


class FollowUpPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return is_back_office(user) and (
            user.is_superuser
            or user.has_perm(VIEW_ALL)
            or user.has_perm(CHANGE_ALL)
            or bool(handled_department_ids(user))
            or RatingFollowUp.objects.filter(officer=user).exists()
        )

    def user_can_inspect_obj(self, user, obj) -> bool:
        return follow_ups_of(user).filter(pk=obj.pk).exists()

    def user_can_edit_obj(self, user, obj) -> bool:
        # "Edit" is closing with a resolution note, once.
        return obj.status == FollowUpStatus.OPEN and self.user_can_inspect_obj(
            user, obj
        )

    def user_can_create(self, user) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False


class OverdueFilter(SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("Overdue")),
            ("due_soon", gettext_lazy("Due within 2 days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_ones = queryset.filter(status=FollowUpStatus.OPEN)
        if self.value() == "overdue":
            return open_ones.filter(due__lt=today)
        if self.value() == "due_soon":
            return open_ones.filter(
                due__gte=today, due__lte=today + datetime.timedelta(days=2)
            )
        return queryset


class FollowUpCloseView(ScopedEditView):
    """Saving the resolution closes the follow-up (never reopened)."""

    def form_valid(self, form):
        resolution = form.cleaned_data.get("resolution", "").strip()
        if not resolution:
            form.add_error("resolution", _("Write what was done before closing."))
            return self.form_invalid(form)
        if not close_follow_up(
            self.instance, self.request.user, resolution, request=self.request
        ):
            raise PermissionDenied
        messages.success(self.request, _("Follow-up closed."))
        return redirect(self.get_success_url())

    def get_meta_title(self):
        return _("Close the follow-up")


class RatingFollowUpAdmin(HallModelAdmin):
    model = RatingFollowUp
    menu_label = gettext_lazy("Rating follow-ups")
    menu_icon = "warning"
    menu_order = 265
    permission_helper_class = FollowUpPermissionHelper
    edit_view_class = FollowUpCloseView
    inspect_view_enabled = True
    list_display = (
        "application",
        "rating_level",
        "department",
        "officer",
        "due",
        "is_overdue",
        "status",
    )
    list_filter = ("status", "department", OverdueFilter)
    list_select_related = ("rating", "application", "department", "officer")
    search_fields = ("application__receipt_number",)
    inspect_view_fields = (
        "application",
        "rating_level",
        "rating_comment",
        "department",
        "officer",
        "status",
        "due",
        "created_at",
        "resolution",
        "closed_by",
        "closed_at",
    )

    def get_queryset(self, request):
        return follow_ups_of(request.user)


modeladmin_register(RatingFollowUpAdmin)


# The hall's public figures: applicants (cms/home/figures.py).
hooks.register("register_hall_figures", application_figures)
