"""The Review tab and the applicant preview of a form page in Chromium: a form
without review steps is not published (a Chinese message on the Review tab,
what was typed kept); the "as an applicant" preview walks the steps with the
conditions working and writes nothing."""

import re

import pytest
from playwright.sync_api import expect

from forms.models import Application, ApplicationFormPage
from tests.browser.editor import background_saves, settle, wait_for_preview
from tests.browser.navigation import arrive
from tests.factories import PASSWORD, make_guide, make_user
from tests.forms.admin_helpers import field

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEFINITION = [
    {"type": "step", "title": "基本信息", "description": "", "condition": None},
    field("short_text", "full_name", "姓名", max_length=50),
    field("yes_no", "owns_home", "是否已购房"),
    field(
        "number",
        "price",
        "购房金额",
        condition={"field": "owns_home", "operator": "equals", "value": "yes"},
    ),
    {
        "type": "step",
        "title": "购房材料",
        "description": "",
        "condition": {"field": "owns_home", "operator": "equals", "value": "yes"},
    },
    field("short_text", "contract_no", "购房合同编号", max_length=30),
    {"type": "step", "title": "联系方式", "description": "", "condition": None},
    field("mobile", "phone", "手机号码"),
]


def draft_form_without_steps():
    from forms.builder.definition import stream_data_from_definition

    guide = make_guide()
    page = ApplicationFormPage(
        title="人才购房补贴申请",
        slug="goufang-butie",
        form_fields=stream_data_from_definition(DEFINITION),
        live=False,
    )
    guide.add_child(instance=page)
    page.save_revision()
    return page


def sign_in_admin(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    arrive(page, base + "/admin/")


def test_publish_guard_and_applicant_preview(live_server, browser, artifacts, settings):
    # Autosave (tested with the builder) would post beside the clicks below, and
    # SQLite's shared test database takes one writer at a time.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base = live_server.url
    form = draft_form_without_steps()
    admin = make_user(kind="staff", is_superuser=True, username="builder")
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1400, "height": 1000}
    )
    page = context.new_page()
    sign_in_admin(page, base, admin.username)
    page.goto(f"{base}/admin/pages/{form.pk}/edit/")
    saves = background_saves(page)

    # Publishing with no steps and no "no review": refused, in Chinese, on the
    # Review tab, with the changed title still in the field.
    page.fill("#id_title", "人才购房补贴申请（修订）")
    settle(page, saves)
    page.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()
    page.locator("button[name='action-publish']").click()
    refusal = re.compile("请在“审核”页添加至少一个审核步骤")
    expect(page.locator(".messages").get_by_text(refusal)).to_be_visible()
    page.get_by_role("tab", name=re.compile("审核")).click()
    expect(
        page.locator(".error-message").get_by_text("请在下方添加审核步骤")
    ).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("人才购房补贴申请（修订）")
    assert not ApplicationFormPage.objects.get(pk=form.pk).live
    page.screenshot(path=str(artifacts / "form-review-refused.png"))

    # The applicant preview: one step at a time, the conditions applied.
    page.locator("[data-side-panel-toggle=preview]").click()
    wait_for_preview(page)
    page.select_option("#id_preview_mode", "applicant")
    wait_for_preview(page, "applicant")
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.get_by_role("heading", name="基本信息")).to_be_visible()
    expect(frame.locator("[data-entry=price]")).to_be_hidden()
    frame.locator("[name=owns_home][value=yes]").check()
    expect(frame.locator("[data-entry=price]")).to_be_visible()
    frame.locator("[data-preview-next]").click()
    expect(frame.get_by_role("heading", name="购房材料")).to_be_visible()
    frame.locator("[data-preview-back]").click()
    frame.locator("[name=owns_home][value=no]").check()
    frame.locator("[data-preview-next]").click()
    # The housing step's condition fails: it is skipped.
    expect(frame.get_by_role("heading", name="联系方式")).to_be_visible()
    frame.locator("[name=phone]").fill("13912345678")
    frame.locator("[name=phone]").press("Enter")
    frame.locator("[data-preview-next]").click()
    expect(frame.locator("[data-preview-end]")).to_be_visible()
    page.screenshot(path=str(artifacts / "form-review-preview.png"))
    assert Application.objects.count() == 0

    # Ticking "no review" publishes.
    page.locator("[data-side-panel-toggle=preview]").click()
    page.get_by_role("tab", name=re.compile("审核")).click()
    page.locator("#id_review_none").check()
    expect(page.locator("#id_review_none")).to_be_checked()
    settle(page, saves)
    page.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()
    page.locator("button[name='action-publish']").click()
    expect(page.locator(".messages .success")).to_be_visible()
    published = ApplicationFormPage.objects.get(pk=form.pk)
    assert published.live and published.review_none
    assert published.title == "人才购房补贴申请（修订）"
    context.close()
