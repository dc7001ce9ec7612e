"""The applicant's side in Chromium at 1280 and 375 px: the inbox link with its
unread count in the header, a file that stays accepted when something else on
the step is missing, and a supplement request that reads on a phone."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from forms.casework.actions import act
from forms.models import ApplicationFile, Message
from tests.browser.navigation import arrive
from tests.factories import PASSWORD, make_form, make_guide, make_user
from tests.forms.casework_helpers import form_with_steps, submit_as
from tests.forms.flow import PDF, VALID_ID

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = ["desktop", "phone"]


def sign_in(page, live_server, user, next_url="/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    arrive(page, live_server.url + next_url)


def fits_the_viewport(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def expect_inside_the_viewport(page, locator) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_header_leads_to_the_inbox_with_the_unread_count(
    live_server, request, viewport, artifacts
):
    page = request.getfixturevalue(viewport)
    user = make_user(real_name="李四", username=f"lisi-{viewport}")
    Message.objects.create(recipient=user, title="您的申请已受理", body="已受理。")
    Message.objects.create(recipient=user, title="请补正材料", body="缺学位证书。")

    page.goto(live_server.url + "/")
    expect(page.locator(".account-nav a[href='/accounts/login/']")).to_be_visible()
    expect(page.locator(".account-nav__messages")).to_have_count(0)

    sign_in(page, live_server, user)
    link = page.locator(".account-nav__messages")
    expect_inside_the_viewport(page, link)
    expect(link.locator(".badge--count")).to_have_text("2")
    expect(link).to_have_accessible_name(re.compile("2条未读消息"))
    assert fits_the_viewport(page)
    page.screenshot(path=str(artifacts / f"header-inbox-{viewport}.png"))

    link.click()
    arrive(page, re.compile(r".*/applications/messages/$"))
    expect(page.locator("h1")).to_have_text("站内消息")
    page.get_by_role("link", name=re.compile("请补正材料")).click()
    arrive(page, re.compile(r".*/applications/messages/\d+/$"))
    expect(page.locator(".account-nav__messages .badge--count")).to_have_text("1")
    assert fits_the_viewport(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_accepted_file_is_kept_when_the_step_fails_elsewhere(
    live_server, request, viewport, artifacts, tmp_path
):
    page = request.getfixturevalue(viewport)
    guide = make_guide(title="人才住房补贴办事指南")
    form = make_form(parent=guide, title="人才住房补贴申请")
    user = make_user(real_name="张三", username=f"zhangsan-{viewport}")
    scan = tmp_path / "学位证书.pdf"
    scan.write_bytes(PDF)

    sign_in(page, live_server, user, form.url)
    page.locator("form[action$='start/'] button[type=submit]").click()
    arrive(page, re.compile(r".*/step/1/$"))
    page.fill("input[name='id_number-number']", VALID_ID)
    page.check("input[name=owns_home][value=no]")
    page.click("button[value=next]")
    arrive(page, re.compile(r".*/step/2/$"))

    # The scan is attached, the consent forgotten: the step comes back.
    page.fill("input[name='education-0-school']", "厦门大学")
    page.select_option("select[name='education-0-degree']", "硕士")
    page.set_input_files("input[name=degree_scan]", str(scan))
    page.click("button[value=next]")
    expect(page.locator(".field--invalid")).to_have_count(1)
    kept = page.locator("[data-material=degree_scan] [data-stored-file]")
    expect(kept).to_have_count(1)
    expect(kept).to_contain_text("学位证书.pdf")
    expect(kept).to_contain_text("已上传")
    expect(kept.get_by_role("checkbox", name=re.compile("删除"))).to_be_visible()
    expect_inside_the_viewport(page, kept)
    assert fits_the_viewport(page)
    page.screenshot(
        path=str(artifacts / f"step-file-kept-{viewport}.png"), full_page=True
    )

    # Agreeing is all that is left: the file is not asked for again.
    page.check("input[name=consent]")
    page.click("button[value=next]")
    arrive(page, re.compile(r".*/review/$"))
    expect(page.locator("main")).to_contain_text("学位证书.pdf")
    assert ApplicationFile.objects.filter(application__applicant=user).count() == 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_supplement_request_and_the_stage_read_at_every_width(
    live_server, request, viewport, artifacts
):
    page = request.getfixturevalue(viewport)
    applicant = make_user(real_name="王五", username=f"wangwu-{viewport}")
    clerks = Group.objects.create(name=f"受理-{viewport}")
    form = form_with_steps(
        ("accept", 2, {"group": clerks}), ("review", 5, {}), ("approve", 3, {})
    )
    application = submit_as(Client(), form, applicant)
    reason = "学位证书扫描件模糊不清，无法辨认学位授予单位和证书编号，请重新扫描上传清晰的原件彩色扫描件"
    act(
        application,
        make_user(kind="staff", is_superuser=True),
        "return",
        items=[
            {"key": "degree_scan", "label": "学位证书", "reason": reason},
            {"key": "mobile", "label": "手机号码", "reason": "无法接通"},
        ],
        comment="请一次性补齐。",
    )

    sign_in(page, live_server, applicant, "/applications/")
    row = page.locator(f"[data-receipt='{application.receipt_number}']")
    expect_inside_the_viewport(page, row.locator(".stage"))
    expect(row.locator(".stage")).to_have_text("待补正")
    cta = page.locator("[data-supplement-cta]")
    expect_inside_the_viewport(page, cta.locator(".notice__title"))
    expect_inside_the_viewport(page, cta.locator("a[href$='/supplement/']"))
    assert fits_the_viewport(page)
    page.screenshot(path=str(artifacts / f"mine-supplement-{viewport}.png"))

    cta.locator("a[href$='/supplement/']").click()
    arrive(page, re.compile(r".*/supplement/$"))
    page.goto(live_server.url + f"/applications/{application.uuid}/")
    box = page.locator("[data-supplement]")
    expect(box).to_contain_text(reason)
    # The title, the list and the button stack inside the box, each as wide
    # as it needs, not squeezed into columns side by side.
    title = box.locator(".notice__title").bounding_box()
    items = box.locator(".request-items").bounding_box()
    whole = box.bounding_box()
    assert items["y"] >= title["y"] + title["height"] - 1
    assert items["width"] >= 0.6 * whole["width"]
    expect_inside_the_viewport(page, box.locator("a[href$='/supplement/']"))
    assert fits_the_viewport(page)
    page.screenshot(
        path=str(artifacts / f"detail-supplement-{viewport}.png"), full_page=True
    )
