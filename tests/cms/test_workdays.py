"""The working-day calendar: weekends, holidays, 调休, its cache and its import."""

import datetime
import textwrap
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.core import workdays
from cms.core.models import CalendarDay, CalendarDayKind
from cms.core.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from cms.demo.calendar import calendar_rows, write_calendar
from cms.demo.progress import Progress
from tests.cms.hall_admin import client_for, make_superuser
from tests.cms.import_commands import (  # noqa: F401 (fixture)
    english_messages,
    failing_command,
    run_command,
)

pytestmark = pytest.mark.django_db

EXAMPLE = Path(workdays.__file__).parent / "examples" / "calendar_2026.csv"
HEADER = "date,kind,name\n"


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def calendar_2025():
    """The State Council's 2025 arrangement, as the demo loads it."""
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, name=name)
        for day, kind, name in calendar_rows()
        if day.year == 2025
    )
    workdays.invalidate_calendar()


def write_csv(tmp_path, body: str, name: str = "calendar.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def calendar_state() -> list[tuple]:
    return list(CalendarDay.objects.values_list("date", "kind", "name"))


# --- The rule and the exceptions ---------------------------------------------


def test_without_rows_weekdays_work_and_weekends_rest():
    assert is_working_day(d("2024-03-08"))  # Friday
    assert not is_working_day(d("2024-03-09"))  # Saturday
    assert not is_working_day(d("2024-03-10"))  # Sunday
    assert is_working_day(d("2024-03-11"))  # Monday


def test_a_holiday_on_a_weekday_is_a_rest_day(calendar_2025):
    assert d("2025-10-01").weekday() == 2
    assert not is_working_day(d("2025-10-01"))
    assert not is_working_day(d("2025-05-05"))  # Monday of 劳动节


def test_a_make_up_saturday_is_a_working_day(calendar_2025):
    assert d("2025-10-11").weekday() == 5
    assert is_working_day(d("2025-10-11"))
    assert is_working_day(d("2025-09-28"))  # Sunday, 国庆调休
    assert not is_working_day(d("2025-10-12"))  # the Sunday after stays a rest day


def test_add_working_days_jumps_over_national_day(calendar_2025):
    # 10-01..10-08 off; 10-09 (Thursday) is the first working day after.
    assert add_working_days(d("2025-09-30"), 1) == d("2025-10-09")
    # 10-09, 10-10, then the make-up Saturday 10-11.
    assert add_working_days(d("2025-09-30"), 3) == d("2025-10-11")
    assert add_working_days(d("2025-09-30"), 4) == d("2025-10-13")
    # The make-up Sunday before counts.
    assert add_working_days(d("2025-09-26"), 1) == d("2025-09-28")


def test_add_working_days_zero_is_start_or_the_next_working_day(calendar_2025):
    assert add_working_days(d("2025-09-30"), 0) == d("2025-09-30")
    assert add_working_days(d("2025-10-01"), 0) == d("2025-10-09")
    assert add_working_days(d("2025-10-11"), 0) == d("2025-10-11")
    with pytest.raises(ValueError):
        add_working_days(d("2025-09-30"), -1)


def test_next_working_day(calendar_2025):
    assert next_working_day(d("2025-01-27")) == d("2025-02-05")  # over 春节
    assert next_working_day(d("2025-02-07")) == d("2025-02-08")  # 春节调休 Saturday


def test_add_working_days_runs_into_years_without_rows(calendar_2025):
    # 2025-12-31 is a Wednesday; nothing is listed for 2026 here.
    assert add_working_days(d("2025-12-31"), 3) == d("2026-01-05")


def test_working_days_between(calendar_2025):
    assert working_days_between(d("2025-09-30"), d("2025-10-09")) == 1
    assert working_days_between(d("2025-09-30"), d("2025-10-12")) == 3
    assert working_days_between(d("2025-09-26"), d("2025-09-30")) == 3
    assert working_days_between(d("2025-10-09"), d("2025-10-09")) == 0
    assert working_days_between(d("2025-10-10"), d("2025-10-01")) == 0


def test_working_days_between_agrees_with_counting_day_by_day(calendar_2025):
    start = d("2024-11-15")
    for end in (d("2025-01-01"), d("2025-02-09"), d("2025-06-30"), d("2026-01-07")):
        expected = sum(
            is_working_day(start + datetime.timedelta(days=n))
            for n in range(1, (end - start).days + 1)
        )
        assert working_days_between(start, end) == expected
        assert add_working_days(start, expected) <= end
        assert add_working_days(start, expected + 1) > end


def test_a_year_of_2025_has_the_published_number_of_working_days(calendar_2025):
    # 261 weekdays, less 18 holidays that fall on weekdays (元旦 1, 春节 6, 清明 1,
    # 劳动节 3, 端午 1, 国庆 6), plus 5 make-up weekend days.
    assert working_days_between(d("2024-12-31"), d("2025-12-31")) == 248


def test_a_span_of_years_costs_one_query_then_none(calendar_2025):
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        working_days_between(d("2025-01-01"), d("2027-12-31"))
        add_working_days(d("2025-01-01"), 500)
    assert len(first) <= 2
    with CaptureQueriesContext(connection) as again:
        working_days_between(d("2025-01-01"), d("2027-12-31"))
        add_working_days(d("2025-01-01"), 500)
        is_working_day(d("2025-10-01"))
    assert len(again) == 0


def test_the_cache_is_dropped_when_a_day_is_added_changed_or_deleted():
    saturday = d("2030-06-08")
    assert not is_working_day(saturday)  # now cached
    day = CalendarDay.objects.create(
        date=saturday, kind=CalendarDayKind.WORKDAY, name="调休"
    )
    assert is_working_day(saturday)
    day.kind = CalendarDayKind.HOLIDAY
    day.save()
    assert not is_working_day(saturday)
    monday = CalendarDay.objects.create(
        date=d("2030-06-10"), kind=CalendarDayKind.HOLIDAY, name="端午节"
    )
    assert add_working_days(d("2030-06-07"), 1) == d("2030-06-11")
    monday.delete()
    assert add_working_days(d("2030-06-07"), 1) == d("2030-06-10")


def test_a_make_up_working_day_must_be_a_weekend_day():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        CalendarDay(date=d("2026-10-09"), kind=CalendarDayKind.WORKDAY).full_clean()


# --- Import ------------------------------------------------------------------


def test_the_example_file_imports_the_2026_arrangement():
    output, _ = run_command("import_calendar", EXAMPLE)
    assert "39 created" in output
    assert not is_working_day(d("2026-02-23"))  # 春节, a Monday
    assert is_working_day(d("2026-02-28"))  # 春节调休, a Saturday
    assert add_working_days(d("2026-09-30"), 1) == d("2026-10-08")
    assert CalendarDay.objects.get(date=d("2026-10-10")).name == "国庆节调休"


def test_import_accepts_chinese_kinds_and_headers(tmp_path):
    path = tmp_path / "日历.csv"
    path.write_text(
        "日期,类型,名称\n2031/1/1,休,元旦\n2031年1月4日,班,元旦调休\n", encoding="utf-8"
    )
    run_command("import_calendar", path)
    assert calendar_state() == [
        (d("2031-01-01"), "holiday", "元旦"),
        (d("2031-01-04"), "workday", "元旦调休"),
    ]


def test_import_reads_xlsx_dates(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["date", "kind", "name"])
    sheet.append([datetime.datetime(2031, 5, 1), "holiday", "劳动节"])
    path = tmp_path / "calendar.xlsx"
    workbook.save(path)
    run_command("import_calendar", path)
    assert calendar_state() == [(d("2031-05-01"), "holiday", "劳动节")]


def test_bad_rows_are_reported_by_row_and_nothing_is_written(tmp_path):
    path = write_csv(
        tmp_path,
        """
        2031-01-01,holiday,元旦
        2031-02-30,holiday,春节
        2031-03-01,vacation,?
        2031-03-03,workday,周一调休
        2031-01-01,holiday,元旦
        """,
    )
    report = failing_command("import_calendar", path)
    assert "Row 3 (2031-02-30)" in report and "is not a date" in report
    assert "Row 4 (2031-03-01)" in report and "Unknown kind" in report
    assert "Row 5 (2031-03-03)" in report and "weekday" in report
    assert "Row 6 (2031-01-01)" in report and "already listed in row 2" in report
    assert "Row 2 " not in report
    assert "4 failed" in report and "Nothing was written" in report
    assert CalendarDay.objects.count() == 0


def test_a_dry_run_writes_nothing_and_leaves_no_stale_cache(tmp_path):
    path = write_csv(tmp_path, "2031-03-03,holiday,假日\n")
    assert is_working_day(d("2031-03-03"))
    output, _ = run_command("import_calendar", path, "--dry-run")
    assert "Dry run: 1 created" in output
    assert CalendarDay.objects.count() == 0
    assert is_working_day(d("2031-03-03"))


def test_importing_again_updates_by_date_without_duplicates(tmp_path):
    run_command("import_calendar", EXAMPLE)
    before = calendar_state()
    output, _ = run_command("import_calendar", EXAMPLE)
    assert "0 created, 0 updated, 39 unchanged" in output
    assert calendar_state() == before

    path = write_csv(tmp_path, "2026-10-08,holiday,国庆节\n2026-10-10,休,国庆节\n")
    output, _ = run_command("import_calendar", path)
    assert "1 created, 1 updated" in output
    assert CalendarDay.objects.count() == 40
    assert not is_working_day(d("2026-10-10"))


# --- Demo and admin ----------------------------------------------------------


def test_the_demo_calendar_loads_once():
    write_calendar(Progress())
    count = CalendarDay.objects.count()
    assert count == len(calendar_rows())
    assert {day.year for day in CalendarDay.objects.dates("date", "year")} == {
        2025,
        2026,
        2027,
    }
    progress = Progress()
    write_calendar(progress)
    assert CalendarDay.objects.count() == count
    assert progress.counts["calendar days"] == [0, count]
    assert add_working_days(d("2025-09-30"), 1) == d("2025-10-09")


def test_the_admin_list_loads_and_filters_for_a_superuser(calendar_2025):
    CalendarDay.objects.create(
        date=d("2026-10-10"), kind=CalendarDayKind.WORKDAY, name="国庆节调休"
    )
    client = client_for(make_superuser())
    url = reverse("core_calendarday_modeladmin_index")
    response = client.get(url)
    assert response.status_code == 200
    response = client.get(url, {"year": "2026", "kind__exact": "workday"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [
        CalendarDay.objects.get(date=d("2026-10-10"))
    ]
    response = client.get(url, {"q": "劳动节"})
    assert {day.name for day in response.context["object_list"]} == {
        "劳动节",
        "劳动节调休",
    }
