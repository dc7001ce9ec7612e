"""Casework in the Wagtail admin over real HTTP: the staff queues of the
applications list, and the world the case-view tests share (test_case_view.py,
test_case_admin_bulk.py, the rights matrix)."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cms.core.workdays import add_working_days
from forms.casework import actions, workflow
from forms.casework.roles import PUBLICITY
from forms.models import (
    Application,
    ReviewStep,
)
from tests.cms.hall_admin import client_for
from tests.datasets import fresh_copy, rolled_back
from tests.factories import (
    make_department,
    make_district,
    make_employer,
    make_guide,
    make_user,
)
from tests.forms.admin_helpers import (
    ID_A,
    ID_B,
    make_form,
    make_talent,
    sample_inputs,
    submit_application,
)

pytestmark = pytest.mark.django_db

INDEX = "applications_application_modeladmin_index"


# --- builders (the rights matrix uses them too) ---


def access_admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name="后台-测试")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return group


def app_permissions(*codenames) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="applications", codename__in=codenames
        )
    )


def admin_staff(*groups, perms=(), **fields):
    """Staff who may enter the Wagtail admin (password current)."""
    user = make_user(
        kind="staff",
        is_staff=True,
        password_changed_at=timezone.now(),
        groups=[access_admin_group(), *groups],
        **fields,
    )
    if perms:
        user.user_permissions.add(*app_permissions(*perms))
    return user


def add_steps(form, *steps):
    """steps: (kind, days, group or None, departments)."""
    for order, (kind, days, group, departments) in enumerate(steps):
        step = ReviewStep.objects.create(
            form=form,
            kind=kind,
            time_limit_days=days,
            sort_order=order,
            handler_group=group,
        )
        step.departments.set(departments)
        step.save()  # a ParentalManyToManyField is written on save
    return form


def build_world():
    """A form with accept (window clerks) → district pre-review → department
    (housing) → approval, the staff of every role (made before the cases, so
    rights come only from where the cases went) and one case at each step."""
    district, elsewhere = make_district(), make_district()
    housing, other_department = make_department(), make_department()
    clerks = Group.objects.create(name="受理窗口-测试")
    # The window sees every incoming application (its rights are global).
    clerks.permissions.add(*app_permissions("view_application"))
    w = SimpleNamespace(district=district, elsewhere=elsewhere, housing=housing)
    w.other_department, w.clerks = other_department, clerks
    w.clerk = admin_staff(clerks, real_name="窗口甲")
    w.reviewer = admin_staff(
        real_name="审核乙",
        perms=(
            "view_application",
            "change_application",
            "reveal_personal_data",
            "export_application",
        ),
    )
    # Units act through their casework roles (经办, 初审), not membership.
    w.handler = admin_staff(
        housing.casework_group, department=housing, real_name="住建丙"
    )
    w.other_handler = admin_staff(
        other_department.casework_group, department=other_department
    )
    w.prereviewer = admin_staff(
        district.casework_group, district=district, real_name="初审丁"
    )
    w.other_prereviewer = admin_staff(elsewhere.casework_group, district=elsewhere)
    w.superuser = admin_staff(is_superuser=True, real_name="管理员")
    # Housing's content staff, a form builder and the publicity role: all in
    # the housing department, none with a casework role for its cases.
    w.content_editor = admin_staff(
        housing.editors_group, department=housing, real_name="编辑戊"
    )
    w.content_moderator = admin_staff(
        housing.moderators_group, department=housing, real_name="审核发布己"
    )
    w.form_builder = admin_staff(
        department=housing, perms=("build_forms",), real_name="表单庚"
    )
    w.publicity = admin_staff(
        Group.objects.get(name=PUBLICITY), department=housing, real_name="公示辛"
    )
    w.owner = make_talent(employer=make_employer(district=district), real_name="张三")
    w.other_applicant = make_talent()
    w.form = add_steps(
        make_form(parent=make_guide()),
        ("accept", 3, clerks, []),
        ("prereview", 5, None, []),
        ("department", 5, None, [housing]),
        ("approve", 3, None, []),
    )
    w.cases = {}
    for index, kind in enumerate(("accept", "prereview", "department", "approve")):
        case = submit_application(w.form, w.owner, with_file=True)
        case = advance(case, w.superuser, index)
        assert case.workflow[case.step_index]["kind"] == kind
        w.cases[kind] = case
    return w


def advance(case, user, steps: int):
    for _step in range(steps):
        kind = case.workflow[case.step_index]["kind"]
        if kind == "department":
            case = actions.act(case, user, "opinion", comment="同意", agrees=True)
        elif kind in ("prereview", "review"):
            case = actions.act(case, user, "pass")
        else:
            case = actions.act(case, user, "accept")
    return case


def case_url(case) -> str:
    return reverse("applications_cases:case", args=[case.uuid])


def act_url(case, action) -> str:
    return reverse("applications_cases:act", args=[case.uuid, action])


def fresh(case) -> Application:
    return Application.objects.get(pk=case.pk)


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at the end."""
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(built_world, db):
    """The module's world for one test, its rows read again: what the test does
    to them stays in its own savepoint and its own objects."""
    return fresh_copy(built_world)


