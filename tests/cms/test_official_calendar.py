"""The State Council's arrangement from the first migrate, the city's own days,
the warning when next year is missing, and deadlines that only move forward."""

import datetime
import importlib

import chinese_calendar
import pytest
from django.apps import apps
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from cms.core import official_calendar
from cms.core.models import CalendarDay, CalendarDaySource
from cms.core.workdays import (
    add_working_days,
    is_working_day,
    next_year_missing,
    working_days_between,
)
from forms.models import Application
from tests.cms.hall_admin import client_for, make_superuser
from tests.factories import make_guide, make_user
from tests.forms.admin_helpers import make_form, make_talent, submit_application

pytestmark = pytest.mark.django_db

seeding = importlib.import_module("cms.core.migrations.0004_seed_official_calendar")


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def days_of(first: str, last: str):
    day = d(first)
    while day <= d(last):
        yield day
        day += datetime.timedelta(days=1)


@pytest.mark.official_calendar
def test_every_day_of_2024_to_2026_agrees_with_chinesecalendar():
    disagreements = [
        day
        for day in days_of("2024-01-01", "2026-12-31")
        if is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert disagreements == []
    # Counting agrees too: the working days of each month.
    for year in (2024, 2025, 2026):
        for month in range(1, 13):
            start = datetime.date(year, month, 1) - datetime.timedelta(days=1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - (
                datetime.timedelta(days=1)
            )
            expected = len(chinese_calendar.get_workdays(start, end)) - (
                1 if chinese_calendar.is_workday(start) else 0
            )
            assert working_days_between(start, end) == expected, (year, month)


@pytest.mark.official_calendar
def test_a_deadline_over_national_day_lands_after_it():
    assert add_working_days(d("2026-09-30"), 1) == d("2026-10-08")
    assert add_working_days(d("2026-02-13"), 1) == d("2026-02-14")  # 调休 Saturday


def test_the_migration_seeds_every_year_the_package_knows():
    CalendarDay.objects.all().delete()
    seeding.seed_official_days(apps, None)
    rows = CalendarDay.objects.all()
    assert {row.source for row in rows} == {CalendarDaySource.OFFICIAL}
    assert sorted({row.date.year for row in rows}) == official_calendar.known_years()
    assert official_calendar.known_years()[-1] >= 2026
    assert rows.count() == len(chinese_calendar.constants.holidays) + len(
        chinese_calendar.constants.workdays
    )
    national_day = CalendarDay.objects.get(date=d("2026-10-01"))
    assert (national_day.kind, national_day.name) == ("holiday", "国庆节")
    assert CalendarDay.objects.get(date=d("2026-09-20")).name == "国庆节调休"


def test_seeding_and_syncing_never_touch_the_citys_own_days():
    CalendarDay.objects.all().delete()
    # The city gave 2026-10-09 off as well, and works on 2026-10-07.
    CalendarDay.objects.create(date=d("2026-10-09"), kind="holiday", name="本市补休")
    CalendarDay.objects.create(date=d("2026-10-07"), kind="workday", name="本市安排")
    seeding.seed_official_days(apps, None)
    assert CalendarDay.objects.get(date=d("2026-10-07")).name == "本市安排"
    # An official row that drifted is put back; a stray official row goes.
    CalendarDay.objects.filter(date=d("2026-10-01")).update(name="改过")
    CalendarDay.objects.create(
        date=d("2026-03-03"), kind="holiday", source=CalendarDaySource.OFFICIAL
    )
    counts = official_calendar.sync(dry_run=True)
    assert counts == {"created": 0, "updated": 1, "deleted": 1, "kept_local": 1}
    assert CalendarDay.objects.get(date=d("2026-10-01")).name == "改过"
    official_calendar.sync()
    assert CalendarDay.objects.get(date=d("2026-10-01")).name == "国庆节"
    assert not CalendarDay.objects.filter(date=d("2026-03-03")).exists()
    local = CalendarDay.objects.filter(source=CalendarDaySource.LOCAL)
    assert sorted(local.values_list("date", "name")) == [
        (d("2026-10-07"), "本市安排"),
        (d("2026-10-09"), "本市补休"),
    ]
    assert not is_working_day(d("2026-10-09"))
    assert is_working_day(d("2026-10-07"))


@pytest.mark.official_calendar
def test_sync_command_reports_what_it_did():
    from io import StringIO

    out = StringIO()
    call_command("sync_official_calendar", stdout=out)
    assert "0 created, 0 updated, 0 deleted" in out.getvalue()


@pytest.mark.official_calendar
def test_a_day_changed_in_the_admin_becomes_the_citys_own():
    admin = make_superuser()
    day = CalendarDay.objects.get(date=d("2026-10-07"))
    assert day.source == CalendarDaySource.OFFICIAL
    response = client_for(admin).post(
        reverse("core_calendarday_modeladmin_edit", args=[day.pk]),
        {"date": "2026-10-07", "kind": "holiday", "name": "国庆节（本市延长）"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.source, day.name) == (CalendarDaySource.LOCAL, "国庆节（本市延长）")


@pytest.mark.official_calendar
def test_an_imported_day_becomes_the_citys_own(tmp_path):
    path = tmp_path / "calendar.csv"
    path.write_text("date,kind,name\n2026-10-07,holiday,本市\n", encoding="utf-8")
    call_command("import_calendar", str(path))
    day = CalendarDay.objects.get(date=d("2026-10-07"))
    assert (day.source, day.name) == (CalendarDaySource.LOCAL, "本市")


# --- next year missing: system check and dashboard ---


def database_warnings() -> list:
    return [
        message
        for message in run_checks(databases=["default"])
        if message.id == "core.W001"
    ]


@pytest.mark.parametrize(
    "today,warned",
    [
        ("2026-10-31", False),  # before November: the notice is not due yet
        ("2026-11-01", True),
        ("2026-12-31", True),
    ],
)
def test_the_system_check_warns_from_november_when_next_year_is_missing(today, warned):
    with freeze_time(today):
        assert bool(database_warnings()) is warned
        assert (next_year_missing() == 2027) is warned
    # Without a database (plain `manage.py check`) it asks nothing.
    assert not [m for m in run_checks() if m.id == "core.W001"]


def test_a_holiday_next_year_silences_the_warning():
    CalendarDay.objects.create(date=d("2027-01-01"), kind="holiday", name="元旦")
    with freeze_time("2026-11-15"):
        assert database_warnings() == []
        assert next_year_missing() is None


PANEL_TEXT = "No holidays for 2027 yet"


def staff_with_admin_access(**fields):
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    user = make_user(
        kind="staff", is_staff=True, password_changed_at=timezone.now(), **fields
    )
    user.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    return user


@pytest.mark.parametrize(
    "who,today,shown",
    [
        ("superuser", "2026-11-02", True),
        ("calendar_keeper", "2026-11-02", True),
        ("clerk", "2026-11-02", False),  # no right to the calendar: nothing
        ("superuser", "2026-10-30", False),
    ],
)
def test_the_dashboard_warns_those_who_can_fill_the_calendar_in(
    who, today, shown, english_admin
):
    from django.contrib.auth.models import Permission

    if who == "superuser":
        user = make_superuser()
    else:
        user = staff_with_admin_access()
        if who == "calendar_keeper":
            user.user_permissions.add(
                Permission.objects.get(
                    codename="add_calendarday", content_type__app_label="core"
                )
            )
    with freeze_time(today):
        response = client_for(user).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert (PANEL_TEXT in response.content.decode()) is shown


@pytest.fixture
def english_admin(settings):
    settings.LANGUAGE_CODE = "en"
    settings.WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English")]
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


# --- deadlines in flight move forward only ---


@pytest.fixture
def case_in_flight():
    """Submitted on Monday 2 March 2026: accepting (3 working days) is due on
    Thursday 5 March."""
    from tests.forms.test_case_admin import add_steps

    form = add_steps(
        make_form(parent=make_guide()),
        ("accept", 3, None, []),
        ("review", 5, None, []),
    )
    with freeze_time("2026-03-02 10:00"):
        case = submit_application(form, make_talent())
    assert case.step_due == d("2026-03-05")
    return case


def due_of(case) -> datetime.date:
    return Application.objects.get(pk=case.pk).step_due


def test_a_new_holiday_inside_a_deadline_moves_it_one_working_day_later(
    case_in_flight,
):
    with freeze_time("2026-03-03 09:00"):
        CalendarDay.objects.create(date=d("2026-03-04"), kind="holiday", name="停电")
        assert due_of(case_in_flight) == d("2026-03-06")
        # On the deadline itself: the next working day, over the weekend.
        CalendarDay.objects.create(date=d("2026-03-06"), kind="holiday", name="台风")
        assert due_of(case_in_flight) == d("2026-03-09")


def test_a_day_that_becomes_a_working_day_moves_no_deadline_earlier(
    case_in_flight,
):
    with freeze_time("2026-03-03 09:00"):
        holiday = CalendarDay.objects.create(
            date=d("2026-03-04"), kind="holiday", name="停电"
        )
        assert due_of(case_in_flight) == d("2026-03-06")
        holiday.delete()
        assert due_of(case_in_flight) == d("2026-03-06")
        CalendarDay.objects.create(date=d("2026-03-07"), kind="workday", name="调休")
        assert due_of(case_in_flight) == d("2026-03-06")


def test_past_days_and_days_after_the_deadline_change_nothing(case_in_flight):
    with freeze_time("2026-03-04 09:00"):
        CalendarDay.objects.create(date=d("2026-03-03"), kind="holiday", name="昨天")
        CalendarDay.objects.create(date=d("2026-03-10"), kind="holiday", name="以后")
        assert due_of(case_in_flight) == d("2026-03-05")
        # A removed make-up Saturday inside the window is a lost working day.
        saturday = CalendarDay.objects.create(
            date=d("2026-03-28"), kind="workday", name="调休"
        )
    with freeze_time("2026-03-26 09:00"):
        Application.objects.filter(pk=case_in_flight.pk).update(
            step_started_on=d("2026-03-26"), step_due=d("2026-03-30")
        )
        saturday.delete()
        assert due_of(case_in_flight) == d("2026-03-31")
