"""Two staff roles sign in and land on their to-do panel in Chromium: the
window clerk finds the new application there, opens it, reads what accepting
does, confirms the department proposed for dispatch and accepts; the housing
handler, whose panel said nothing was waiting, now finds the case on theirs.
A handler of a department the case never reached reads so, in Chinese."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from forms.models import ApplicationStatus
from tests.browser.navigation import arrive
from tests.browser.test_casework import role_group, sign_in, staff_member
from tests.factories import make_department, make_user
from tests.forms.casework_helpers import form_with_steps, submit_as

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_roles_each_land_on_their_to_do_panel(live_server, browser, artifacts):
    base = live_server.url
    clerks, approvers = role_group("前台"), role_group("核准岗")
    housing = make_department(name="泉州市住房和城乡建设局", short_name="住建局")
    finance = make_department(name="泉州市财政局", short_name="财政局")
    form = form_with_steps(
        ("accept", 2, {"group": clerks}),
        ("department", 5, {"departments": [housing]}),
        ("approve", 3, {"group": approvers}),
        title="人才住房补贴申请",
    )
    clerk = staff_member(clerks, real_name="黄思远", username="clerk")
    # A unit's handler role (经办) lets its members into the admin.
    handler = staff_member(housing.casework_group, username="zhujian")
    other = staff_member(finance.casework_group, username="caizheng")
    application = submit_as(Client(), form, make_user(real_name="陈明哲"))
    case_path = reverse("applications_cases:case", args=[application.uuid])

    def new_page():
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        return context.new_page()

    # The handler's dashboard: nothing yet, and where cases will come from.
    handler_page = new_page()
    sign_in(handler_page, base, "/admin/login/", handler.username, "/admin/")
    panel = handler_page.locator("#casework-todo-section")
    expect(panel).to_contain_text("目前没有等待您办理的事项")
    expect(panel).to_contain_text("住建局")

    # The clerk lands on the panel, the new case in it, and opens it.
    clerk_page = new_page()
    sign_in(clerk_page, base, "/admin/login/", clerk.username, "/admin/")
    # Accepting takes 2 working days: the case is due within 2 already.
    new = clerk_page.locator("#casework-todo-section [data-todo=due_soon]")
    expect(new).to_contain_text(application.receipt_number)
    clerk_page.screenshot(path=str(artifacts / "todo-clerk.png"), full_page=True)
    new.get_by_role("link", name=application.receipt_number).click()
    arrive(clerk_page, base + case_path)
    accept = clerk_page.locator("details[data-action=accept]")
    expect(accept.locator(".case-action-next")).to_have_text(
        "进入部门办理（住建局），时限5个工作日"
    )
    expect(clerk_page.locator(".case-waiting")).to_have_text("等待窗口受理（前台）")
    accept.locator("summary").click()
    housing_box = accept.locator(
        f"input[name='accept-departments'][value='{housing.pk}']"
    )
    expect(housing_box).to_be_checked()
    expect(
        accept.locator(f"input[name='accept-departments'][value='{finance.pk}']")
    ).not_to_be_checked()
    accept.locator("button[type=submit]").click()
    expect(clerk_page.locator(".messages li.success")).to_contain_text(
        application.receipt_number
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.workflow[application.step_index]["kind"] == "department"

    # Now the handler's panel lists it, and it opens from there.
    handler_page.goto(base + "/admin/")
    new = handler_page.locator("#casework-todo-section [data-todo=new]")
    expect(new).to_contain_text(application.receipt_number)
    handler_page.screenshot(path=str(artifacts / "todo-handler.png"), full_page=True)
    new.get_by_role("link", name=application.receipt_number).click()
    arrive(handler_page, base + case_path)
    expect(handler_page.locator(".case-waiting")).to_have_text("等待住建局意见")

    # Finance never got it: a Chinese page, nothing of the case.
    other_page = new_page()
    sign_in(other_page, base, "/admin/login/", other.username, "/admin/")
    other_page.goto(base + case_path)
    expect(other_page.locator("main, body").first).to_contain_text(
        "此案件不属于您的部门"
    )
    expect(other_page.locator("body")).not_to_contain_text(
        re.compile(re.escape(application.receipt_number))
    )
