"""One source of time limits: a form's review steps.

The promised time (承诺时限) of an online service is the sum of the working days
of the form's review steps, publicity (公示) not included: it runs after the
decision and is announced on its own. The service guide shows this figure, the
receipt states it and the tracker's expected date counts it down from the steps
frozen into each application, so the three always agree. A guide without an
online form keeps the figure its editor typed.
"""

from dataclasses import dataclass
from typing import Any

from forms.models import StepKind

# Used when an administrator configured no review steps for a form, and offered
# as the Review tab's starting point of a new form (with the city's roles).
DEFAULT_WORKFLOW: list[dict[str, Any]] = [
    {
        "kind": StepKind.ACCEPT,
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 3,
    },
    {
        "kind": StepKind.REVIEW,
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 10,
    },
    {
        "kind": StepKind.APPROVE,
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 5,
    },
]


def workflow_of(form) -> list[dict]:
    """The review steps of a form, as the list frozen into its applications: the
    configured steps, none for a form without review (即办), else the default."""
    if getattr(form, "review_none", False):
        return []
    steps = [step.snapshot() for step in form.review_steps.all()]
    return steps or [dict(step) for step in DEFAULT_WORKFLOW]


def counts_toward_limit(step: dict) -> bool:
    """Publicity follows the decision: it is never part of the promised time."""
    return step["kind"] != StepKind.PUBLICITY


@dataclass(frozen=True)
class TimeLimits:
    """What an applicant is promised, in working days."""

    promised: int
    publicity: int
    steps: tuple[dict, ...]

    @property
    def immediate(self) -> bool:
        """No review: an application is complete when it is submitted."""
        return not self.steps


def titled(step: dict) -> dict:
    """A step with the name the reader sees (empty: the kind's usual name)."""
    return {**step, "title": step.get("name") or str(StepKind(step["kind"]).label)}


def limits_of(steps: list[dict]) -> TimeLimits:
    return TimeLimits(
        promised=sum(step["days"] for step in steps if counts_toward_limit(step)),
        publicity=sum(step["days"] for step in steps if not counts_toward_limit(step)),
        steps=tuple(titled(step) for step in steps),
    )


def form_time_limits(form) -> TimeLimits:
    return limits_of(workflow_of(form))


def forms_time_limits(forms) -> dict[int, TimeLimits]:
    """The time limits of many forms in one query (a module lists its guides):
    the kinds and days are all the figure needs."""
    from forms.models import ReviewStep

    steps: dict[int, list[dict]] = {}
    rows = (
        ReviewStep.objects.filter(form__in=[form.pk for form in forms])
        .order_by("form", "sort_order")
        .values_list("form_id", "kind", "name", "time_limit_days")
    )
    for form_id, kind, name, days in rows:
        steps.setdefault(form_id, []).append({"kind": kind, "name": name, "days": days})
    return {
        form.pk: limits_of(
            []
            if form.review_none
            else steps.get(form.pk) or [dict(step) for step in DEFAULT_WORKFLOW]
        )
        for form in forms
    }
