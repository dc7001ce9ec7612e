"""Figures over submitted applications: pure queries, no views, no caching.

Counts are aggregate queries (one per breakdown), never a query per case.
Processing times are computed in Python: the decided cases of a period are read
in one query (two dates each) and their working days counted on the hall's
calendar. Working days are counted as offsets from one origin date, memoised per
distinct date, so the calendar is consulted once per day of the period, not once
per case: thousands of cases cost milliseconds.

Processing time runs from submission to decision, minus the working days the
case waited for the applicant (the clock stops during a supplement request, as
for the promised time limit).
"""

import datetime
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.core.workdays import working_days_between
from forms.casework.workflow import step_name
from forms.models import (
    OPEN_STATUSES,
    Application,
    ApplicationFormPage,
    ApplicationStatus,
    CaseEvent,
    DepartmentTask,
    FormVersion,
    ServiceRating,
)
from forms.models.ratings import SATISFIED_AT_LEAST, RatingLevel

# Answer types that describe a category (a tier, an industry), never a person.
CATEGORY_TYPES = {"single_choice", "dropdown", "multiple_choice", "short_text"}
TIER_WORDS = ("tier",)
INDUSTRY_WORDS = ("industry", "field")
# Buckets of the processing-time distribution, in working days (upper bound
# inclusive; None: no bound).
DAY_BUCKETS = ((2, "0–2"), (5, "3–5"), (10, "6–10"), (15, "11–15"), (20, "16–20"))
DAY_BUCKETS_LAST = (30, "21–30")


# --- periods ---


