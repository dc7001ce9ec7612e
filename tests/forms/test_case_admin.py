"""Casework in the Wagtail admin over real HTTP: the queues of the applications
list, the case view and its action forms, conflicts, reveal and bulk assignment
(issue 4 items 3, 4 and 6)."""

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
    AccessRecord,
    Application,
    ApplicationStatus,
    CaseEvent,
    ReviewStep,
    SupplementRequest,
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


# --- the case view and its actions ---


def test_case_view_shows_steps_tasks_events_and_only_allowed_actions(world):
    w = world
    case = w.cases["department"]
    actions.act(case, w.reviewer, "note", comment="内部：电话核实")
    html = client_for(w.handler).get(case_url(case)).content.decode()
    assert 'aria-current="step"' in html
    current = html[html.index('aria-current="step"') :]
    assert workflow.stage_label(fresh(case)) in current[: current.index("</li>")]
    assert w.housing.name in html
    assert "内部：电话核实" in html and 'class="internal"' in html
    assert 'data-action="opinion"' in html
    for action in ("accept", "approve", "reject", "return"):
        assert f'data-action="{action}"' not in html.split("case-events")[0]
    assert ID_A not in html and f"{ID_A[:4]}**********{ID_A[-4:]}" in html
    assert reverse("applications:file", args=[case.files.get().uuid]) in html


