"""Load the working-day calendar (holidays and 调休 working days) from a file."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.import_command import ROW_RESULTS, TableImportCommand
from cms.core.models import CalendarDay, CalendarDayKind, CalendarDaySource
from cms.core.tabular import CellValue, Table
from cms.core.workdays import invalidate_calendar

CALENDAR_COLUMNS = {
    "date": ("日期",),
    "kind": ("类型", "类别"),
    "name": ("名称", "节日", "说明"),
}
CALENDAR_REQUIRED_COLUMNS = ("date", "kind")
KIND_NAMES = {
    "holiday": CalendarDayKind.HOLIDAY,
    "休": CalendarDayKind.HOLIDAY,
    "休息": CalendarDayKind.HOLIDAY,
    "放假": CalendarDayKind.HOLIDAY,
    "workday": CalendarDayKind.WORKDAY,
    "班": CalendarDayKind.WORKDAY,
    "上班": CalendarDayKind.WORKDAY,
    "调休上班": CalendarDayKind.WORKDAY,
}
DATE_PATTERN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


class RowError(Exception):
    """One row cannot be imported; the message says why."""


@dataclass
class RowOutcome:
    row_number: int
    label: str
    status: str  # "created", "updated", "unchanged" or "failed"
    message: str = ""


def parse_date(value: CellValue) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_PATTERN.fullmatch(str(value).strip())
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise RowError(
        _("“%(value)s” is not a date: write it as 2026-10-01.") % {"value": value}
    )


def parse_kind(value: CellValue) -> str:
    kind = KIND_NAMES.get(str(value).strip().lower())
    if kind is None:
        raise RowError(
            _(
                "Unknown kind “%(kind)s”: use holiday (休) for a day off or workday "
                "(班) for a make-up working day."
            )
            % {"kind": value}
        )
    return kind


def import_calendar(table: Table, dry_run: bool = False, on_row=None) -> list:
    """Create or update one CalendarDay per row, matched by date.

    All or nothing, like every importer here: rolled back for a dry run or when
    any row failed. The cached calendar is dropped afterwards either way, since a
    rolled-back write has already told this process's signals about the change.
    """
    outcomes: list[RowOutcome] = []
    seen: dict[datetime.date, int] = {}
    try:
        with transaction.atomic():
            for row_number, row in table.rows:
                label = str(row.get("date", ""))
                try:
                    with transaction.atomic():
                        day = parse_date(row.get("date", ""))
                        label = day.isoformat()
                        if day in seen:
                            raise RowError(
                                _("The date is already listed in row %(row)d.")
                                % {"row": seen[day]}
                            )
                        seen[day] = row_number
                        status = _save_day(
                            day, parse_kind(row.get("kind", "")), row.get("name", "")
                        )
                except RowError as error:
                    outcomes.append(RowOutcome(row_number, label, "failed", str(error)))
                except ValidationError as error:
                    message = " ".join(
                        " ".join(messages)
                        for messages in getattr(
                            error, "message_dict", {"": error.messages}
                        ).values()
                    )
                    outcomes.append(RowOutcome(row_number, label, "failed", message))
                else:
                    outcomes.append(RowOutcome(row_number, label, status))
                if on_row is not None:
                    on_row()
            if dry_run or any(outcome.status == "failed" for outcome in outcomes):
                transaction.set_rollback(True)
    finally:
        invalidate_calendar()
    return outcomes


def _save_day(day: datetime.date, kind: str, name: CellValue) -> str:
    name = str(name).strip()
    existing = CalendarDay.objects.filter(date=day).first()
    if existing is not None and (existing.kind, existing.name) == (kind, name):
        return "unchanged"
    calendar_day = existing or CalendarDay(date=day)
    calendar_day.kind = kind
    calendar_day.name = name
    # The city's word from now on: syncing the official arrangement keeps it.
    calendar_day.source = CalendarDaySource.LOCAL
    calendar_day.full_clean()
    calendar_day.save()
    return "updated" if existing is not None else "created"


class Command(TableImportCommand):
    help = gettext_lazy(
        "Load public holidays and make-up working days (调休) into the working-day "
        "calendar from a CSV, XLSX or JSON file with the columns date, kind "
        "(holiday or 休, workday or 班) and name. A date already in the calendar is "
        "updated. Nothing is written if any row fails."
    )
    columns = CALENDAR_COLUMNS
    required_columns = CALENDAR_REQUIRED_COLUMNS

    def handle(
        self, *args, file: Path, dry_run: bool, verbosity: int, **options
    ) -> None:
        table = self.read(file)
        with self.progress(len(table.rows)) as bar:
            outcomes = import_calendar(table, dry_run=dry_run, on_row=bar.update)
        for outcome in outcomes:
            if outcome.status == "failed":
                self.stderr.write(
                    self.row_line(outcome.row_number, outcome.label, outcome.message)
                )
            elif verbosity >= 2:
                self.stdout.write(
                    self.row_line(
                        outcome.row_number, outcome.label, ROW_RESULTS[outcome.status]
                    )
                )
        counts = {
            status: sum(1 for outcome in outcomes if outcome.status == status)
            for status in ("created", "updated", "unchanged", "failed")
        }
        self.finish(**counts, dry_run=dry_run)
