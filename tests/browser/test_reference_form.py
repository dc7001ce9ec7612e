"""The reference form, built by a form builder through the admin UI only and then
submitted by a talent, in Chromium, with every interaction counted.

The reference form: six fields of different kinds (short text, identity document,
single choice, yes/no, number, upload), one condition (the amount shows only
after "yes"), one repeatable group (family members), review steps. The builder's
budget is 25 clicks (a choice picked from a list counts as one) plus the values
typed; no page along the way may be an error page.
"""

import re

import pytest
from playwright.sync_api import expect

from forms.models import Application, ApplicationFormPage, ApplicationStatus
from tests.browser.editor import background_saves, settle
from tests.browser.navigation import arrive
from tests.cms.hall_admin import make_superuser
from tests.factories import PASSWORD, make_guide, make_user
from tests.forms.flow import PDF, VALID_ID

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUILDER_CLICK_BUDGET = 25


class Interactions:
    """Does what a person does, and counts it."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.typed = 0
        self.error_pages: list[str] = []
        page.on("response", self._watch)

    def _watch(self, response):
        if response.request.is_navigation_request() and response.status >= 400:
            self.error_pages.append(f"{response.status} {response.url}")

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def pick(self, locator, **option):
        locator.select_option(**option)
        self.clicks += 1

    def type(self, locator, value: str):
        locator.fill(value)
        self.typed += 1


def sign_in(page, base, username, login_path):
    page.goto(base + login_path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()


def add_block(act, page, kind: str, within=None):
    """The stream's own "+" and then the kind, by its name in the menu."""
    scope = within if within is not None else page
    act.click(scope.locator("button.c-sf-add-button").last)
    act.click(page.locator(".w-combobox__option", has_text=kind).first)


def test_the_reference_form_is_built_and_filled_within_the_click_budget(
    live_server, browser, artifacts, settings, tmp_path
):
    # Autosave would post beside the clicks; the builder's own test covers it.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base = live_server.url
    guide = make_guide(title="人才安居办事指南")
    builder = make_superuser(username="builder")
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}
    )
    page = context.new_page()
    sign_in(page, base, builder.username, "/admin/login/")
    arrive(page, base + "/admin/")
    page.goto(f"{base}/admin/pages/{guide.pk}/")  # the guide, as from the explorer
    saves = background_saves(page)
    act = Interactions(page)

    # A new form under the guide, blank.
    act.click(page.get_by_role("link", name="添加子页面").first)
    act.click(page.get_by_role("link", name="从空白表单开始"))
    page.wait_for_load_state()
    act.type(page.locator("#id_title"), "人才安居补贴申请")

    def label(index: int, text: str, inner: str = ""):
        act.type(page.locator(f"[id='form_fields-{index}-value-{inner}label']"), text)

    add_block(act, page, "单行文本")
    label(0, "姓名")
    add_block(act, page, "身份证件")
    label(1, "身份证件")
    add_block(act, page, "单选")
    label(2, "最高学历")
    act.type(page.locator("[id='form_fields-2-value-choices']"), "博士\n硕士\n本科")
    add_block(act, page, "是/否")
    label(3, "是否首次购房")
    add_block(act, page, "数字")
    label(4, "购房金额（万元）")

    # The amount shows only when the answer above is "yes".
    picker = page.locator("[id='form_fields-4-value-condition-field-picker']")
    condition = picker.locator("xpath=ancestor::section[@data-panel][1]")
    act.click(condition.locator("[data-panel-toggle]").first)
    act.pick(picker, label="是否首次购房")
    act.pick(condition.locator("select.th-condition-answer"), label="是")

    add_block(act, page, "上传附件")
    label(5, "购房合同")
    add_block(act, page, "可重复字段组")
    label(6, "家庭成员")
    group = page.locator("[id='form_fields-6-value-label']").locator(
        "xpath=ancestor::*[@data-streamfield-child][1]"
    )
    add_block(act, page, "单行文本", within=group)
    label(6, "成员姓名", inner="fields-0-value-")

    # The review steps a blank form starts with: read, kept.
    act.click(page.get_by_role("tab", name=re.compile("审核")))
    expect(page.locator("[id='id_review_steps-0-kind']")).to_be_visible()

    settle(page, saves)
    act.click(page.locator("footer [data-w-dropdown-target=toggle]").first)
    act.click(page.locator("button[name='action-publish']"))
    expect(page.locator(".messages li.success").first).to_be_visible()
    page.screenshot(path=str(artifacts / "reference-form-published.png"))

    assert act.error_pages == []
    print(f"builder: {act.clicks} clicks, {act.typed} typed values")
    assert act.clicks <= BUILDER_CLICK_BUDGET, act.clicks
    form = ApplicationFormPage.objects.get(title="人才安居补贴申请")
    assert form.live and not form.review_none
    assert [step.kind for step in form.review_steps.all()][:1] == ["accept"]
    fields = {item["label"]: item for item in form.latest_version().definition}
    assert fields["购房金额（万元）"]["condition"] == {
        "field": fields["是否首次购房"]["key"],
        "operator": "equals",
        "value": "yes",
    }
    assert [column["label"] for column in fields["家庭成员"]["fields"]] == ["成员姓名"]
    context.close()

    # A talent applies, from the guide page.
    key = {text: item["key"] for text, item in fields.items() if "key" in item}
    member = fields["家庭成员"]["fields"][0]["key"]
    scan = tmp_path / "购房合同.pdf"
    scan.write_bytes(PDF)
    talent = make_user(username="lisi", real_name="")
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    sign_in(page, base, talent.username, "/accounts/login/?next=" + guide.url)
    arrive(page, base + guide.url)
    act = Interactions(page)
    act.click(page.locator(f"a[href='{form.url}']").first)
    act.click(page.locator("form[action$='start/'] button[type=submit]"))
    arrive(page, re.compile(r".*/step/1/$"))
    act.type(page.locator(f"input[name={key['姓名']}]"), "李四")
    act.type(page.locator(f"input[name='{key['身份证件']}-number']"), VALID_ID)
    act.click(page.locator(f"input[name={key['最高学历']}][value=硕士]"))
    amount = page.locator(f"input[name='{key['购房金额（万元）']}']")
    expect(amount).to_be_hidden()
    act.click(page.locator(f"input[name={key['是否首次购房']}][value=yes]"))
    act.type(amount, "120")
    page.set_input_files(f"input[name={key['购房合同']}]", str(scan))
    act.typed += 1  # choosing the file
    act.type(page.locator(f"input[name='{key['家庭成员']}-0-{member}']"), "王五")
    act.click(page.locator("button[value=next]"))
    arrive(page, re.compile(r".*/review/$"))
    expect(page.locator("main")).to_contain_text("王五")
    act.click(page.locator("form[data-submit-once] button[type=submit]"))
    arrive(page, re.compile(r".*/receipt/$"))
    page.screenshot(path=str(artifacts / "reference-form-receipt.png"), full_page=True)

    assert act.error_pages == []
    print(f"talent: {act.clicks} clicks, {act.typed} typed values")
    application = Application.objects.get(form=form)
    assert application.status == ApplicationStatus.SUBMITTED
    assert str(application.answers[key["购房金额（万元）"]]) == "120"
    assert application.files.count() == 1
    context.close()
