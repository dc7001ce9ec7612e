"""Statistics: each figure on a small known set of cases, the
percentile arithmetic, the server-drawn SVG charts, who may see the admin page,
the hall's public figure and the public service-performance pages."""

import datetime
import itertools
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import translation
from freezegun import freeze_time

from forms.models import (
    Application,
    ApplicationStatus,
    CaseEvent,
    DepartmentTask,
    RatingLevel,
    ReviewStep,
    ServiceRating,
)
from forms.reporting import statistics as stats
from forms.reporting import views as stats_views
from tests.cms.hall_admin import assert_refused, client_for, make_staff, make_superuser
from tests.factories import (
    SAMPLE_DEFINITION,
    make_department,
    make_district,
    make_form,
    make_service_item,
    make_user,
)


def __getattr__(name):
    """Until the lead includes forms.reporting.urls in cms/urls.py, this module is
    the URLconf: the site's routes with /performance/ in front. Built on first
    use, after the hooks module above has registered its admin URL."""
    if name != "urlpatterns":
        raise AttributeError(name)
    import cms.urls

    return [
        path("performance/", include("forms.reporting.urls")),
        *cms.urls.urlpatterns,
    ]


pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 2026-03-31: the period of 12 months is 2025-04-01 .. 2026-03-31 and
# March 2026 has no public holiday.
TODAY = "2026-03-31 12:00:00+08:00"
_receipts = itertools.count(1)

TIER_DEFINITION = [
    *SAMPLE_DEFINITION[:-1],
    {
        "type": "dropdown",
        "key": "talent_tier",
        "label": "人才层次",
        "required": True,
        "help_text": "",
        "condition": None,
        "choices": ["第三层次", "第五层次"],
    },
    {
        "type": "multiple_choice",
        "key": "research_field",
        "label": "研究领域",
        "required": True,
        "help_text": "",
        "condition": None,
        "choices": ["新材料", "电子信息"],
    },
    SAMPLE_DEFINITION[-1],
]

WORKFLOW = [
    {"kind": "accept", "name": "", "group_id": None, "department_ids": [], "days": 2},
    {
        "kind": "department",
        "name": "",
        "group_id": None,
        "department_ids": [],
        "days": 5,
    },
    {"kind": "approve", "name": "", "group_id": None, "department_ids": [], "days": 3},
]


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=SHANGHAI
    )


def make_case(form, status, submitted=None, decided=None, **fields) -> Application:
    """An application in a given state, its fields set directly."""
    fields.setdefault("applicant", make_user())
    return Application.objects.create(
        form=form,
        version=form.ensure_version(),
        start_token=uuid.uuid4(),
        status=status,
        receipt_number=(
            None
            if status == ApplicationStatus.DRAFT
            else f"TEST-2026-{next(_receipts):06d}"
        ),
        submitted_at=at(submitted) if submitted else None,
        decided_at=at(decided, 16) if decided else None,
        workflow=WORKFLOW,
        **fields,
    )