@dataclass(frozen=True)
class Period:
    """Calendar days from ``start`` to ``end``, both included, in local time."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_months(cls, months: int = 12, today: datetime.date | None = None):
        """The whole months before this one and this month so far: 12 gives
        eleven full months plus the current one."""
        today = today or timezone.localdate()
        first = today.replace(day=1)
        year, month = divmod(first.year * 12 + first.month - 1 - (months - 1), 12)
        return cls(datetime.date(year, month + 1, 1), today)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes [start, end + 1 day) for filtering timestamps."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return start, end

    def months(self) -> list[datetime.date]:
        """First days of every month the period touches, in order."""
        months = []
        day = self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months


def submitted_applications(period: Period | None = None) -> QuerySet:
    """Applications past the draft stage, submitted within ``period`` if given."""
    queryset = Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(
        submitted_at__isnull=False
    )
    if period is not None:
        start, end = period.bounds()
        queryset = queryset.filter(submitted_at__gte=start, submitted_at__lt=end)
    return queryset


def decided_applications(period: Period | None = None) -> QuerySet:
    """Applications with a decision (approved or not) taken within ``period``."""
    queryset = submitted_applications().filter(decided_at__isnull=False)
    if period is not None:
        start, end = period.bounds()
        queryset = queryset.filter(decided_at__gte=start, decided_at__lt=end)
    return queryset


# --- counts ---


def by_status(queryset: QuerySet) -> list[dict]:
    counts = dict(
        queryset.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {"key": status.value, "label": status.label, "count": counts.get(status, 0)}
        for status in ApplicationStatus
        if status != ApplicationStatus.DRAFT
    ]


def by_stage(queryset: QuerySet) -> list[dict]:
    """Where the current cases stand: the step of those in review, else their
    status (waiting for supplement, in publicity). Grouped in the database by
    frozen workflow and step index, so the query returns a few groups."""
    counts: Counter = Counter()
    in_review = (
        queryset.filter(status=ApplicationStatus.SUBMITTED)
        .order_by()
        .values("workflow", "step_index")
        .annotate(n=Count("pk"))
    )
    for row in in_review:
        workflow = row["workflow"]
        if isinstance(workflow, str):  # some backends hand grouped JSON back as text
            workflow = json.loads(workflow)
        index = row["step_index"]
        step = workflow[index] if workflow and index < len(workflow) else None
        counts[step_name(step) if step else str(ApplicationStatus.SUBMITTED.label)] += (
            row["n"]
        )
    others = (
        queryset.filter(
            status__in=[ApplicationStatus.SUPPLEMENT, ApplicationStatus.PUBLICITY]
        )
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    for row in others:
        counts[str(ApplicationStatus(row["status"]).label)] += row["n"]
    return [{"label": label, "count": n} for label, n in counts.most_common()]


def by_department(queryset: QuerySet, today: datetime.date | None = None) -> list[dict]:
    """Cases dispatched to each department, its unanswered tasks and overdue ones."""
    today = today or timezone.localdate()
    unanswered = Q(answered_at__isnull=True, application__status__in=OPEN_STATUSES)
    rows = (
        DepartmentTask.objects.filter(application__in=queryset.values("pk"))
        .order_by()
        .values("department_id", "department__name", "department__short_name")
        .annotate(
            cases=Count("application", distinct=True),
            open=Count("pk", filter=unanswered),
            overdue=Count("pk", filter=unanswered & Q(due__lt=today)),
        )
        .order_by("-cases", "department__name")
    )
    return [
        {
            "label": row["department__short_name"] or row["department__name"],
            "name": row["department__name"],
            "count": row["cases"],
            "open": row["open"],
            "overdue": row["overdue"],
        }
        for row in rows
    ]


def by_district(queryset: QuerySet) -> list[dict]:
    rows = (
        queryset.order_by()
        .values("district__name", "district__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "district__name")
    )
    return [
        {
            "label": row["district__short_name"]
            or row["district__name"]
            or str(_("Not known")),
            "count": row["n"],
        }
        for row in rows
    ]


def by_month(queryset: QuerySet, period: Period, field: str = "submitted_at"):
    """Cases per month of ``field`` over every month of ``period`` (zeros kept)."""
    counts: dict[datetime.date, int] = {}
    rows = (
        queryset.order_by()
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        month = row["month"]
        if month is None:
            continue
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month) if timezone.is_aware(month) else month
            month = month.date()
        counts[month.replace(day=1)] = counts.get(month.replace(day=1), 0) + row["n"]
    return [
        {"month": month, "label": f"{month:%Y-%m}", "count": counts.get(month, 0)}
        for month in period.months()
    ]


def answer_keys(queryset: QuerySet, words: Iterable[str]) -> list[str]:
    """Top-level category fields whose key contains one of ``words``, in the
    form versions the applications used (one query over the versions)."""
    words = tuple(word.lower() for word in words)
    keys = set()
    versions = FormVersion.objects.filter(
        pk__in=queryset.order_by().values("version_id")
    ).values_list("definition", flat=True)
    for definition in versions:
        for item in definition or ():
            key = (item.get("key") or "").lower()
            # Answers flagged as personal data are sealed: never counted by value.
            if item.get("personal"):
                continue
            if item.get("type") in CATEGORY_TYPES and any(w in key for w in words):
                keys.add(item["key"])
    return sorted(keys)


def by_answer(queryset: QuerySet, words: Iterable[str]) -> dict:
    """Counts by the value of the answers whose key contains one of ``words``
    (a tier, an industry): per form, and in total. One query per such key."""
    per_form: Counter = Counter()
    totals: Counter = Counter()
    for key in answer_keys(queryset, words):
        rows = (
            queryset.filter(answers__has_key=key)
            .order_by()
            .values("form__title")
            .annotate(value=KT(f"answers__{key}"), n=Count("pk"))
            .values_list("form__title", "value", "n")
        )
        for form_title, value, n in rows:
            for one in _values_of(value):
                per_form[(form_title, one)] += n
                totals[one] += n
    return {
        "rows": [
            {"form": form, "value": value, "count": n}
            for (form, value), n in sorted(
                per_form.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])
            )
        ],
        "totals": [
            {"label": value, "count": n}
            for value, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def _values_of(value) -> list[str]:
    """A grouped answer as category values: a multiple choice counts once per
    choice; empty answers are left out."""
    if value in (None, ""):
        return []
    if isinstance(value, dict) or (isinstance(value, str) and value.startswith("{")):
        return []  # a sealed answer ({"masked", "cipher"}): not a category
    if isinstance(value, str) and value.startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return [str(v) for v in parsed if v not in (None, "")]
    return [str(value)]


def by_tier(queryset: QuerySet) -> dict:
    return by_answer(queryset, TIER_WORDS)


def by_industry(queryset: QuerySet) -> dict:
    return by_answer(queryset, INDUSTRY_WORDS)


def overdue_count(today: datetime.date | None = None) -> int:
    """Cases in review whose current step is past its due date."""
    today = today or timezone.localdate()
    return Application.objects.filter(
        status=ApplicationStatus.SUBMITTED, step_due__lt=today
    ).count()


def open_count() -> int:
    return Application.objects.filter(status__in=OPEN_STATUSES).count()


def approved_talents() -> int:
    """People with at least one approved application: distinct ID digests, plus
    distinct applicants of approved applications that asked for no ID number.
    For the hall's public figures (register_hall_figures)."""
    completed = Application.objects.filter(status=ApplicationStatus.COMPLETED)
    with_id = completed.exclude(id_digest="").values("id_digest").distinct().count()
    without_id = (
        completed.filter(id_digest="")
        .values("talent_id", "applicant_id")
        .distinct()
        .count()
    )
    return with_id + without_id