def test_accept_through_the_admin_post(world):
    w = world
    case = w.cases["accept"]
    response = client_for(w.clerk).post(
        act_url(case, "accept"),
        {"accept-lock_version": case.lock_version, "accept-comment": "材料齐全"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302 and response["Location"] == case_url(case)
    case = fresh(case)
    assert case.workflow[case.step_index]["kind"] == "prereview"
    event = case.events.latest("created_at", "pk")
    assert (event.action, event.actor, event.comment) == ("accept", w.clerk, "材料齐全")
    assert event.client_ip == "10.1.2.3"
    html = client_for(w.clerk).get(case_url(case)).content.decode()
    assert "10.1.2.3" in html


def test_return_with_items_makes_one_supplement_request_with_all(world):
    w = world
    case = w.cases["accept"]
    data = {
        "return-lock_version": case.lock_version,
        "return-item-degree": "on",
        "return-reason-degree": "学历需与证书一致",
        "return-item-diploma": "on",
        "return-reason-diploma": "扫描件不清晰",
        "return-extra-0": "社保缴纳证明",
        "return-extra-reason-0": "近六个月",
        "return-extra-1": "",
        "return-comment": "请一次补齐",
    }
    response = client_for(w.clerk).post(act_url(case, "return"), data)
    assert response.status_code == 302
    request = SupplementRequest.objects.get(application=case)
    assert request.items == [
        {"key": "degree", "label": "最高学历", "reason": "学历需与证书一致"},
        {"key": "diploma", "label": "学历证书", "reason": "扫描件不清晰"},
        {"key": "", "label": "社保缴纳证明", "reason": "近六个月"},
    ]
    assert request.note == "请一次补齐"
    assert fresh(case).status == ApplicationStatus.SUPPLEMENT


def test_return_without_items_is_an_error_and_changes_nothing(world):
    w = world
    case = w.cases["accept"]
    response = client_for(w.clerk).post(
        act_url(case, "return"),
        {"return-lock_version": case.lock_version, "return-comment": "缺材料"},
    )
    assert response.status_code == 400
    assert not SupplementRequest.objects.filter(application=case).exists()
    assert fresh(case).lock_version == case.lock_version


def test_accept_with_tolerance_lists_items_and_due_date(world):
    w = world
    case = w.cases["accept"]
    response = client_for(w.clerk).post(
        act_url(case, "accept_with_tolerance"),
        {
            "accept_with_tolerance-lock_version": case.lock_version,
            "accept_with_tolerance-item-diploma": "on",
            "accept_with_tolerance-due_days": "5",
        },
    )
    assert response.status_code == 302
    request = SupplementRequest.objects.get(application=case)
    assert request.tolerance and request.items[0]["key"] == "diploma"
    assert request.due == add_working_days(timezone.localdate(), 5)
    assert fresh(case).step_index == 1


def test_stale_lock_version_is_a_conflict_and_nothing_is_applied(world):
    w = world
    case = w.cases["accept"]
    stale = case.lock_version
    actions.act(case, w.superuser, "note", comment="先看一下")  # someone else acts
    response = client_for(w.clerk).post(
        act_url(case, "return"),
        {
            "return-lock_version": stale,
            "return-item-degree": "on",
            "return-comment": "补",
        },
    )
    assert response.status_code == 409
    # The message says who changed it and when.
    assert str(workflow.Conflict(fresh(case))) in response.content.decode()
    assert not SupplementRequest.objects.filter(application=case).exists()
    after = fresh(case)
    assert after.status == ApplicationStatus.SUBMITTED and after.step_index == 0
    assert not after.events.filter(action="return").exists()


def test_losing_the_race_inside_act_rolls_back_the_side_records(world, monkeypatch):
    """The lock version matched when the form was checked, then someone won."""
    w = world
    case = w.cases["accept"]
    real_act = actions.act

    def racing_act(application, *args, **kwargs):
        Application.objects.filter(pk=application.pk).update(
            lock_version=application.lock_version + 1
        )
        return real_act(application, *args, **kwargs)

    monkeypatch.setattr(actions, "act", racing_act)
    response = client_for(w.clerk).post(
        act_url(case, "return"),
        {"return-lock_version": case.lock_version, "return-item-degree": "on"},
    )
    assert response.status_code == 409
    assert not SupplementRequest.objects.filter(application=case).exists()
    assert fresh(case).status == ApplicationStatus.SUBMITTED


def test_reject_needs_a_reason(world):
    w = world
    case = w.cases["approve"]
    client = client_for(w.reviewer)
    response = client.post(
        act_url(case, "reject"),
        {"reject-lock_version": case.lock_version, "reject-comment": "  "},
    )
    assert response.status_code == 400
    assert fresh(case).status == ApplicationStatus.SUBMITTED
    response = client.post(
        act_url(case, "reject"),
        {"reject-lock_version": case.lock_version, "reject-comment": "不符合第三层次"},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == ApplicationStatus.REJECTED
    assert case.decision_reason == "不符合第三层次"


def test_pass_opinion_and_approve_through_the_admin(world):
    w = world
    case = w.cases["prereview"]
    response = client_for(w.prereviewer).post(
        act_url(case, "pass"), {"pass-lock_version": case.lock_version}
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.workflow[case.step_index]["kind"] == "department"
    response = client_for(fresh_user(w.handler)).post(
        act_url(case, "opinion"),
        {
            "opinion-lock_version": case.lock_version,
            "opinion-agrees": "no",
            "opinion-comment": "住房补贴已享受",
        },
    )
    assert response.status_code == 302
    task = case.department_tasks.get()
    assert (task.agrees, task.opinion, task.answered_by) == (
        False,
        "住房补贴已享受",
        w.handler,
    )
    case = fresh(case)
    assert case.workflow[case.step_index]["kind"] == "approve"
    response = client_for(w.reviewer).post(
        act_url(case, "approve"), {"approve-lock_version": case.lock_version}
    )
    assert response.status_code == 302
    assert fresh(case).status == ApplicationStatus.COMPLETED


def fresh_user(user):
    return type(user).objects.get(pk=user.pk)


def test_assign_and_note(world):
    w = world
    case = w.cases["prereview"]
    client = client_for(w.clerk)
    response = client.post(
        act_url(case, "assign"),
        {"assign-lock_version": case.lock_version, "assign-officer": w.reviewer.pk},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.officer == w.reviewer
    response = client.post(
        act_url(case, "note"),
        {"note-lock_version": case.lock_version, "note-comment": "申请人来电"},
    )
    assert response.status_code == 302
    event = case.events.get(action="note")
    assert not event.public and event.comment == "申请人来电"


def test_an_action_the_user_may_not_take_is_refused(world):
    w = world
    case = w.cases["accept"]
    response = client_for(w.clerk).post(
        act_url(case, "approve"), {"approve-lock_version": case.lock_version}
    )
    assert_refused(response)
    assert fresh(case).lock_version == case.lock_version
    response = client_for(w.clerk).post(act_url(case, "nonsense"), {})
    assert response.status_code == 404


def test_actions_are_post_only(world):
    w = world
    case = w.cases["accept"]
    assert client_for(w.clerk).get(act_url(case, "accept")).status_code == 405


# --- reveal ---


def test_reveal_needs_the_permission_and_a_reason_and_is_audited(world):
    w = world
    case = w.cases["approve"]
    url = reverse("applications_cases:reveal", args=[case.uuid])
    assert_refused(client_for(w.clerk).post(url, {"reason": "核对"}))
    assert not AccessRecord.objects.filter(kind="reveal").exists()
    client = client_for(w.reviewer)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert ID_A not in response.content.decode()
    response = client.post(url, {"reason": "核对身份证件与社保记录"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ID_A in html and "13912345678" in html
    event = AccessRecord.objects.get(kind="reveal")
    assert event.user == w.reviewer and event.object_id == str(case.pk)
    assert event.reason == "核对身份证件与社保记录"
    # The next page is masked again.
    assert ID_A not in client.get(case_url(case)).content.decode()


# --- bulk assignment ---


def test_bulk_assign_reports_done_and_conflicted(world):
    w = world
    first, second, third = (
        w.cases["accept"],
        w.cases["prereview"],
        w.cases["approve"],
    )
    stale = third.lock_version
    actions.act(third, w.superuser, "note", comment="改动")
    response = client_for(w.reviewer).post(
        reverse("applications_cases:bulk_assign"),
        {
            "officer": w.clerk.pk,
            "case": [
                f"{first.uuid}:{first.lock_version}",
                f"{second.uuid}:{second.lock_version}",
                f"{third.uuid}:{stale}",
            ],
            "next": reverse(INDEX) + "?queue=mine",
        },
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse(INDEX) + "?queue=mine"
    report = default_language_text(
        "Case officer assigned to %(done)d cases; %(conflicted)d changed meanwhile "
        "(reload and try again); %(refused)d not allowed.",
        done=2,
        conflicted=1,
        refused=0,
    )
    assert report in response.content.decode()
    assert fresh(first).officer == w.clerk and fresh(second).officer == w.clerk
    assert fresh(third).officer is None
    assert CaseEvent.objects.filter(action="assign").count() == 2


def test_bulk_assign_skips_cases_the_user_cannot_see(world):
    w = world
    case = w.cases["accept"]
    response = client_for(w.handler).post(
        reverse("applications_cases:bulk_assign"),
        {"officer": w.handler.pk, "case": [f"{case.uuid}:{case.lock_version}"]},
    )
    assert response.status_code in (302, 403)
    assert fresh(case).officer is None


def test_list_offers_bulk_assignment_checkboxes(world):
    w = world
    html = listed(client_for(w.reviewer))
    case = w.cases["accept"]
    assert f'value="{case.uuid}:{case.lock_version}" form="bulk-assign"' in html
    assert 'id="bulk-assign"' in html