@pytest.fixture
def dataset():
    """Eight applications whose every figure is worked out by hand below."""
    with freeze_time(TODAY):
        form = make_form(definition=TIER_DEFINITION)
        # The promised limit is the review steps' total: 5 working days.
        for order, (kind, days) in enumerate(
            (("accept", 1), ("review", 3), ("approve", 1))
        ):
            ReviewStep.objects.create(
                form=form, kind=kind, time_limit_days=days, sort_order=order
            )
        guide = form.get_parent().specific
        item = make_service_item(guide=guide, name="高层次人才认定")
        d1, d2 = make_district(name="丰泽区"), make_district(name="鲤城区")
        x = make_department(name="泉州市住房和城乡建设局", short_name="住建局")
        y = make_department(name="泉州市教育局", short_name="教育局")
        same_person = make_user(real_name="张三丰")
        cases = {
            # 2026-03-02 (Mon) -> 03-06 (Fri): 4 working days.
            "a": make_case(
                form,
                ApplicationStatus.COMPLETED,
                "2026-03-02",
                "2026-03-06",
                district=d1,
                id_digest="digest-1",
                applicant=same_person,
                subject_name="张三丰",
                answers={"talent_tier": "第三层次", "research_field": ["新材料"]},
            ),
            # 03-02 -> 03-13: 9 working days.
            "b": make_case(
                form,
                ApplicationStatus.COMPLETED,
                "2026-03-02",
                "2026-03-13",
                district=d1,
                id_digest="digest-1",
                applicant=same_person,
                subject_name="张三丰",
                answers={
                    "talent_tier": "第三层次",
                    "research_field": ["电子信息", "新材料"],
                },
            ),
            # 03-09 -> 03-10: 1 working day; rejected.
            "c": make_case(
                form,
                ApplicationStatus.REJECTED,
                "2026-03-09",
                "2026-03-10",
                district=d2,
                id_digest="digest-2",
                answers={"talent_tier": "第五层次", "research_field": ["新材料"]},
            ),
            # In review at acceptance, its step overdue since 03-20.
            "d": make_case(
                form,
                ApplicationStatus.SUBMITTED,
                "2026-02-16",
                step_index=0,
                step_due=datetime.date(2026, 3, 20),
            ),
            # In department handling, due after today.
            "e": make_case(
                form,
                ApplicationStatus.SUBMITTED,
                "2026-03-20",
                step_index=1,
                step_due=datetime.date(2026, 4, 3),
            ),
            "f": make_case(form, ApplicationStatus.DRAFT),
            "g": make_case(form, ApplicationStatus.SUPPLEMENT, "2026-03-23"),
            # 03-16 -> 03-27: 9 working days, 2 of them waiting: 7.
            "h": make_case(
                form, ApplicationStatus.COMPLETED, "2026-03-16", "2026-03-27"
            ),
        }
        CaseEvent.objects.create(
            application=cases["h"],
            action="resubmit",
            data={"waited_working_days": 2},
        )
        answered = {"answered_at": at("2026-03-05"), "opinion": "同意", "agrees": True}
        DepartmentTask.objects.create(
            application=cases["a"], step_index=1, department=x, **answered
        )
        DepartmentTask.objects.create(
            application=cases["b"], step_index=1, department=x, **answered
        )
        DepartmentTask.objects.create(
            application=cases["b"], step_index=1, department=y, **answered
        )
        DepartmentTask.objects.create(
            application=cases["e"],
            step_index=1,
            department=y,
            due=datetime.date(2026, 3, 25),
        )
        ServiceRating.objects.create(
            application=cases["a"], score=RatingLevel.VERY_SATISFIED
        )
        ServiceRating.objects.create(
            application=cases["c"], score=RatingLevel.DISSATISFIED
        )
    return {"form": form, "item": item, **cases}


def period():
    return stats.Period.last_months(12, datetime.date(2026, 3, 31))


# --- the figures ---


def test_period_of_twelve_months_ends_today_and_starts_eleven_months_back():
    this = period()
    assert (this.start, this.end) == (
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
    )
    assert len(this.months()) == 12
    assert stats.Period.last_months(3, datetime.date(2026, 1, 15)).start == (
        datetime.date(2025, 11, 1)
    )


@freeze_time(TODAY)
def test_counts_by_status_leave_drafts_out(dataset):
    rows = stats.by_status(stats.submitted_applications(period()))
    counts = {row["key"]: row["count"] for row in rows}
    assert counts == {
        "submitted": 2,
        "supplement": 1,
        "publicity": 0,
        "completed": 3,
        "rejected": 1,
        "withdrawn": 0,
    }


@freeze_time(TODAY)
def test_counts_by_stage_name_the_current_step(dataset):
    with translation.override("en"):
        rows = stats.by_stage(stats.submitted_applications())
    counts = {row["label"]: row["count"] for row in rows}
    assert counts == {
        "Window acceptance (受理)": 1,
        "Department handling (部门办理)": 1,
        "Awaiting supplement": 1,
    }


