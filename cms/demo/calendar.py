"""The demo's working-day calendar: Chinese public holidays and 调休, 2025-2027.

data/calendar.csv is in import_calendar's format and is loaded through it.
2025 and 2026 are the State Council's published arrangements (国办发明电〔2024〕12号
and 〔2025〕7号). The 2027 arrangement was not known when this was written: only
the statutory days of 《全国年节及纪念日放假办法》 (2024 revision) are listed,
with no 调休; replace them with the published notice through import_calendar.
"""

import datetime

from cms.core.management.commands.import_calendar import (
    CALENDAR_COLUMNS,
    CALENDAR_REQUIRED_COLUMNS,
    RowError,
    import_calendar,
    parse_date,
    parse_kind,
)
from cms.core.models import CalendarDay
from cms.core.tabular import Table, read_table

from .files import DemoDataError, path
from .progress import Progress

CALENDAR_FILE = "calendar.csv"


def _table() -> Table:
    return read_table(path(CALENDAR_FILE), CALENDAR_COLUMNS, CALENDAR_REQUIRED_COLUMNS)


def calendar_rows() -> list[tuple[datetime.date, str, str]]:
    """(date, kind, name) for every listed day, in date order."""
    return sorted(
        (parse_date(row["date"]), parse_kind(row["kind"]), str(row.get("name", "")))
        for _number, row in _table().rows
    )


def _date_or_none(value) -> datetime.date | None:
    try:
        return parse_date(value)
    except RowError:
        return None  # the importer reports the row


def write_calendar(progress: Progress) -> None:
    """Adds the days that are missing; a day already in the calendar (an
    administrator's, or the official arrangement's) is kept, so only the
    missing rows are handed to the importer, which would overwrite it."""
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    table = _table()
    missing = [
        (number, row)
        for number, row in table.rows
        if _date_or_none(row["date"]) not in existing
    ]
    outcomes = import_calendar(Table(columns=table.columns, rows=missing))
    failures = [outcome for outcome in outcomes if outcome.status == "failed"]
    if failures:
        raise DemoDataError(
            "; ".join(
                f"{CALENDAR_FILE} row {o.row_number}: {o.message}" for o in failures
            )
        )
    for outcome in outcomes:
        progress.record("calendar days", outcome.status == "created")
    for _row in range(len(table.rows) - len(missing)):
        progress.record("calendar days", False)
