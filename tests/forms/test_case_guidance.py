"""The case page leads: each action says what happens next (from the case's
own review steps), who holds the case and what it waits for; at dispatch the
reviewer confirms or changes the departments; a case that never reached a
handler's department answers with a Chinese page that tells nothing about it."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from forms.casework import actions, guidance, workflow
from forms.models import Application, ApplicationStatus, CaseEvent, DepartmentTask
from tests.cms.hall_admin import client_for
from tests.forms.test_case_admin import (  # noqa: F401 (fixtures)
    act_url,
    built_world,
    case_url,
    fresh,
    world,
)

pytestmark = pytest.mark.django_db


def action_lines(html: str) -> dict[str, str]:
    """What each offered action's button says will happen, by action."""
    lines = {}
    for action, line in re.findall(
        r'<details class="case-action" data-action="(\w+)".*?'
        r'<span class="case-action-next">(.*?)</span>',
        html,
        re.S,
    ):
        lines[action] = line
    return lines


def summary_value(html: str, css_class: str) -> str:
    return re.search(rf'<dd class="{css_class}">(.*?)</dd>', html, re.S).group(1)


def name_of(step: dict) -> str:
    with translation.override("zh-hans"):
        return workflow.step_name(step)


def test_each_action_says_what_happens_next_from_the_case_s_own_steps(world):
    w = world
    case = w.cases["accept"]
    html = client_for(w.clerk).get(case_url(case)).content.decode()
    lines = action_lines(html)
    prereview = case.workflow[1]
    assert lines["accept"] == f"进入{name_of(prereview)}，时限5个工作日"
    assert lines["accept_with_tolerance"].startswith(lines["accept"] + "；")
    assert lines["return"] == "退回申请人补正，重新提交前暂停计时"
    assert lines["reject"] == "办结为不予通过，并告知申请人理由"
    assert lines["note"] == "备注仅工作人员可见，申请人看不到"
    # Read from the steps frozen into the case, not written per form.
    steps = [dict(step) for step in case.workflow]
    steps[1].update(name="县区初审", days=7)
    Application.objects.filter(pk=case.pk).update(workflow=steps)
    html = client_for(w.clerk).get(case_url(case)).content.decode()
    assert action_lines(html)["accept"] == "进入县区初审，时限7个工作日"


def test_the_last_step_completes_and_publicity_says_how_long(world):
    w = world
    case = w.cases["approve"]
    html = client_for(w.reviewer).get(case_url(case)).content.decode()
    assert action_lines(html)["approve"] == "办结"
    steps = [
        *case.workflow,
        {
            "kind": "publicity",
            "name": "",
            "group_id": None,
            "department_ids": [],
            "days": 5,
        },
    ]
    Application.objects.filter(pk=case.pk).update(workflow=steps)
    html = client_for(w.reviewer).get(case_url(case)).content.decode()
    assert action_lines(html)["approve"] == f"进入{name_of(steps[-1])}，为期5个工作日"


def test_the_page_says_who_holds_the_case_and_what_it_waits_for(world):
    w = world
    accept = w.cases["accept"]
    html = client_for(w.clerk).get(case_url(accept)).content.decode()
    assert summary_value(html, "case-holder") == w.clerks.name
    assert summary_value(html, "case-waiting") == (
        f"等待{name_of(accept.workflow[0])}（{w.clerks.name}）"
    )
    prereview = w.cases["prereview"]
    html = client_for(w.prereviewer).get(case_url(prereview)).content.decode()
    assert summary_value(html, "case-holder") == w.district.casework_group.name
    department = w.cases["department"]
    html = client_for(w.handler).get(case_url(department)).content.decode()
    assert summary_value(html, "case-holder") == w.housing.display_name
    assert summary_value(html, "case-waiting") == f"等待{w.housing.display_name}意见"
    returned = actions.act(
        accept, w.clerk, "return", items=[{"label": "学位证书", "reason": "不清晰"}]
    )
    html = client_for(w.clerk).get(case_url(returned)).content.decode()
    assert summary_value(html, "case-holder") == "申请人"
    assert summary_value(html, "case-waiting") == "等待申请人补正（暂停计时）"


