"""The staff's case view in the admin and the actions taken from it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.core.workdays import add_working_days
from forms.casework import actions, workflow
from forms.models import (
    Application,
    ApplicationStatus,
    SupplementRequest,
)
from tests.cms.hall_admin import client_for
from tests.forms.admin_helpers import (
    ID_A,
)
from tests.forms.test_case_admin import (  # noqa: F401 (fixtures)
    act_url,
    assert_refused,
    built_world,
    case_url,
    fresh,
    world,
)

pytestmark = pytest.mark.django_db


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
        act_url(case, "pass"),
        {"pass-lock_version": case.lock_version, "pass-departments": w.housing.pk},
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
