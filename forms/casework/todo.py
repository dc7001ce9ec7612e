"""The to-do panel every casework role opens its dashboard on.

For the roles that decide cases: their cases (``admin_views.my_work``, within
what they may see) in three groups by due status: overdue, due within two
working days, and new (reached their step since the previous working day).
For the publicity role: batches to publish, objections to decide and approved
cases waiting for a batch. A role with nothing waiting reads so, and where to
look. Staff without a casework role (content editors, form builders) get no
panel: there is nothing of casework for them to see.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from wagtail import hooks
from wagtail.admin.ui.components import Component

from cms.core.identifiers import mask_name
from cms.core.workdays import add_working_days, is_working_day
from forms.casework import admin_views, workflow
from forms.casework.rights import visible_applications
from forms.models import (
    Application,
    ApplicationStatus,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    ReviewStep,
)

DUE_SOON_WORKING_DAYS = 2
# Each group lists this many; the rest are a link to the full list.
SHOWN = 8

VIEW_CASES = "applications.view_application"
CHANGE_CASES = "applications.change_application"
PUBLICITY_PERMISSIONS = (
    "applications.change_publicitybatch",
    "applications.change_objection",
)


def previous_working_day(day: datetime.date) -> datetime.date:
    for _step in range(31):  # the longest holiday is far shorter
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            return day
    return day


@dataclass
class ToDoGroup:
    """One group of the panel: its rows, how many there are in all, and
    where the full list is."""

    key: str
    title: str
    rows: list = field(default_factory=list)
    count: int = 0
    more_url: str = ""


def _case_row(application: Application) -> dict:
    return {
        "url": admin_views.case_url(application),
        "label": application.receipt_number,
        "detail": f"{application.form.title} · {mask_name(application.subject_name)}"
        f" · {workflow.stage_label(application)}",
        "due": application.step_due,
    }


def _group(key, title, queryset, row, more_url, order) -> ToDoGroup:
    rows = [row(item) for item in queryset.order_by(*order)[:SHOWN]]
    count = len(rows) if len(rows) < SHOWN else queryset.count()
    return ToDoGroup(key, title, rows, count, more_url)


def decides_cases(user) -> bool:
    """A role that decides, follows or reads cases."""
    reach = workflow.Reach(user)
    return bool(
        user.is_superuser
        or user.has_perm(VIEW_CASES)
        or user.has_perm(CHANGE_CASES)
        or reach.department_ids
        or reach.district_ids
        or ReviewStep.objects.filter(handler_group__in=reach.group_ids).exists()
        or Application.objects.filter(officer=user).exists()
    )


def handles_publicity(user) -> bool:
    return any(user.has_perm(permission) for permission in PUBLICITY_PERMISSIONS)


def case_groups(user, today: datetime.date) -> list[ToDoGroup]:
    """The user's cases by due status; a case is in one group only."""
    mine = visible_applications(user).filter(admin_views.my_work(user))
    mine = mine.select_related("form")
    until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    since = previous_working_day(today)
    in_review = Q(status=ApplicationStatus.SUBMITTED)
    overdue = in_review & Q(step_due__lt=today)
    due_soon = in_review & Q(step_due__gte=today, step_due__lte=until)
    new = (
        in_review
        & Q(step_started_on__gte=since)
        & (Q(step_due__gt=until) | Q(step_due__isnull=True))
    )
    index = reverse("applications_application_modeladmin_index")
    my_work = f"{index}?queue=mine"
    return [
        _group(
            "overdue",
            _("Overdue"),
            mine.filter(overdue),
            _case_row,
            my_work,
            ("step_due", "receipt_number"),
        ),
        _group(
            "due_soon",
            _("Due within %(days)d working days") % {"days": DUE_SOON_WORKING_DAYS},
            mine.filter(due_soon),
            _case_row,
            my_work,
            ("step_due", "receipt_number"),
        ),
        _group(
            "new",
            pgettext("to-do", "New"),
            mine.filter(new),
            _case_row,
            my_work,
            ("-step_started_on", "receipt_number"),
        ),
    ]