@freeze_time(TODAY)
def test_counts_by_department_with_open_and_overdue_tasks(dataset):
    rows = stats.by_department(stats.submitted_applications(period()))
    by_name = {row["label"]: row for row in rows}
    assert {k: by_name["住建局"][k] for k in ("count", "open", "overdue")} == {
        "count": 2,
        "open": 0,
        "overdue": 0,
    }
    assert {k: by_name["教育局"][k] for k in ("count", "open", "overdue")} == {
        "count": 2,
        "open": 1,
        "overdue": 1,
    }


@freeze_time(TODAY)
def test_counts_by_district_keep_the_unknown(dataset):
    with translation.override("en"):
        rows = stats.by_district(stats.submitted_applications(period()))
    assert {row["label"]: row["count"] for row in rows} == {
        "丰泽区": 2,
        "鲤城区": 1,
        "Not known": 4,
    }


@freeze_time(TODAY)
def test_counts_by_month_cover_every_month_of_the_period(dataset):
    rows = stats.by_month(stats.submitted_applications(period()), period())
    assert len(rows) == 12
    counts = {row["label"]: row["count"] for row in rows}
    assert counts["2026-02"] == 1
    assert counts["2026-03"] == 6
    assert sum(counts.values()) == 7


@freeze_time(TODAY)
def test_counts_by_tier_and_by_industry_answer(dataset):
    submitted = stats.submitted_applications(period())
    tiers = stats.by_tier(submitted)
    assert tiers["totals"] == [
        {"label": "第三层次", "count": 2},
        {"label": "第五层次", "count": 1},
    ]
    assert {row["form"] for row in tiers["rows"]} == {dataset["form"].title}
    industries = stats.by_industry(submitted)
    # A multiple choice counts once per choice.
    assert industries["totals"] == [
        {"label": "新材料", "count": 3},
        {"label": "电子信息", "count": 1},
    ]


@freeze_time(TODAY)
def test_overdue_open_and_approved_talents(dataset):
    assert stats.overdue_count() == 1
    assert stats.open_count() == 3
    # a and b are one person (same ID digest); h asked for no ID number.
    assert stats.approved_talents() == 2


@freeze_time(TODAY)
def test_processing_days_exclude_waiting_for_the_applicant(dataset):
    durations = stats.durations(stats.decided_applications(period()))
    by_case = {d.application_id: d.days for d in durations}
    assert by_case == {
        dataset["a"].pk: 4,
        dataset["b"].pk: 9,
        dataset["c"].pk: 1,
        dataset["h"].pk: 7,
    }
    summary = stats.summary(list(by_case.values()))
    assert summary["count"] == 4
    assert summary["average"] == round(21 / 4, 1)
    assert summary["median"] == 5.5
    assert summary["p90"] == pytest.approx(8.4)


@freeze_time(TODAY)
def test_working_day_counter_agrees_with_the_calendar():
    from cms.core.workdays import working_days_between

    counter = stats.WorkingDayCounter(datetime.date(2025, 12, 1))
    days = [datetime.date(2025, 12, 1) + datetime.timedelta(days=n) for n in range(90)]
    for start, end in zip(days[::7], days[30::5], strict=False):
        assert counter.between(start, end) == working_days_between(start, end)
    assert counter.between(datetime.date(2026, 3, 6), datetime.date(2026, 3, 2)) == 0


def test_percentile_interpolates_between_closest_ranks():
    values = list(range(1, 11))
    assert stats.percentile(values, 90) == pytest.approx(9.1)
    assert stats.percentile(values, 50) == 5.5
    assert stats.percentile(values, 0) == 1
    assert stats.percentile(values, 100) == 10
    assert stats.percentile([7], 90) == 7
    assert stats.percentile([], 90) is None
    assert stats.percentile([3, 1, 2], 50) == 2  # unsorted input
    with pytest.raises(ValueError):
        stats.percentile(values, 101)


