"""The review flow: steps, rights, deadlines, conflicts."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from freezegun import freeze_time

from forms.casework import actions, workflow
from forms.casework.actions import act
from forms.casework.rights import visible_applications
from forms.casework.workflow import Conflict, NotAllowed
from forms.models import Application, ApplicationStatus, CaseEvent, SupplementRequest
from tests.factories import make_department, make_district, make_employer, make_user
from tests.forms.casework_helpers import form_with_steps, staff, submit_as

pytestmark = pytest.mark.django_db

# Monday 2026-03-02: no holidays in the weeks that follow.
MONDAY = "2026-03-02 10:00:00+08:00"


@pytest.fixture
def clerks():
    """A window group, with the model rights that let it see every case."""
    group = Group.objects.create(name="受理窗口-测试")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="applications",
            codename__in=["view_application", "change_application"],
        )
    )
    return group


@pytest.fixture
def applicant():
    return make_user(real_name="张三")


def accept_review_approve(clerks):
    return form_with_steps(
        ("accept", 2, {"group": clerks}),
        ("review", 5, {}),
        ("approve", 3, {}),
    )


@freeze_time(MONDAY)
def test_submitting_opens_the_case_at_the_first_step(client, clerks, applicant):
    form = accept_review_approve(clerks)
    application = submit_as(client, form, applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.step_index == 0
    assert [step["kind"] for step in application.workflow] == [
        "accept",
        "review",
        "approve",
    ]
    assert application.step_due == datetime.date(2026, 3, 4)  # 2 working days
    assert workflow.expected_completion(application) == datetime.date(2026, 3, 16)
    event = application.events.get()
    assert (event.action, event.from_status, event.to_status) == (
        "submitted",
        "draft",
        "submitted",
    )


def test_only_the_step_handlers_may_act(client, clerks, applicant):
    form = accept_review_approve(clerks)
    application = submit_as(client, form, applicant)
    outsider = staff()
    assert workflow.available_actions(outsider, application) == set()
    with pytest.raises(NotAllowed):
        act(application, outsider, "accept")
    with pytest.raises(NotAllowed):
        act(application, applicant, "accept")
    clerk = staff(clerks)
    with pytest.raises(NotAllowed):  # approving is not a step of acceptance
        act(application, clerk, "approve")
    application = act(application, clerk, "accept", comment="材料齐全")
    assert application.step_index == 1
    assert workflow.stage_label(application)


def test_return_for_supplement_stops_the_clock_and_resubmission_moves_it(
    client, clerks, applicant
):
    with freeze_time(MONDAY):
        form = accept_review_approve(clerks)
        application = submit_as(client, form, applicant)
        due = application.step_due
        items = [
            {"key": "degree_scan", "label": "学位证书", "reason": "扫描件不清晰"},
            {"key": "", "label": "社保缴纳证明", "reason": "缺少近六个月记录"},
        ]
        application = act(
            application, staff(clerks), "return", items=items, comment="请一次补齐"
        )
    assert application.status == ApplicationStatus.SUPPLEMENT
    assert application.clock_paused_on == datetime.date(2026, 3, 2)
    request = SupplementRequest.objects.get()
    assert [item["label"] for item in request.items] == ["学位证书", "社保缴纳证明"]
    with pytest.raises(NotAllowed):
        act(application, staff(clerks), "return", items=[{"label": "x"}])

    with freeze_time("2026-03-09 09:00:00+08:00"):  # a week later: 5 working days
        application = act(application, applicant, "resubmit")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.clock_paused_on is None
    assert application.step_due == due + datetime.timedelta(days=7)
    request.refresh_from_db()
    assert request.resolved_at is not None


def test_return_needs_the_full_list(client, clerks, applicant):
    application = submit_as(client, accept_review_approve(clerks), applicant)
    with pytest.raises(NotAllowed):
        act(application, staff(clerks), "return", items=[])


def test_two_staff_at_once_one_wins(client, clerks, applicant):
    application = submit_as(client, accept_review_approve(clerks), applicant)
    first, second = staff(clerks), staff(clerks)
    seen_by_second = Application.objects.get(pk=application.pk)
    act(application, first, "accept")
    with pytest.raises(Conflict) as raised:
        act(seen_by_second, second, "reject", comment="不符合条件")
    assert "changed by" in str(raised.value) or "修改" in str(raised.value)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.step_index == 1
    assert list(application.events.values_list("action", flat=True)) == [
        "submitted",
        "accept",
    ]


def test_parallel_departments_each_answer(client, applicant):
    housing, education = make_department(), make_department()
    form = form_with_steps(
        ("department", 5, {"departments": [housing, education]}),
        ("approve", 3, {}),
    )
    application = submit_as(client, form, applicant)
    assert application.department_tasks.count() == 2
    housing_staff = staff(housing.casework_group, department=housing)
    education_staff = staff(education.casework_group, department=education)
    other_department = make_department()
    other = staff(other_department.casework_group, department=other_department)

    assert list(visible_applications(housing_staff)) == [application]
    assert list(visible_applications(other)) == []
    with pytest.raises(NotAllowed):
        act(application, other, "opinion", comment="同意")

    application = act(
        application, housing_staff, "opinion", comment="同意", agrees=True
    )
    assert application.step_index == 0  # still waiting for education
    with pytest.raises(NotAllowed):  # housing already answered
        act(application, housing_staff, "opinion", comment="再次")
    application = act(application, education_staff, "opinion", comment="同意入学安排")
    assert application.step_index == 1


def test_district_prereview_is_for_the_applicants_district(client):
    district, elsewhere = make_district(), make_district()
    employer = make_employer(district=district)
    applicant = make_user(kind="talent", employer=employer)
    form = form_with_steps(("prereview", 5, {}), ("approve", 3, {}))
    application = submit_as(client, form, applicant)
    assert application.district == district
    local = staff(district.casework_group, district=district)
    remote = staff(elsewhere.casework_group, district=elsewhere)
    assert list(visible_applications(remote)) == []
    assert list(visible_applications(local)) == [application]
    with pytest.raises(NotAllowed):
        act(application, remote, "pass")
    application = act(application, local, "pass", comment="初审通过")
    assert application.step_index == 1


def test_approval_leads_to_publicity_then_completion(client, applicant):
    form = form_with_steps(("approve", 3, {}), ("publicity", 5, {}))
    application = submit_as(client, form, applicant)
    approver = make_user(kind="staff", is_superuser=True)
    with pytest.raises(NotAllowed):
        act(application, approver, "reject", comment="")
    application = act(application, approver, "approve", comment="符合第三层次")
    assert application.status == ApplicationStatus.PUBLICITY
    assert application.decided_at is not None
    application = actions.end_publicity(application)
    assert application.status == ApplicationStatus.COMPLETED


def test_withdrawal_and_illegal_transitions(client, clerks, applicant):
    application = submit_as(client, accept_review_approve(clerks), applicant)
    application = act(application, applicant, "withdraw")
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(NotAllowed):
        act(application, staff(clerks), "accept")
    with pytest.raises(NotAllowed):
        act(application, applicant, "withdraw")


def test_events_are_append_only(client, clerks, applicant):
    application = submit_as(client, accept_review_approve(clerks), applicant)
    event = CaseEvent.objects.get(application=application)
    event.comment = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_internal_notes_are_not_public(client, clerks, applicant):
    application = submit_as(client, accept_review_approve(clerks), applicant)
    act(application, staff(clerks), "note", comment="申请人电话未接通")
    note = application.events.get(action="note")
    assert note.public is False


def test_an_action_at_a_given_moment_is_dated_from_that_moment(
    client, clerks, applicant
):
    """A loader replaying history passes at=: the event, decisions, answers and
    due dates follow that moment, not the clock (today is months later)."""
    form = form_with_steps(
        ("accept", 2, {"group": clerks}),
        ("review", 5, {}),
        ("approve", 3, {}),
        ("publicity", 5, {}),
    )
    with freeze_time(MONDAY):
        application = submit_as(client, form, applicant)
    assert application.step_due == datetime.date(2026, 3, 4)
    clerk = staff(clerks)
    reviewer = make_user(kind="staff", is_superuser=True)
    china = datetime.timezone(datetime.timedelta(hours=8))

    def moment(day, hour):
        return datetime.datetime(2026, 3, day, hour, 0, tzinfo=china)

    application = act(
        application,
        clerk,
        "return",
        comment="请补正",
        items=[{"key": "degree", "label": "学历证书"}],
        at=moment(3, 9),  # Tuesday
    )
    assert application.clock_paused_on == datetime.date(2026, 3, 3)
    supplement = SupplementRequest.objects.get(application=application)
    assert supplement.created_at == moment(3, 9)
    application = act(application, applicant, "resubmit", at=moment(6, 15))  # Friday
    supplement.refresh_from_db()
    assert supplement.resolved_at == moment(6, 15)
    # Three working days waited (Wed-Fri) move the due date from Wed 4 to Mon 9.
    assert application.step_due == datetime.date(2026, 3, 9)

    application = act(application, clerk, "accept", at=moment(9, 10))
    assert application.step_started_on == datetime.date(2026, 3, 9)
    assert application.step_due == datetime.date(2026, 3, 16)  # 5 working days
    application = act(application, reviewer, "pass", at=moment(10, 11))
    assert application.step_due == datetime.date(2026, 3, 13)  # 3 working days
    application = act(application, reviewer, "approve", at=moment(11, 16))
    assert application.decided_at == moment(11, 16)
    assert application.status == ApplicationStatus.PUBLICITY
    assert application.step_due == datetime.date(2026, 3, 18)
    application = actions.end_publicity(application, at=moment(19, 9))
    assert application.status == ApplicationStatus.COMPLETED
    assert application.step_started_on == datetime.date(2026, 3, 19)
    assert application.updated_at == moment(19, 9)

    events = application.events.order_by("created_at", "pk")
    assert [(e.action, e.created_at) for e in events][1:] == [
        ("return", moment(3, 9)),
        ("resubmit", moment(6, 15)),
        ("accept", moment(9, 10)),
        ("pass", moment(10, 11)),
        ("approve", moment(11, 16)),
        ("publicity_end", moment(19, 9)),
    ]