def _batch_row(batch: PublicityBatch) -> dict:
    return {
        "url": reverse("publicity_admin:publish", args=[batch.pk]),
        "label": batch.title,
        "detail": _("starts on %(date)s, not published yet")
        % {"date": batch.starts_on.isoformat()},
        "due": batch.starts_on,
    }


def _objection_row(objection: Objection) -> dict:
    return {
        "url": reverse("publicity_admin:handle_objection", args=[objection.pk]),
        "label": objection.application.receipt_number,
        "detail": _("objection to %(name)s, received %(date)s")
        % {
            "name": mask_name(objection.application.subject_name),
            "date": timezone.localtime(objection.created_at).strftime("%Y-%m-%d"),
        },
        "due": None,
    }


def _waiting_row(application: Application) -> dict:
    return {
        "url": reverse("applications_publicitybatch_modeladmin_create"),
        "label": application.receipt_number,
        "detail": _("approved, waiting for a publicity batch: %(form)s")
        % {"form": application.form.title},
        "due": None,
    }


def publicity_groups(user, today: datetime.date) -> list[ToDoGroup]:
    """Publicity work by the same due status: batches that should have gone
    online, batches to publish soon, and what is new (objections, approved
    cases waiting for a batch)."""
    from forms.publicity.batches import eligible_applications

    batches = reverse("applications_publicitybatch_modeladmin_index")
    unpublished = PublicityBatch.objects.filter(published_at__isnull=True)
    until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    objections = Objection.objects.filter(status=ObjectionStatus.OPEN).select_related(
        "application"
    )
    return [
        _group(
            "overdue",
            _("Overdue"),
            unpublished.filter(starts_on__lt=today),
            _batch_row,
            batches,
            ("starts_on", "pk"),
        ),
        _group(
            "due_soon",
            _("Due within %(days)d working days") % {"days": DUE_SOON_WORKING_DAYS},
            unpublished.filter(starts_on__gte=today, starts_on__lte=until),
            _batch_row,
            batches,
            ("starts_on", "pk"),
        ),
        _group(
            "objections",
            _("Objections to decide"),
            objections,
            _objection_row,
            reverse("applications_objection_modeladmin_index") + "?status=open",
            ("created_at", "pk"),
        ),
        _group(
            "waiting",
            _("Approved, waiting for a publicity batch"),
            eligible_applications(),
            _waiting_row,
            reverse("applications_publicitybatch_modeladmin_create"),
            ("receipt_number",),
        ),
    ]


class ToDoPanel(Component):
    """First on the dashboard of every casework role."""

    name = "casework_todo"
    template_name = "forms/admin/todo_panel.html"
    order = 5

    def __init__(self, user, cases: bool, publicity: bool):
        self.user, self.cases, self.publicity = user, cases, publicity

    def get_context_data(self, parent_context=None):
        user = self.user
        today = timezone.localdate()
        groups = []
        if self.cases:
            groups += case_groups(user, today)
        if self.publicity:
            groups += publicity_groups(user, today)
        reach = workflow.Reach(user)
        return {
            "groups": [group for group in groups if group.count],
            "heading": gettext_lazy("Your to-do list"),
            "cases": self.cases,
            "publicity": self.publicity,
            "units": _units(reach),
            "has_units": bool(reach.department_ids or reach.district_ids),
            "sees_all": user.has_perm(VIEW_CASES),
            "decides": user.is_superuser or user.has_perm(CHANGE_CASES),
            "index_url": reverse("applications_application_modeladmin_index"),
            "statistics_url": reverse("applications_statistics"),
            "batches_url": reverse("applications_publicitybatch_modeladmin_index"),
        }


def _units(reach) -> str:
    from cms.departments.models import Department, District

    names = [
        unit.display_name
        for unit in [
            *Department.objects.filter(pk__in=reach.department_ids),
            *District.objects.filter(pk__in=reach.district_ids),
        ]
    ]
    return "、".join(names)


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    user = request.user
    if not workflow.is_case_staff(user):
        return
    cases, publicity = decides_cases(user), handles_publicity(user)
    if cases or publicity:
        panels.append(ToDoPanel(user, cases, publicity))
