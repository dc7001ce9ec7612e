"""One step rule: who holds a case is a set of columns on the application
(step_kind, step_group_id, step_district, step_departments) that the actions
write whenever the case moves, and that "My work" and the stage filters read
with one indexed filter, however long the workflow."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forms.casework import actions, workflow
from forms.casework.admin_views import my_work
from forms.casework.workflow import step_handler
from forms.models import (
    Application,
    ApplicationStatus,
    CaseAction,
    CaseEvent,
    StepKind,
    SupplementRequest,
)
from tests.cms.hall_admin import client_for
from tests.factories import make_department, make_district, make_employer, make_guide
from tests.forms.admin_helpers import make_form, make_talent, submit_application
from tests.forms.test_case_admin import INDEX, add_steps, admin_staff, app_permissions

pytestmark = pytest.mark.django_db


def columns(case) -> tuple:
    """The step columns as stored (read again from the database)."""
    stored = Application.objects.get(pk=case.pk)
    return (
        stored.step_kind,
        stored.step_group_id,
        stored.step_district_id,
        sorted(stored.step_departments.values_list("pk", flat=True)),
    )


def long_form(steps: int, handlers: Group):
    """``steps`` review steps: central reviews without a group, then the
    approval by ``handlers`` as the second last step, then publicity."""
    kinds = [("review", 1, None, [])] * (steps - 2)
    return add_steps(
        make_form(parent=make_guide()),
        *kinds,
        ("approve", 1, handlers, []),
        ("publicity", 5, None, []),
    )


def at_step(case, user, index: int) -> Application:
    while case.step_index < index:
        case = actions.act(case, user, CaseAction.PASS)
    return case


def queue_html(user, **params) -> str:
    response = client_for(user).get(reverse(INDEX), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_case_at_step_13_of_14_is_in_the_handlers_my_work():
    handlers = Group.objects.create(name="核准-十四步")
    handlers.permissions.add(*app_permissions("view_application"))
    approver = admin_staff(handlers, real_name="核准甲")
    bystander = admin_staff(perms=("view_application",), real_name="旁观乙")
    superuser = admin_staff(is_superuser=True)
    form = long_form(14, handlers)
    case = at_step(submit_application(form, make_talent()), superuser, 12)
    assert case.step_index == 12 and len(case.workflow) == 14  # step 13 of 14
    assert columns(case) == ("approve", handlers.pk, None, [])

    assert case.receipt_number in queue_html(approver, queue="mine")
    assert case.receipt_number not in queue_html(bystander, queue="mine")
    assert case.receipt_number in queue_html(approver, stage="approve")
    assert case.receipt_number not in queue_html(approver, stage="review")
    fresh = Application.objects.get(pk=case.pk)
    assert CaseAction.APPROVE in workflow.available_actions(approver, fresh)
    assert not workflow.available_actions(bystander, fresh) & {
        CaseAction.APPROVE,
        CaseAction.REJECT,
    }


def test_the_columns_after_every_transition():
    district = make_district()
    housing, labour = make_department(), make_department()
    clerks = Group.objects.create(name="受理-列")
    clerks.permissions.add(*app_permissions("view_application"))
    clerk = admin_staff(clerks)
    superuser = admin_staff(is_superuser=True)
    applicant = make_talent(employer=make_employer(district=district))
    form = add_steps(
        make_form(parent=make_guide()),
        ("accept", 2, clerks, []),
        ("prereview", 3, None, []),
        ("department", 5, None, [housing, labour]),
        ("review", 3, None, []),
        ("approve", 2, None, []),
        ("publicity", 5, None, []),
    )
    nobody = ("", None, None, [])

    case = submit_application(form, applicant)  # open
    assert columns(case) == ("accept", clerks.pk, None, [])
    case = actions.act(case, clerk, CaseAction.RETURN, items=[{"label": "学位证书"}])
    assert case.status == ApplicationStatus.SUPPLEMENT
    assert columns(case) == ("accept", clerks.pk, None, [])
    case = actions.act(case, applicant, CaseAction.RESUBMIT)
    assert columns(case) == ("accept", clerks.pk, None, [])
    case = actions.act(case, clerk, CaseAction.NOTE, comment="电话核实")
    case = actions.act(case, clerk, CaseAction.ASSIGN, officer=clerk)
    assert columns(case) == ("accept", clerks.pk, None, [])
    case = actions.act(case, clerk, CaseAction.ACCEPT)
    assert columns(case) == ("prereview", None, district.pk, [])
    case = actions.act(case, superuser, CaseAction.PASS)
    assert columns(case) == ("department", None, None, sorted([housing.pk, labour.pk]))
    case = actions.act(
        case, admin_staff(housing.casework_group), CaseAction.OPINION, comment="同意"
    )
    assert columns(case) == ("department", None, None, [labour.pk])
    case = actions.act(
        case, admin_staff(labour.casework_group), CaseAction.OPINION, comment="同意"
    )
    assert columns(case) == ("review", None, None, [])
    case = actions.act(case, superuser, CaseAction.PASS)
    assert columns(case) == ("approve", None, None, [])
    case = actions.act(case, superuser, CaseAction.APPROVE)
    assert case.status == ApplicationStatus.PUBLICITY
    assert columns(case) == nobody
    case = actions.end_publicity(case)
    assert case.status == ApplicationStatus.COMPLETED
    assert columns(case) == nobody
    # What actions returned carries the columns too.
    assert (case.step_kind, case.step_group_id, case.step_district_id) == nobody[:3]

    withdrawn = submit_application(form, applicant)
    withdrawn = actions.act(withdrawn, applicant, CaseAction.WITHDRAW)
    assert columns(withdrawn) == nobody
    rejected = submit_application(form, applicant)
    rejected = actions.act(rejected, clerk, CaseAction.REJECT, comment="不符合条件")
    assert columns(rejected) == nobody
    tolerated = submit_application(form, applicant)
    tolerated = actions.act(
        tolerated,
        clerk,
        CaseAction.ACCEPT_WITH_TOLERANCE,
        items=[{"label": "社保证明"}],
    )
    assert columns(tolerated) == ("prereview", None, district.pk, [])
    tolerated = actions.act(
        tolerated,
        applicant,
        CaseAction.MATERIALS_RECEIVED,
        supplement=SupplementRequest.objects.get(application=tolerated),
    )
    assert columns(tolerated) == ("prereview", None, district.pk, [])
    # Every action wrote its event under the enum's value.
    assert set(CaseEvent.objects.values_list("action", flat=True)) <= set(
        CaseAction.values
    )


def _mine_queries(user) -> int:
    client = client_for(user)
    url = reverse(INDEX) + "?queue=mine"
    client.get(url)  # warm caches (site, locale, permissions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_whatever_the_number_of_steps():
    handlers = Group.objects.create(name="核准-步数")
    handlers.permissions.add(*app_permissions("view_application"))
    approver = admin_staff(handlers)
    superuser = admin_staff(is_superuser=True)
    short = at_step(
        submit_application(long_form(3, handlers), make_talent()), superuser, 1
    )
    with_short = _mine_queries(approver)
    condition = str(Application.objects.filter(my_work(approver)).query)
    long = at_step(
        submit_application(long_form(20, handlers), make_talent()), superuser, 18
    )
    with_long = _mine_queries(approver)
    assert with_long == with_short, (with_short, with_long)
    # One condition on the step columns, not one per position of the workflow.
    assert str(Application.objects.filter(my_work(approver)).query) == condition
    assert "workflow" not in condition.split(" WHERE ", 1)[1]
    html = queue_html(approver, queue="mine")
    assert short.receipt_number in html and long.receipt_number in html


def test_the_migration_fills_the_columns_of_cases_under_way():
    """The frozen rule of migration 0008 writes what the actions write."""
    migration = importlib.import_module("forms.migrations.0008_step_handler")
    district = make_district()
    housing, labour = make_department(), make_department()
    clerks = Group.objects.create(name="受理-迁移")
    superuser = admin_staff(is_superuser=True)
    applicant = make_talent(employer=make_employer(district=district))
    form = add_steps(
        make_form(parent=make_guide()),
        ("accept", 2, clerks, []),
        ("prereview", 3, clerks, []),
        ("department", 5, None, [housing, labour]),
        ("approve", 2, None, []),
        ("publicity", 5, None, []),
    )
    cases = [submit_application(form, applicant) for _n in range(6)]
    cases[1] = actions.act(cases[1], superuser, CaseAction.ACCEPT)
    cases[2] = actions.act(
        actions.act(cases[2], superuser, CaseAction.ACCEPT), superuser, CaseAction.PASS
    )
    cases[2] = actions.act(
        cases[2],
        admin_staff(housing.casework_group),
        CaseAction.OPINION,
        comment="同意",
    )
    cases[3] = actions.act(
        cases[3], superuser, CaseAction.RETURN, items=[{"label": "学位证书"}]
    )
    cases[4] = actions.act(cases[4], superuser, CaseAction.REJECT, comment="不符合")
    cases[5] = actions.act(cases[5], applicant, CaseAction.WITHDRAW)
    written = {case.pk: columns(case) for case in cases}
    assert written[cases[2].pk] == ("department", None, None, [labour.pk])
    assert written[cases[1].pk] == ("prereview", clerks.pk, district.pk, [])

    # As before the migration: no columns (the rows of the departments' table
    # did not exist either).
    Application.objects.filter(pk__in=written).update(
        step_kind="", step_group_id=None, step_district=None
    )
    Application.step_departments.through.objects.all().delete()
    assert all(columns(case) == ("", None, None, []) for case in cases)

    migration.fill_step_columns(django_apps, None)
    assert {case.pk: columns(case) for case in cases} == written
    for case in cases:  # and the live rule agrees with the frozen one
        stored = Application.objects.get(pk=case.pk)
        handler = step_handler(stored)
        assert (
            handler.kind,
            handler.group_id,
            handler.district_id,
            list(handler.department_ids),
        ) == written[case.pk]
    assert StepKind.DEPARTMENT in {kind for kind, *_rest in written.values()}