def test_dispatch_offers_the_form_s_departments_ticked_and_the_others_not(world):
    w = world
    case = w.cases["prereview"]
    html = client_for(w.prereviewer).get(case_url(case)).content.decode()
    form = html[html.index('data-action="pass"') :]
    form = form[: form.index("</details>")]
    assert "data-dispatch" in form and "分送部门" in form
    ticked = re.findall(
        r'<input type="checkbox" name="pass-departments" value="(\d+)"[^>]*checked',
        form,
    )
    offered = re.findall(r'name="pass-departments" value="(\d+)"', form)
    assert ticked == [str(w.housing.pk)]
    assert str(w.other_department.pk) in offered
    assert action_lines(html)["pass"] == (
        f"进入{name_of(case.workflow[2])}（{w.housing.display_name}），时限5个工作日"
    )


def _pass(client, case, *departments):
    return client.post(
        act_url(case, "pass"),
        {
            "pass-lock_version": case.lock_version,
            "pass-departments": [str(pk) for pk in departments],
        },
    )


def test_dispatch_must_be_confirmed_with_departments_that_exist(world):
    w = world
    case = w.cases["prereview"]
    client = client_for(w.prereviewer)
    for departments, error in (((), "请至少选择一个分送部门"), ((987654,), "987654")):
        response = _pass(client, case, *departments)
        assert response.status_code == 400, departments
        assert error in response.content.decode()
        unchanged = fresh(case)
        assert unchanged.lock_version == case.lock_version
        assert unchanged.step_index == case.step_index
        assert not DepartmentTask.objects.filter(application=case).exists()
    with pytest.raises(workflow.NotAllowed):
        actions.act(case, w.prereviewer, "pass", departments=[])


def test_the_reviewer_changes_the_departments_and_only_they_get_the_case(world):
    w = world
    case = w.cases["prereview"]
    response = _pass(client_for(w.prereviewer), case, w.other_department.pk)
    assert response.status_code == 302
    case = fresh(case)
    assert case.workflow[case.step_index]["kind"] == "department"
    assert case.workflow[case.step_index]["department_ids"] == [w.other_department.pk]
    assert list(case.department_tasks.values_list("department", flat=True)) == [
        w.other_department.pk
    ]
    event = CaseEvent.objects.filter(application=case, action="pass").latest("pk")
    assert event.data == {
        "departments": [w.other_department.name],
        "proposed": [w.housing.name],
    }
    assert client_for(w.other_handler).get(case_url(case)).status_code == 200
    # Housing was proposed but not chosen: it never got the case.
    response = client_for(w.handler).get(case_url(case))
    assert response.status_code == 404
    assert "此案件不属于您的部门" in response.content.decode()


def test_two_departments_in_parallel_each_line_names_the_other(world):
    w = world
    case = w.cases["prereview"]
    _pass(client_for(w.prereviewer), case, w.housing.pk, w.other_department.pk)
    case = fresh(case)
    with translation.override("zh-hans"):
        names = guidance.department_names([w.housing.pk, w.other_department.pk])
        assert guidance.waiting_for(case) == f"等待{names}意见"
    html = client_for(w.handler).get(case_url(case)).content.decode()
    assert action_lines(html)["opinion"] == (
        f"本部门意见记录在案，案件继续等待{w.other_department.display_name}意见"
    )
    actions.act(case, w.other_handler, "opinion", comment="同意", agrees=True)
    html = client_for(w.handler).get(case_url(fresh(case))).content.decode()
    assert action_lines(html)["opinion"].startswith("进入")


def comparable(html: str, case_id) -> str:
    """The page without what changes per request: the address asked for and
    the per-request tokens (CSRF, nonces)."""
    html = html.replace(str(case_id), "<uuid>")
    return re.sub(r"[A-Za-z0-9_-]{32,}", "<token>", html)


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("handler", "此案件不属于您的部门"),
        ("other_prereviewer", "此案件不属于您的县区"),
        ("content_editor", "这里没有您可以查看的案件"),
        ("publicity", "这里没有您可以查看的案件"),
    ],
)
def test_a_case_that_never_reached_you_reads_the_same_as_no_case(world, role, heading):
    """404 in Chinese; nothing of the case, and byte for byte the page an
    address without any case gets: the page is no oracle of existence."""
    w = world
    case = w.cases["accept"]  # reached no department or district yet
    client = client_for(getattr(w, role))
    response = client.get(case_url(case))
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert case.receipt_number not in html and "Page not found" not in html
    nowhere = uuid.uuid4()
    missing = client.get(reverse("applications_cases:case", args=[nowhere]))
    assert missing.status_code == 404
    assert comparable(missing.content.decode(), nowhere) == comparable(html, case.uuid)
    posted = client.post(act_url(case, "accept"), {"accept-lock_version": "0"})
    assert posted.status_code == 404 and heading in posted.content.decode()
    assert fresh(case).status == ApplicationStatus.SUBMITTED