# --- processing time in working days ---


class WorkingDayCounter:
    """working_days_between(a, b) as the difference of offsets from one origin,
    memoised per date: the count over (a, b] is additive, so
    between(a, b) == offset(b) - offset(a) for origin <= a <= b."""

    def __init__(self, origin: datetime.date):
        self.origin = origin
        self._offsets: dict[datetime.date, int] = {}

    def offset(self, day: datetime.date) -> int:
        if day not in self._offsets:
            self._offsets[day] = working_days_between(self.origin, day)
        return self._offsets[day]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        if end <= start:
            return 0
        if start < self.origin:
            return working_days_between(start, end)
        return self.offset(end) - self.offset(start)


@dataclass(frozen=True)
class Duration:
    application_id: int
    form_id: int
    decided_on: datetime.date
    days: int


def durations(queryset: QuerySet) -> list[Duration]:
    """Working days from submission to decision of each decided case in
    ``queryset``, net of the time it waited for the applicant. Two queries."""
    rows = list(
        queryset.filter(decided_at__isnull=False, submitted_at__isnull=False)
        .order_by()
        .values_list("pk", "form_id", "submitted_at", "decided_at")
    )
    if not rows:
        return []
    waited: Counter = Counter()
    events = CaseEvent.objects.filter(
        application__in=queryset.filter(decided_at__isnull=False).values("pk"),
        action="resubmit",
    ).values_list("application_id", "data")
    for application_id, data in events:
        waited[application_id] += int((data or {}).get("waited_working_days") or 0)
    local = timezone.localdate
    origin = min(local(submitted) for _pk, _form, submitted, _decided in rows)
    counter = WorkingDayCounter(origin)
    result = []
    for pk, form_id, submitted_at, decided_at in rows:
        decided_on = local(decided_at)
        days = counter.between(local(submitted_at), decided_on) - waited[pk]
        result.append(Duration(pk, form_id, decided_on, max(days, 0)))
    return result


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0-100) by linear interpolation between the closest
    ranks (numpy's default, Excel's PERCENTILE.INC). None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(days: list[int]) -> dict:
    """Count, average, median and 90th percentile of processing days."""
    return {
        "count": len(days),
        "average": round(sum(days) / len(days), 1) if days else None,
        "median": percentile(days, 50),
        "p90": percentile(days, 90),
    }


def distribution(days: Iterable[int]) -> list[dict]:
    """How many cases took how long, in fixed working-day buckets."""
    buckets = [*DAY_BUCKETS, DAY_BUCKETS_LAST]
    counts = [0] * (len(buckets) + 1)
    for value in days:
        for index, (upper, _label) in enumerate(buckets):
            if value <= upper:
                counts[index] += 1
                break
        else:
            counts[-1] += 1
    labels = [label for _upper, label in buckets] + [f"{DAY_BUCKETS_LAST[0] + 1}+"]
    return [
        {"label": label, "count": n} for label, n in zip(labels, counts, strict=True)
    ]


# --- satisfaction (好差评) ---