def test_distribution_buckets_every_value_once():
    rows = stats.distribution([0, 2, 3, 5, 6, 20, 21, 30, 31, 99])
    assert [row["count"] for row in rows] == [2, 2, 1, 0, 1, 2, 2]
    assert sum(row["count"] for row in rows) == 10


@freeze_time(TODAY)
def test_rating_summary(dataset):
    summary = stats.rating_summary()
    assert summary["count"] == 2
    assert summary["average"] == 3.5
    assert summary["satisfied_share"] == 0.5
    assert {row["score"]: row["count"] for row in summary["levels"]} == {
        5: 1,
        4: 0,
        3: 0,
        2: 1,
        1: 0,
    }


@freeze_time(TODAY)
def test_breakdowns_do_not_query_per_case(dataset, django_assert_max_num_queries):
    for n in range(20):
        make_case(
            dataset["form"],
            ApplicationStatus.COMPLETED,
            "2026-03-02",
            f"2026-03-{10 + n % 10:02d}",
            answers={"talent_tier": "第三层次"},
        )
    submitted = stats.submitted_applications(period())
    with django_assert_max_num_queries(12):
        stats.by_status(submitted)
        stats.by_stage(submitted)
        stats.by_department(submitted)
        stats.by_district(submitted)
        stats.by_month(submitted, period())
        stats.by_tier(submitted)
        stats.durations(stats.decided_applications(period()))


# --- charts ---


def test_column_chart_draws_one_bar_per_row_with_its_numbers_as_a_table():
    rows = [{"label": f"2026-{m:02d}", "value": m * 3} for m in range(1, 13)]
    with translation.override("en"):
        chart = stats_views.column_chart(rows, title="Per month", chart_id="c1")
        html = render_to_string("forms/stats/_chart.html", {"chart": chart})
    assert html.count('class="chart__bar"') == 12
    assert 'role="img"' in html
    assert 'aria-labelledby="c1-title c1-desc"' in html
    assert '<title id="c1-title">Per month</title>' in html
    assert "Highest: 2026-12, 36." in html
    table = html[html.index("<table") :]
    assert table.count("<tr>") == 13  # the header and one row per bar
    # The tallest bar fills the plot; bars are in proportion.
    heights = [bar.height for bar in chart["bars"]]
    assert heights[-1] == pytest.approx(heights[0] * 12, rel=0.01)
    assert chart["bars"][0].y > chart["bars"][-1].y


def test_bar_chart_for_categories_and_empty_chart():
    rows = [{"label": "住建局", "value": 5}, {"label": "教育局", "value": 0}]
    chart = stats_views.bar_chart(rows, title="Departments", chart_id="c2")
    html = render_to_string("forms/stats/_chart.html", {"chart": chart})
    assert html.count('class="chart__bar"') == 2
    assert chart["bars"][1].width == 0
    empty = stats_views.bar_chart([], title="None", chart_id="c3")
    html = render_to_string("forms/stats/_chart.html", {"chart": empty})
    assert "<svg" not in html and 'class="chart__empty"' in html


def test_nice_axis_maximum():
    assert [stats_views.nice_max(v) for v in (0, 1, 3, 7, 12, 240)] == [
        1,
        1,
        5,
        10,
        20,
        500,
    ]


# --- the admin page and dashboard ---


def grant(user, *codenames):
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="applications", codename=codename
            )
        )
    return type(user).objects.get(pk=user.pk)