def listed(client, **params) -> str:
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def listed_or_refused(client, **params) -> str:
    """Staff who see no case at all are refused the list (and its menu)."""
    response = client.get(reverse(INDEX), params)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
        return ""
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def assert_refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def default_language_text(message: str, **values) -> str:
    """A message as the page shows it (requests run in the default language)."""
    return translation.gettext(message) % values


# --- queues ---


def test_my_work_is_what_each_user_may_handle_now(world):
    w = world
    officer_case = w.cases["approve"]
    actions.act(officer_case, w.superuser, "assign", officer=w.clerk)
    expected = {
        w.clerk: {"accept", "approve"},  # accept step + the case they are officer of
        w.prereviewer: {"prereview"},
        w.handler: {"department"},
        w.reviewer: {"approve"},  # no group on approval: the change permission
        w.other_handler: set(),
        w.other_prereviewer: set(),
    }
    for user, kinds in expected.items():
        html = listed_or_refused(client_for(user), queue="mine")
        shown = {kind for kind, case in w.cases.items() if case.receipt_number in html}
        assert shown == kinds, (user.real_name, shown)
        # The database condition agrees with workflow.available_actions.
        for kind in set(w.cases) - {"approve"}:
            case = fresh(w.cases[kind])
            step_actions = workflow.available_actions(user, case) - {"assign", "note"}
            assert bool(step_actions) == (kind in kinds), (user.real_name, kind)


def test_all_visible_and_stage_filters(world):
    w = world
    client = client_for(w.reviewer)
    html = listed(client)
    assert all(case.receipt_number in html for case in w.cases.values())
    for kind, case in w.cases.items():
        html = listed(client, stage=kind)
        assert case.receipt_number in html
        others = [c for k, c in w.cases.items() if k != kind]
        assert not any(c.receipt_number in html for c in others), kind
    returned = actions.act(
        fresh(w.cases["accept"]), w.clerk, "return", items=[{"label": "学位证书"}]
    )
    html = listed(client, stage="supplement")
    assert returned.receipt_number in html
    assert w.cases["prereview"].receipt_number not in html


def test_overdue_and_due_soon(world):
    w = world
    today = timezone.localdate()
    late, soon, later = (
        w.cases["accept"],
        w.cases["prereview"],
        w.cases["approve"],
    )
    Application.objects.filter(pk=late.pk).update(
        step_due=today - datetime.timedelta(days=1)
    )
    Application.objects.filter(pk=soon.pk).update(step_due=add_working_days(today, 2))
    Application.objects.filter(pk=later.pk).update(step_due=add_working_days(today, 10))
    Application.objects.filter(pk=w.cases["department"].pk).update(
        step_due=add_working_days(today, 20)
    )
    client = client_for(w.reviewer)
    html = listed(client, queue="overdue")
    assert late.receipt_number in html
    assert soon.receipt_number not in html and later.receipt_number not in html
    assert "case-overdue" in html
    html = listed(client, queue="due_soon")
    assert soon.receipt_number in html
    assert late.receipt_number not in html and later.receipt_number not in html


def test_by_department_and_by_district(world):
    w = world
    client = client_for(w.superuser)
    html = listed(client, department=w.housing.pk)
    assert w.cases["department"].receipt_number in html
    assert w.cases["approve"].receipt_number not in html  # answered already
    html = listed(client, department=w.other_department.pk)
    assert w.cases["department"].receipt_number not in html
    html = listed(client, district__id__exact=w.district.pk)
    assert all(case.receipt_number in html for case in w.cases.values())
    html = listed(client, district__id__exact=w.elsewhere.pk)
    assert not any(case.receipt_number in html for case in w.cases.values())


