"""The to-do panel staff dashboards open on: each role's cases by due status,
each linking to its case; a clear line, and where to look, when nothing waits;
no panel at all for staff without a casework role."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.core.workdays import add_working_days, is_working_day
from forms.casework import todo
from forms.models import Application, Objection
from forms.publicity import batches as publicity
from tests.cms.hall_admin import client_for
from tests.forms.admin_helpers import submit_application
from tests.forms.test_case_admin import (  # noqa: F401 (fixtures)
    built_world,
    case_url,
    world,
)

pytestmark = pytest.mark.django_db

PANEL = 'id="casework-todo-section"'


def dashboard(user) -> str:
    response = client_for(user).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def group(html: str, key: str) -> str:
    """The panel's group ``key`` (empty when the panel does not show it)."""
    match = re.search(rf'data-todo="{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def receipts_in(section: str, cases) -> set[str]:
    return {case.receipt_number for case in cases if case.receipt_number in section}


def set_dates(case, started: datetime.date, due: datetime.date) -> None:
    Application.objects.filter(pk=case.pk).update(step_started_on=started, step_due=due)


def working_days_before(day: datetime.date, days: int) -> datetime.date:
    while days:
        day -= datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day


def test_my_cases_by_due_status_each_linking_to_its_case(world):
    w = world
    today = timezone.localdate()
    long_ago = working_days_before(today, 10)
    cases = w.cases
    set_dates(cases["accept"], long_ago, working_days_before(today, 1))
    set_dates(cases["prereview"], long_ago, add_working_days(today, 2))
    set_dates(cases["department"], long_ago, add_working_days(today, 3))
    set_dates(
        cases["approve"], working_days_before(today, 1), add_working_days(today, 3)
    )
    html = dashboard(w.superuser)  # decides every step
    everything = cases.values()
    assert receipts_in(group(html, "overdue"), everything) == {
        cases["accept"].receipt_number
    }
    assert receipts_in(group(html, "due_soon"), everything) == {
        cases["prereview"].receipt_number
    }
    # Arrived on the previous working day, due in three: new; the one on
    # time that came long ago is in no group.
    assert receipts_in(group(html, "new"), everything) == {
        cases["approve"].receipt_number
    }
    assert cases["department"].receipt_number not in html.split(PANEL)[1]
    for kind in ("accept", "prereview", "approve"):
        assert f'href="{case_url(cases[kind])}"' in html, kind
    # The panel comes first on the dashboard.
    first = html.index("w-panel--dashboard")
    assert html[first:].startswith("w-panel--dashboard casework-todo")


def test_each_role_sees_only_the_cases_at_its_own_step(world):
    w = world
    everything = list(w.cases.values())
    for role, kind in (
        ("clerk", "accept"),
        ("prereviewer", "prereview"),
        ("handler", "department"),
        ("reviewer", "approve"),
    ):
        html = dashboard(getattr(w, role))
        assert receipts_in(group(html, "new"), everything) == {
            w.cases[kind].receipt_number
        }, role


def test_only_the_first_rows_are_listed_with_a_link_to_all(world):
    w = world
    extra = [submit_application(w.form, w.owner) for _n in range(todo.SHOWN)]
    html = dashboard(w.clerk)
    new = group(html, "new")
    assert len(receipts_in(new, [w.cases["accept"], *extra])) == todo.SHOWN
    assert f"全部{todo.SHOWN + 1}件" in new
    assert "?queue=mine" in new


@pytest.mark.parametrize(
    ("role", "where"),
    [
        ("other_handler", "案件经审核人员分送到部门"),
        ("other_prereviewer", "案件经审核人员分送到部门"),
        ("publicity", "公示批次"),
    ],
)
def test_a_role_with_nothing_to_do_reads_so_and_where_to_look(world, role, where):
    w = world
    html = dashboard(getattr(w, role))
    panel = html.split(PANEL)[1]
    assert "目前没有等待您办理的事项" in panel and where in panel
    assert not receipts_in(html, w.cases.values())


@pytest.mark.parametrize(
    "role", ["content_editor", "content_moderator", "form_builder"]
)
def test_staff_without_a_casework_role_get_no_panel(world, role):
    html = dashboard(getattr(world, role))
    assert PANEL not in html
    assert not receipts_in(html, world.cases.values())


def test_the_publicity_role_sees_batches_objections_and_waiting_cases(world):
    w = world
    case = w.cases["approve"]
    Application.objects.filter(pk=case.pk).update(status="publicity")
    case.refresh_from_db()
    html = dashboard(w.publicity)
    waiting = group(html, "waiting")
    assert case.receipt_number in waiting
    assert reverse("applications_publicitybatch_modeladmin_create") in waiting
    batch = publicity.create_batch(
        "第一批",
        [case],
        starts_on=working_days_before(timezone.localdate(), 1),
        working_days=5,
    )
    html = dashboard(w.publicity)
    overdue = group(html, "overdue")
    assert batch.title in overdue
    assert reverse("publicity_admin:publish", args=[batch.pk]) in overdue
    assert not group(html, "waiting")
    objection = Objection.objects.create(
        batch=batch, application=case, name="李四", phone="13800001111", content="不实"
    )
    objections = group(dashboard(w.publicity), "objections")
    assert (
        reverse("publicity_admin:handle_objection", args=[objection.pk]) in objections
    )
    # The publicity role has no case page: no row links to one.
    assert case_url(case) not in dashboard(w.publicity)
