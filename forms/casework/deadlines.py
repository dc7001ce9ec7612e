"""Deadlines in flight follow the working-day calendar forward only.

When a day from today on stops being a working day (a holiday added in the
admin or imported, a make-up working day removed), every stored deadline that
counted that day moves one working day later: the case's step deadline, the
open department tasks of the step, and the materials owed after a 容缺
acceptance. A day that becomes a working day moves no deadline earlier, and a
change to a past day changes nothing stored (docs/reference-data.md).
"""

from django.db import models
from django.dispatch import receiver

from cms.core.workdays import add_working_days, working_days_lost
from forms.models import Application, DepartmentTask, SupplementRequest


def _move(queryset, field: str) -> int:
    moved = 0
    for pk, due in queryset.values_list("pk", field):
        queryset.model.objects.filter(pk=pk).update(**{field: add_working_days(due, 1)})
        moved += 1
    return moved


@receiver(working_days_lost)
def move_deadlines(sender, days, **kwargs) -> None:
    for day in days:
        started_before = models.Q(step_started_on__lt=day) | models.Q(
            step_started_on__isnull=True
        )
        _move(
            Application.objects.filter(started_before, step_due__gte=day),
            "step_due",
        )
        _move(
            DepartmentTask.objects.filter(
                answered_at__isnull=True,
                due__gte=day,
                application__step_started_on__lt=day,
            ),
            "due",
        )
        _move(
            SupplementRequest.objects.filter(
                resolved_at__isnull=True, due__gte=day, created_at__date__lt=day
            ),
            "due",
        )