def test_list_shows_stage_district_departments_officer_and_masks_names(world):
    w = world
    actions.act(w.cases["department"], w.superuser, "assign", officer=w.reviewer)
    html = listed(client_for(w.superuser), department=w.housing.pk)
    row = html[html.index(w.cases["department"].receipt_number) :]
    row = row[: row.index("</tr>")]
    assert workflow.stage_label(fresh(w.cases["department"])) in row
    assert w.district.name in row
    assert w.housing.short_name in row
    assert "审核乙" in row
    assert "张*" in row and "张三" not in row


def test_search_by_receipt_name_and_id_digest(world):
    w = world
    form = w.form
    ouyang = submit_application(
        form, w.owner, inputs=sample_inputs(name="欧阳小明", id_number=ID_B)
    )
    client = client_for(w.reviewer)
    html = listed(client, q=ouyang.receipt_number)
    assert ouyang.receipt_number in html
    assert w.cases["accept"].receipt_number not in html
    html = listed(client, q="小明")
    assert ouyang.receipt_number in html and "欧阳小明" not in html
    assert w.cases["accept"].receipt_number not in html
    response = client.post(
        reverse("applications_admin:find_by_id"), {"id_number": ID_B}, follow=True
    )
    assert ID_B not in response.redirect_chain[-1][0]
    html = response.content.decode()
    assert ouyang.receipt_number in html
    assert w.cases["accept"].receipt_number not in html
    # The ID lookup stays within what the user sees.
    response = client_for(w.other_handler).post(
        reverse("applications_admin:find_by_id"), {"id_number": ID_A}
    )
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert (
            w.cases["accept"].receipt_number
            not in client_for(w.other_handler)
            .get(response["Location"])
            .content.decode()
        )


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(INDEX))
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows():
    housing = make_department()
    district = make_district()
    form = add_steps(
        make_form(parent=make_guide()),
        ("department", 5, None, [housing, make_department()]),
        ("approve", 3, None, []),
    )
    superuser = admin_staff(is_superuser=True)
    officers = [
        admin_staff(district=district, perms=("change_application",)) for _n in range(3)
    ]

    def add_cases(n):
        for i in range(n):
            owner = make_talent(employer=make_employer(district=make_district()))
            case = submit_application(form, owner)
            actions.act(case, superuser, "assign", officer=officers[i % 3])

    client = client_for(superuser)
    add_cases(3)
    _list_queries(client)  # warm caches (site, locale, permissions)
    with_three = _list_queries(client)
    add_cases(12)
    with_fifteen = _list_queries(client)
    assert with_fifteen == with_three, (with_three, with_fifteen)


def test_list_counts_its_rows_once_unless_a_filter_narrows_it():
    housing = make_department()
    form = add_steps(
        make_form(parent=make_guide()),
        ("department", 5, None, [housing, make_department()]),
        ("approve", 3, None, []),
    )
    superuser = admin_staff(is_superuser=True)
    for _n in range(3):
        submit_application(form, make_talent())
    client = client_for(superuser)
    client.get(reverse(INDEX))  # warm caches (site, locale, permissions)

    def counts(query: str = "") -> tuple[list[str], str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(INDEX) + query)
        assert response.status_code == 200
        sqls = [q["sql"] for q in queries.captured_queries]
        return sqls, response.content.decode()

    sqls, html = counts()
    assert sum("COUNT(" in sql for sql in sqls) == 1
    # The departments filter lists its choices once, not once per build.
    assert sum('FROM "departments_department"' in sql for sql in sqls) <= 2
    from forms.casework.admin_views import overdue
    from forms.casework.rights import visible_applications

    visible = visible_applications(superuser)
    total = str(visible.count())
    assert shown_counts(html) == [total, total]
    sqls, html = counts("?queue=overdue")
    assert sum("COUNT(" in sql for sql in sqls) == 2
    late = str(visible.filter(overdue()).count())
    assert sorted(shown_counts(html), key=int) == sorted([late, total], key=int)


def shown_counts(html: str) -> list[str]:
    """The numbers of "N out of M" above the list (word order per language)."""
    import re

    from bs4 import BeautifulSoup

    shown = BeautifulSoup(html, "html.parser").select_one(".result-count")
    return re.findall(r"\d+", shown.get_text()) if shown else []
