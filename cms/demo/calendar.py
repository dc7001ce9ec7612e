"""The demo's working-day calendar: Chinese public holidays and 调休, 2025-2027.

2025 and 2026 are the State Council's published arrangements (国办发明电〔2024〕12号
and 〔2025〕7号). The 2027 arrangement was not known when this was written: only
the statutory days of 《全国年节及纪念日放假办法》 (2024 revision) are listed,
with no 调休; replace them with the published notice through import_calendar.
"""

import datetime

from cms.core.models import CalendarDay, CalendarDayKind
from cms.core.workdays import invalidate_calendar

from .progress import Progress

# (name, first day off, last day off, make-up working days)
HOLIDAYS = [
    # 2025
    ("元旦", "2025-01-01", "2025-01-01", ()),
    ("春节", "2025-01-28", "2025-02-04", ("2025-01-26", "2025-02-08")),
    ("清明节", "2025-04-04", "2025-04-06", ()),
    ("劳动节", "2025-05-01", "2025-05-05", ("2025-04-27",)),
    ("端午节", "2025-05-31", "2025-06-02", ()),
    ("国庆节、中秋节", "2025-10-01", "2025-10-08", ("2025-09-28", "2025-10-11")),
    # 2026
    ("元旦", "2026-01-01", "2026-01-03", ("2026-01-04",)),
    ("春节", "2026-02-15", "2026-02-23", ("2026-02-14", "2026-02-28")),
    ("清明节", "2026-04-04", "2026-04-06", ()),
    ("劳动节", "2026-05-01", "2026-05-05", ("2026-05-09",)),
    ("端午节", "2026-06-19", "2026-06-21", ()),
    ("中秋节", "2026-09-25", "2026-09-27", ()),
    ("国庆节", "2026-10-01", "2026-10-07", ("2026-09-20", "2026-10-10")),
    # 2027: statutory days only (see the module docstring).
    ("元旦", "2027-01-01", "2027-01-01", ()),
    ("春节", "2027-02-05", "2027-02-08", ()),
    ("清明节", "2027-04-05", "2027-04-05", ()),
    ("劳动节", "2027-05-01", "2027-05-02", ()),
    ("端午节", "2027-06-09", "2027-06-09", ()),
    ("中秋节", "2027-09-15", "2027-09-15", ()),
    ("国庆节", "2027-10-01", "2027-10-03", ()),
]


def calendar_rows() -> list[tuple[datetime.date, str, str]]:
    """(date, kind, name) for every listed day, in date order."""
    rows = []
    for name, first, last, workdays in HOLIDAYS:
        day = datetime.date.fromisoformat(first)
        while day <= datetime.date.fromisoformat(last):
            rows.append((day, CalendarDayKind.HOLIDAY, name))
            day += datetime.timedelta(days=1)
        for workday in workdays:
            rows.append(
                (
                    datetime.date.fromisoformat(workday),
                    CalendarDayKind.WORKDAY,
                    f"{name}调休",
                )
            )
    return sorted(rows)


def write_calendar(progress: Progress) -> None:
    """Adds the days that are missing; a day an administrator changed is kept."""
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    missing = [
        CalendarDay(date=day, kind=kind, name=name)
        for day, kind, name in calendar_rows()
        if day not in existing
    ]
    # bulk_create sends no post_save: drop the cached calendar by hand.
    CalendarDay.objects.bulk_create(missing)
    invalidate_calendar()
    for _row in missing:
        progress.record("calendar days", True)
    for day, _kind, _name in calendar_rows():
        if day in existing:
            progress.record("calendar days", False)