def rating_summary(queryset: QuerySet | None = None) -> dict:
    """Ratings of the applications in ``queryset`` (all if None): count,
    average score (1-5), share satisfied (基本满意 or better), by level."""
    ratings = ServiceRating.objects.all()
    if queryset is not None:
        ratings = ratings.filter(application__in=queryset.values("pk"))
    totals = ratings.aggregate(
        count=Count("pk"),
        average=Avg("score"),
        satisfied=Count("pk", filter=Q(score__gte=SATISFIED_AT_LEAST)),
    )
    levels = dict(
        ratings.order_by()
        .values("score")
        .annotate(n=Count("pk"))
        .values_list("score", "n")
    )
    count = totals["count"]
    return {
        "count": count,
        "average": round(totals["average"], 2) if count else None,
        "satisfied_share": totals["satisfied"] / count if count else None,
        "levels": [
            {"score": level.value, "label": level.label, "count": levels.get(level, 0)}
            for level in RatingLevel
        ],
    }


def ratings_by_form() -> dict[int, dict]:
    """{form_id: {"count", "score_sum", "satisfied"}}: one aggregate query."""
    rows = (
        ServiceRating.objects.order_by()
        .values("application__form_id")
        .annotate(
            count=Count("pk"),
            score_sum=Sum("score"),
            satisfied=Count("pk", filter=Q(score__gte=SATISFIED_AT_LEAST)),
        )
    )
    return {
        row["application__form_id"]: {
            "count": row["count"],
            "score_sum": row["score_sum"],
            "satisfied": row["satisfied"],
        }
        for row in rows
    }


# --- service performance per service item (public) ---


def forms_by_service_item(items) -> dict[int, list[int]]:
    """{item_id: [application form ids]}: the forms placed directly under each
    item's guide, matched by tree path in two queries."""

    by_guide_path = {item.guide.path: item.pk for item in items if item.guide_id}
    result: dict[int, list[int]] = defaultdict(list)
    for pk, path in ApplicationFormPage.objects.values_list("pk", "path"):
        item_id = by_guide_path.get(path[: -Page.steplen])
        if item_id is not None:
            result[item_id].append(pk)
    return result


def performance(
    form_ids: list[int],
    promised_days: int | None,
    decided: list[Duration],
    open_by_form: dict[int, int],
    ratings: dict[int, dict],
) -> dict:
    """A service item's three public numbers and its satisfaction, from
    precomputed per-form data: no queries here."""
    forms = set(form_ids)
    days = [d.days for d in decided if d.form_id in forms]
    within = (
        sum(1 for value in days if value <= promised_days) / len(days)
        if days and promised_days
        else None
    )
    rated = [ratings[form_id] for form_id in forms if form_id in ratings]
    count = sum(r["count"] for r in rated)
    return {
        "decided": len(days),
        "median_days": percentile(days, 50),
        "within_share": within,
        "promised_days": promised_days,
        "backlog": sum(open_by_form.get(form_id, 0) for form_id in forms),
        "ratings": count,
        "rating_average": (
            round(sum(r["score_sum"] for r in rated) / count, 2) if count else None
        ),
        "satisfied_share": (
            sum(r["satisfied"] for r in rated) / count if count else None
        ),
    }


def open_cases_by_form() -> dict[int, int]:
    return dict(
        Application.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("form_id")
        .annotate(n=Count("pk"))
        .values_list("form_id", "n")
    )


def monthly_performance(
    form_ids: list[int], promised_days: int | None, period: Period
) -> list[dict]:
    """Per month of ``period``: cases submitted, cases decided, median working
    days and share decided within the promised limit."""
    submitted = by_month(
        submitted_applications(period).filter(form_id__in=form_ids), period
    )
    decided = durations(decided_applications(period).filter(form_id__in=form_ids))
    by_month_days: dict[datetime.date, list[int]] = defaultdict(list)
    for duration in decided:
        by_month_days[duration.decided_on.replace(day=1)].append(duration.days)
    rows = []
    for row in submitted:
        days = by_month_days.get(row["month"], [])
        rows.append(
            {
                "month": row["month"],
                "label": row["label"],
                "submitted": row["count"],
                "decided": len(days),
                "median_days": percentile(days, 50),
                "within_share": (
                    sum(1 for value in days if value <= promised_days) / len(days)
                    if days and promised_days
                    else None
                ),
            }
        )
    return rows
