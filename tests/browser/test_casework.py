"""From the window to publicity in Chromium: a clerk returns a
submitted application for supplement from "My work", the applicant changes the
requested field and resubmits, the clerk accepts, a reviewer approves, the case
waits in publicity; a published batch masks the name and, once the period is
over, close_publicity completes the case."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from cms.core.identifiers import mask_name
from forms.builder.engine import unseal_value
from forms.casework import workflow
from forms.models import ApplicationStatus, SupplementRequest
from forms.publicity import batches as publicity
from tests.browser.navigation import arrive
from tests.factories import PASSWORD, make_user
from tests.forms.casework_helpers import form_with_steps, submit_as

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_MOBILE = "13700001111"


def role_group(name: str) -> Group:
    group = Group.objects.create(name=name)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        *Permission.objects.filter(
            content_type__app_label="applications",
            codename__in=["view_application", "change_application"],
        ),
    )
    return group


def staff_member(group: Group, **fields):
    # create_user sets password_changed_at: the password is current.
    return make_user(kind="staff", groups=[group], **fields)


def sign_in(page, base: str, path: str, username: str, lands_on: str) -> None:
    page.goto(base + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    arrive(page, base + lands_on)


def taken(page, application) -> None:
    """The case page the action redirects back to, with its success message (the
    address alone does not change: the form is on that page too)."""
    expect(page.locator(".messages li.success")).to_contain_text(
        application.receipt_number
    )
    page.wait_for_load_state()


def act_in_admin(page, base: str, application, action: str, **inputs) -> None:
    page.goto(base + reverse("applications_cases:case", args=[application.uuid]))
    details = page.locator(f"details[data-action={action}]")
    details.locator("summary").click()
    for name, value in inputs.items():
        page.fill(f"[name='{action}-{name}']", value)
    details.locator("button[type=submit]").click()
    taken(page, application)


def test_supplement_loop_through_to_publicity(live_server, browser, artifacts):
    base = live_server.url
    clerks, reviewers = role_group("窗口受理"), role_group("后台审核")
    form = form_with_steps(
        ("accept", 2, {"group": clerks}),
        ("approve", 3, {"group": reviewers}),
        ("publicity", 5, {}),
        title="人才住房补贴申请",
    )
    clerk = staff_member(clerks, real_name="黄思远", username="clerk")
    reviewer = staff_member(reviewers, real_name="郑雅琴", username="reviewer")
    applicant = make_user(real_name="陈明哲", username="chenmz")
    application = submit_as(Client(), form, applicant)
    assert application.status == ApplicationStatus.SUBMITTED
    old_mobile = unseal_value(application.answers["mobile"])

    def new_page():
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        return context.new_page()

    # The clerk finds the case under "My work" and returns it for supplement.
    staff_page = new_page()
    sign_in(staff_page, base, "/admin/login/", clerk.username, "/admin/")
    index = reverse("applications_application_modeladmin_index")
    staff_page.goto(base + index + "?queue=mine")
    staff_page.locator(f"a:has-text('{application.receipt_number}')").first.click()
    arrive(staff_page, re.compile(rf".*{application.uuid}.*"))
    staff_page.goto(base + reverse("applications_cases:case", args=[application.uuid]))
    returned = staff_page.locator("details[data-action=return]")
    returned.locator("summary").click()
    returned.locator("input[name='return-item-mobile']").check()
    staff_page.fill("input[name='return-reason-mobile']", "手机号码无法接通，请更正")
    staff_page.fill("textarea[name='return-comment']", "请在10个工作日内补正。")
    staff_page.screenshot(path=str(artifacts / "casework-return.png"), full_page=True)
    returned.locator("button[type=submit]").click()
    taken(staff_page, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    request = SupplementRequest.objects.get(application=application)
    assert [item["key"] for item in request.items] == ["mobile"]

    # The applicant sees the request on 我的申请 and changes only the mobile.
    page = new_page()
    sign_in(page, base, "/accounts/login/", applicant.username, "/")
    page.goto(base + reverse("applications:mine"))
    mine = page.locator("main")
    with translation.override("zh-hans"):
        expect(mine).to_contain_text(str(ApplicationStatus.SUPPLEMENT.label))
    expect(mine).to_contain_text(application.receipt_number)
    page.screenshot(
        path=str(artifacts / "casework-mine-supplement.png"), full_page=True
    )
    page.locator(
        f"a[href='{reverse('applications:supplement', args=[application.uuid])}']"
    ).click()
    arrive(page, re.compile(r".*/supplement/$"))
    expect(page.locator("main")).to_contain_text("手机号码无法接通")
    expect(page.locator("input[name=mobile]")).to_have_count(1)
    expect(page.locator("input[name=full_name]")).to_have_count(0)
    page.fill("input[name=mobile]", NEW_MOBILE)
    page.locator("main form button[type=submit]").first.click()
    arrive(page, base + reverse("applications:detail", args=[application.uuid]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert unseal_value(application.answers["mobile"]) == NEW_MOBILE != old_mobile

    # The clerk accepts, the reviewer approves: the case is in publicity.
    act_in_admin(staff_page, base, application, "accept", comment="材料齐全")
    application.refresh_from_db()
    assert application.workflow[application.step_index]["kind"] == "approve"
    reviewer_page = new_page()
    sign_in(reviewer_page, base, "/admin/login/", reviewer.username, "/admin/")
    act_in_admin(reviewer_page, base, application, "approve", comment="同意")
    reviewer_page.screenshot(
        path=str(artifacts / "casework-approved.png"), full_page=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PUBLICITY

    page.goto(base + reverse("applications:detail", args=[application.uuid]))
    with translation.override("zh-hans"):
        stage = str(workflow.stage_label(application))
    expect(page.locator("main")).to_contain_text(stage)
    page.screenshot(path=str(artifacts / "casework-publicity.png"), full_page=True)

    # An administrator publishes a batch: the public page masks the name.
    batch = publicity.publish(
        publicity.create_batch("2026年第一批人才住房补贴公示", [application])
    )
    public = new_page()
    public.goto(base + reverse("publicity:detail", args=[batch.pk]))
    name = application.subject_name
    assert len(name) >= 2
    expect(public.locator("main")).to_contain_text(mask_name(name))
    expect(public.locator("main")).not_to_contain_text(name)
    public.screenshot(path=str(artifacts / "casework-publicity-page.png"))

    # After the period, close_publicity completes the case.
    report = publicity.close_due_batches(
        today=batch.ends_on + datetime.timedelta(days=1)
    )
    assert report.completed == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETED
    assert application.decided_at <= timezone.now()
