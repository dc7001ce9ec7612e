"""Working days on the hall's calendar: weekends, public holidays and 调休.

Every deadline (限时办结) is counted here. A day is a working day Monday to
Friday and a rest day on Saturday and Sunday, unless a CalendarDay row says it is
a holiday or a make-up working day.

The rows are read per calendar year, one query for all the years a call needs,
and kept in Django's cache (Redis in production, so every worker process sees
one calendar). The cached years hang off a version token that is replaced
whenever a CalendarDay row is saved or deleted, which drops every cached year at
once: a change in the admin takes effect on the next computation, in every
process.

Bulk writes (`QuerySet.update`, `bulk_create`) send no signals: call
`invalidate_calendar()` after them.

When a saved or deleted row turns a day from today on into a rest day,
`working_days_lost` is sent (inside the same transaction) so that the deadlines
in flight that counted that day move one working day later. A day that becomes a
working day moves nothing: deadlines are only ever recomputed forward
(docs/reference-data.md).
"""

import datetime
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from .models import CalendarDay, CalendarDayKind

VERSION_KEY = "workdays:version"
# Cached years expire on their own too, so that a change made behind the
# signals' back (raw SQL, a restored backup) is picked up within a day.
YEAR_TIMEOUT = 24 * 60 * 60
# Calendar years fetched ahead when a count runs past what it has loaded.
LOOKAHEAD_YEARS = 1

Overrides = dict[datetime.date, str]


def invalidate_calendar() -> None:
    """Forget every cached year, in every process sharing the cache."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


# Sent with `days`: the dates, today or later, that stopped being working days.
working_days_lost = Signal()


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def _calendar_changed(**kwargs) -> None:
    # Now, so that this process sees its own change, and again after commit, so
    # that no other process keeps a year it read before the change was visible.
    invalidate_calendar()
    transaction.on_commit(invalidate_calendar)


@receiver(pre_save, sender=CalendarDay)
def _remember_previous(sender, instance, raw=False, **kwargs) -> None:
    previous = None
    if instance.pk and not raw:
        previous = (
            sender.objects.filter(pk=instance.pk).values_list("date", "kind").first()
        )
    instance._previous_day = previous


def _lost_days(before: Overrides, after: Overrides) -> list[datetime.date]:
    today = timezone.localdate()
    return sorted(
        day
        for day in set(before) | set(after)
        if day >= today and _is_working(day, before) and not _is_working(day, after)
    )


@receiver(post_save, sender=CalendarDay)
def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    previous = getattr(instance, "_previous_day", None)
    before = dict([previous]) if previous else {}
    lost = _lost_days(before, {instance.date: instance.kind})
    if lost:
        invalidate_calendar()
        working_days_lost.send(sender=sender, days=lost)


@receiver(post_delete, sender=CalendarDay)
def _deleted(sender, instance, **kwargs) -> None:
    lost = _lost_days({instance.date: instance.kind}, {})
    if lost:
        invalidate_calendar()
        working_days_lost.send(sender=sender, days=lost)


def next_year_missing(today: datetime.date | None = None) -> int | None:
    """Next year, from 1 November on, while the calendar has no holiday in it
    (the State Council publishes the arrangement in November or December)."""
    today = today or timezone.localdate()
    if today.month < 11:
        return None
    year = today.year + 1
    if CalendarDay.objects.filter(
        date__year=year, kind=CalendarDayKind.HOLIDAY
    ).exists():
        return None
    return year


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _year_key(version: str, year: int) -> str:
    return f"workdays:{version}:{year}"


def calendar_overrides(first_year: int, last_year: int) -> Overrides:
    """The calendar's rows from `first_year` to `last_year` inclusive, as
    {date: kind}: at most one cache round trip and one query."""
    version = _version()
    keys = {_year_key(version, year): year for year in range(first_year, last_year + 1)}
    cached = cache.get_many(keys)
    overrides: Overrides = {}
    for value in cached.values():
        overrides.update(value)
    missing = sorted(year for key, year in keys.items() if key not in cached)
    if missing:
        rows = CalendarDay.objects.filter(
            date__gte=datetime.date(missing[0], 1, 1),
            date__lte=datetime.date(missing[-1], 12, 31),
        ).values_list("date", "kind")
        by_year: dict[int, Overrides] = {year: {} for year in missing}
        for day, kind in rows:
            if day.year in by_year:
                by_year[day.year][day] = kind
        cache.set_many(
            {_year_key(version, year): days for year, days in by_year.items()},
            YEAR_TIMEOUT,
        )
        for days in by_year.values():
            overrides.update(days)
    return overrides


def _is_working(day: datetime.date, overrides: Overrides) -> bool:
    kind = overrides.get(day)
    if kind == CalendarDayKind.HOLIDAY:
        return False
    if kind == CalendarDayKind.WORKDAY:
        return True
    return day.weekday() < 5


class _Calendar:
    """The overrides for a walk forward in time, loaded a few years at a time."""

    def __init__(self, start: datetime.date):
        self.overrides: Overrides = {}
        self.loaded_until = start.year - 1

    def is_working(self, day: datetime.date) -> bool:
        if day.year > self.loaded_until:
            last = day.year + LOOKAHEAD_YEARS
            self.overrides.update(calendar_overrides(self.loaded_until + 1, last))
            self.loaded_until = last
        return _is_working(day, self.overrides)


def is_working_day(day: datetime.date) -> bool:
    return _is_working(day, calendar_overrides(day.year, day.year))


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day after `day`."""
    return add_working_days(day, 1)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (which is not counted).

    With `days=0`: `start` if it is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = _Calendar(start)
    day = start
    if days == 0:
        while not calendar.is_working(day):
            day += datetime.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if calendar.is_working(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days lie after `start`, up to and including `end`; 0 when
    `end` is not after `start`. Counts by arithmetic, so a span of years costs
    what its holidays cost, not what its days cost."""
    if end <= start:
        return 0
    count = _weekdays_after(start, end)
    overrides = calendar_overrides(start.year, end.year)
    for day, kind in overrides.items():
        if not start < day <= end:
            continue
        weekday = day.weekday() < 5
        if kind == CalendarDayKind.HOLIDAY and weekday:
            count -= 1
        elif kind == CalendarDayKind.WORKDAY and not weekday:
            count += 1
    return count


def _weekdays_after(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days in (start, end]."""
    return _weekdays_up_to(end) - _weekdays_up_to(start)


def _weekdays_up_to(day: datetime.date) -> int:
    # Ordinal 1 (date.min) is a Monday, so ordinals 7k+1 .. 7k+5 are weekdays.
    ordinal = day.toordinal()
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)
