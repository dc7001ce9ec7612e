"""The State Council's holiday arrangement, from the chinesecalendar package.

Every year the package knows is written into the working-day calendar as rows
with source "official": by the migration that seeds a new hall, and by
`manage.py sync_official_calendar` after the package is upgraded (the notice for
next year is published each November or December).

The city's own rows (source "local": entered in the admin or loaded with
import_calendar) always win: seeding and syncing never create, change or delete
a row on a date the city has set.
"""

import datetime

from chinese_calendar import constants
from django.db import transaction

from .models import CalendarDay, CalendarDaySource
from .workdays import invalidate_calendar

# The package names holidays in English; the hall shows the Chinese names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
HOLIDAY = "holiday"
WORKDAY = "workday"
OFFICIAL = "official"
LOCAL = "local"


def _name(label: str) -> str:
    return HOLIDAY_NAMES.get(label, label)[:40]


def official_days() -> dict[datetime.date, tuple[str, str]]:
    """{date: (kind, name)} for every day the arrangement changes, all years.

    Weekend days inside a holiday are listed too, as the package lists them;
    they change nothing in the count and show the holiday in the admin.
    """
    days = {day: (HOLIDAY, _name(label)) for day, label in constants.holidays.items()}
    for day, label in constants.workdays.items():
        days[day] = (WORKDAY, f"{_name(label)}调休")
    return dict(sorted(days.items()))


def known_years() -> list[int]:
    """The years whose arrangement the installed package has."""
    return sorted({day.year for day in constants.holidays})


def seed(calendar_day_model) -> int:
    """Add the official rows missing from the calendar; returns how many.

    Written in bulk and without signals, for the migration: a new hall has no
    deadline to move. `calendar_day_model` is the historical or the real model.
    """
    taken = set(calendar_day_model.objects.values_list("date", flat=True))
    rows = [
        calendar_day_model(date=day, kind=kind, name=name, source=OFFICIAL)
        for day, (kind, name) in official_days().items()
        if day not in taken
    ]
    calendar_day_model.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def sync(dry_run: bool = False) -> dict[str, int]:
    """Bring the official rows in line with the installed package, one row at a
    time so that every change goes through the signals (cache, deadlines).

    Creates missing official days, updates official rows the package now reads
    differently, deletes official rows the package no longer lists; leaves the
    city's own rows alone. Returns the counts.
    """

    wanted = official_days()
    counts = {"created": 0, "updated": 0, "deleted": 0, "kept_local": 0}
    with transaction.atomic():
        existing = {row.date: row for row in CalendarDay.objects.all()}
        for day, (kind, name) in wanted.items():
            row = existing.get(day)
            if row is None:
                CalendarDay.objects.create(
                    date=day, kind=kind, name=name, source=CalendarDaySource.OFFICIAL
                )
                counts["created"] += 1
            elif row.source != CalendarDaySource.OFFICIAL:
                counts["kept_local"] += 1
            elif (row.kind, row.name) != (kind, name):
                row.kind, row.name = kind, name
                row.save(update_fields=["kind", "name"])
                counts["updated"] += 1
        for day, row in existing.items():
            if row.source == CalendarDaySource.OFFICIAL and day not in wanted:
                row.delete()
                counts["deleted"] += 1
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        invalidate_calendar()
    return counts