@freeze_time(TODAY)
def test_admin_statistics_page_shows_figures_and_charts_to_staff_with_view(dataset):
    staff = grant(make_staff(make_department()), "view_application")
    response = client_for(staff).get(reverse("applications_statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 8
    monthly = re.search(r'data-chart="chart-monthly" data-bars="(\d+)"', html)
    assert monthly.group(1) == "12"
    assert 'data-bars="3"' in html  # districts: 丰泽区, 鲤城区, not known
    assert re.search(r'data-figure="overdue"><dt>[^<]*</dt><dd>1</dd>', html)
    assert re.search(r'data-figure="submitted"><dt>[^<]*</dt><dd>7</dd>', html)
    assert "Content-Security-Policy" not in html  # nothing inline to allow
    assert "<script" not in html.split('class="nice-padding hall-statistics"')[1]


@freeze_time(TODAY)
def test_admin_statistics_page_refuses_staff_without_view_and_talents(dataset):
    url = reverse("applications_statistics")
    plain_staff = make_staff(make_department())
    assert_refused(client_for(plain_staff).get(url))
    talent = client_for(make_user()).get(url)
    assert talent.status_code in (302, 403)
    assert talent.get("Location", "").startswith(reverse("wagtailadmin_login"))
    anonymous = client_for(make_user())
    anonymous.logout()
    assert anonymous.get(url).status_code == 302


@freeze_time(TODAY)
def test_dashboard_panel_for_staff_with_view_only(dataset):
    staff = grant(make_staff(make_department()), "view_application")
    html = client_for(staff).get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="hall-statistics"' in html or "hall-statistics" in html
    assert 'data-chart="dashboard-chart-monthly"' in html
    plain = client_for(make_staff(make_department()))
    html = plain.get(reverse("wagtailadmin_home")).content.decode()
    assert "dashboard-chart-monthly" not in html
    superuser = client_for(make_superuser())
    html = superuser.get(reverse("wagtailadmin_home")).content.decode()
    assert "dashboard-chart-monthly" in html


# --- public: figures and service performance ---


@freeze_time(TODAY)
def test_performance_of_a_service_item(dataset):
    rows = stats_views.performance_rows()
    row = next(r for r in rows if r["item_id"] == dataset["item"].pk)
    assert row["decided"] == 4
    assert row["median_days"] == 5.5
    assert row["within_share"] == 0.5  # 4 and 1 are within 5 days; 9 and 7 not
    assert row["backlog"] == 3
    assert (row["ratings"], row["rating_average"], row["satisfied_share"]) == (
        2,
        3.5,
        0.5,
    )


@freeze_time(TODAY)
def test_performance_pages_show_figures_and_no_personal_data(client, dataset):
    officer = make_user(kind="staff", real_name="李四光")
    Application.objects.filter(pk=dataset["e"].pk).update(officer=officer)
    listing = client.get(reverse("performance:list"))
    detail = client.get(reverse("performance:detail", args=[dataset["item"].pk]))
    for response in (listing, detail):
        assert response.status_code == 200
        html = response.content.decode()
        assert "高层次人才认定" in html
        for secret in ("张三丰", "李四光", "TEST-2026-", "digest-1", "第三层次"):
            assert secret not in html
    html = listing.content.decode()
    assert re.search(r'data-cell="backlog">3<', html)
    assert re.search(r'data-cell="within">50%', html)
    html = detail.content.decode()
    assert html.count('class="chart__bar"') == 24  # two charts of 12 months
    assert 'class="chart__reference"' in html  # the promised limit


@freeze_time(TODAY)
def test_performance_is_cached_for_a_few_minutes(client, dataset):
    first = stats_views.performance_rows()
    make_case(dataset["form"], ApplicationStatus.SUBMITTED, "2026-03-30")
    again = stats_views.performance_rows()
    assert again == first  # from the cache
    from django.core.cache import cache

    cache.clear()
    fresh = stats_views.performance_rows()
    row = next(r for r in fresh if r["item_id"] == dataset["item"].pk)
    assert row["backlog"] == 4


def test_inactive_service_item_has_no_performance_page(client):
    item = make_service_item(is_active=False)
    assert client.get(reverse("performance:detail", args=[item.pk])).status_code == (
        404
    )
