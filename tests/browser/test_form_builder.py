"""The form builder in Wagtail's real page editor, in Chromium: a condition picks
its field from the fields above by their labels and a choice field's answer
from its choices; a new field's key follows its label; after a refused save
the editor still shows every block and every value entered."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forms.models import ApplicationFormPage
from tests.browser.editor import background_saves, settle
from tests.browser.navigation import arrive
from tests.cms.hall_admin import make_superuser
from tests.factories import PASSWORD, make_guide
from tests.forms.admin_helpers import field, make_form

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def definition():
    return [
        {"type": "step", "title": "基本信息", "description": "", "condition": None},
        field(
            "short_text",
            "full_name",
            "姓名",
            max_length=50,
            prefill="",
            pattern="",
            pattern_message="",
        ),
        field("single_choice", "degree", "最高学历", choices=["博士", "硕士", "本科"]),
        field(
            "number",
            "price",
            "购房金额",
            min_value=None,
            max_value=None,
            decimal_places=0,
        ),
        field("yes_no", "owns_home", "是否已购房"),
    ]


def open_editor(page, base, form):
    user = make_superuser(username="builder")
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    arrive(page, base + "/admin/")
    page.goto(base + reverse("wagtailadmin_pages:edit", args=[form.pk]))
    page.wait_for_load_state()


def block(page, index):
    """The StreamField child at ``index`` (its inputs are named by it)."""
    return page.locator(f"[id='form_fields-{index}-value-label']").locator(
        "xpath=ancestor::*[@data-streamfield-child][1]"
    )


def panel_of(locator):
    """The collapsible panel an input sits in."""
    return locator.locator("xpath=ancestor::section[@data-panel][1]")


def publish(page):
    # The publish button sits in the footer's menu; pressing it is the same.
    page.evaluate("document.querySelector('button[name=action-publish]').click()")


def test_a_condition_picks_an_earlier_field_by_its_label(
    live_server, browser, artifacts
):
    # No review steps: the publish guard then wants "no review" ticked.
    form = make_form(parent=make_guide(), definition=definition(), review_none=True)
    page = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}
    ).new_page()
    open_editor(page, live_server.url, form)
    saves = background_saves(page)

    picker = page.locator("[id='form_fields-3-value-condition-field-picker']")
    # An empty condition reads "always shown" while it is collapsed.
    panel = panel_of(picker)
    expect(panel.locator("[data-panel-heading-text]")).to_have_text("始终显示")
    panel.locator("[data-panel-toggle]").first.click()
    expect(picker).to_be_visible()
    # The fields above it, by label; not itself, not the one below.
    expect(picker.locator("option")).to_have_text(["始终显示", "姓名", "最高学历"])

    picker.select_option(label="最高学历")
    operator = page.locator("[id='form_fields-3-value-condition-operator']")
    expect(operator).to_be_visible()
    expect(operator).to_have_value("equals")
    answer = panel.locator("select.th-condition-answer")
    expect(answer.locator("option")).to_have_text(["博士", "硕士", "本科"])
    answer.select_option(label="硕士")
    stored = page.locator("[id='form_fields-3-value-condition-field']")
    expect(stored).to_have_value("degree")
    expect(page.locator("[id='form_fields-3-value-condition-value']")).to_have_value(
        "硕士"
    )

    # Renaming the field above renames it in the list, live.
    page.fill("[id='form_fields-2-value-label']", "学历")
    expect(picker.locator("option:checked")).to_have_text("学历")
    page.screenshot(path=str(artifacts / "builder-condition.png"), full_page=True)

    # "is one of" offers the choices as boxes.
    operator.select_option("one_of")
    boxes = panel.locator(".th-condition-answers input[type=checkbox]")
    expect(boxes).to_have_count(3)
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(page.locator("[id='form_fields-3-value-condition-value']")).to_have_value(
        "博士,硕士"
    )

    # Whether or not a background save ran (it depends on the machine's pace),
    # none may hold the test database when the page is published.
    settle(page, saves)
    publish(page)
    expect(page.locator(".messages li.success").first).to_be_visible()
    latest = ApplicationFormPage.objects.get(pk=form.pk).latest_version()
    items = {item.get("key"): item for item in latest.definition}
    assert items["price"]["condition"] == {
        "field": "degree",
        "operator": "one_of",
        "value": "博士,硕士",
    }
    assert items["degree"]["label"] == "学历"


def test_a_new_field_gets_its_key_from_the_label(live_server, browser):
    # No review steps: the publish guard then wants "no review" ticked.
    form = make_form(parent=make_guide(), definition=definition(), review_none=True)
    page = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}
    ).new_page()
    open_editor(page, live_server.url, form)

    key = page.locator("[id='form_fields-1-value-key']")
    expect(key).to_have_js_property("readOnly", True)
    # Add a short text block at the end through the editor's own menu.
    page.locator("button.c-sf-add-button").last.click()
    page.locator(".w-combobox__option", has_text="单行文本").first.click()
    label = page.locator("[id='form_fields-5-value-label']")
    expect(label).to_be_visible()
    label.fill("工作单位")
    new_key = page.locator("[id='form_fields-5-value-key']")
    expect(new_key).to_have_value("gongzuodanwei")
    label.fill("姓名")
    expect(new_key).to_have_value("xingming")  # full_name is taken, xingming is not

    # The condition of the block above lists the new field only below it.
    picker = page.locator("[id='form_fields-5-value-condition-field-picker']")
    expect(picker.locator("option")).to_have_text(
        ["始终显示", "姓名", "最高学历", "购房金额", "是否已购房"]
    )
    edit = block(page, 5).locator("button.th-edit-key")
    expect(edit).to_be_hidden()  # under the collapsed "Advanced"
    panel_of(new_key).locator("[data-panel-toggle]").first.click()
    edit.click()
    expect(new_key).to_have_js_property("readOnly", False)
    new_key.fill("employer")
    label.fill("单位名称")
    expect(new_key).to_have_value("employer")  # edited by hand: left alone


def test_a_refused_save_keeps_every_block_and_value(live_server, browser, artifacts):
    # No review steps: the publish guard then wants "no review" ticked.
    form = make_form(parent=make_guide(), definition=definition(), review_none=True)
    page = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}
    ).new_page()
    open_editor(page, live_server.url, form)

    page.fill("[id='form_fields-1-value-help_text']", "与身份证一致")
    page.fill("[id='form_fields-2-value-choices']", "博士\n硕士\n本科\n大专")
    # A pattern RE2 cannot run, under "Advanced".
    pattern = page.locator("[id='form_fields-1-value-pattern']")
    expect(pattern).to_be_hidden()  # under the collapsed "Advanced"
    panel_of(pattern).locator("[data-panel-toggle]").first.click()
    saves = background_saves(page)
    pattern.fill("(?=x)abc")
    # Autosave may try in the background (and is refused); then "Save draft".
    settle(page, saves)
    page.locator("button.action-save").first.click()
    expect(page.locator(".messages li.error").first).to_be_visible()
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts / "builder-refused.png"), full_page=True)

    expect(page.locator("[id='form_fields-1-value-help_text']")).to_have_value(
        "与身份证一致"
    )
    expect(page.locator("[id='form_fields-2-value-choices']")).to_have_value(
        "博士\n硕士\n本科\n大专"
    )
    expect(page.locator("[id='form_fields-1-value-pattern']")).to_have_value("(?=x)abc")
    expect(page.locator("[id='form_fields-1-value-pattern']")).to_be_visible()
    for index, label in enumerate(
        ["基本信息", "姓名", "最高学历", "购房金额", "是否已购房"]
    ):
        name = "title" if index == 0 else "label"
        expect(page.locator(f"[id='form_fields-{index}-value-{name}']")).to_have_value(
            label
        )
    expect(panel_of(pattern).locator(".error-message").first).to_be_visible()
    # What autosave wrote before the pattern (if anything) lost no block, and
    # the refused pattern was never written.
    draft = (
        ApplicationFormPage.objects.get(pk=form.pk).get_latest_revision().as_object()
    )
    assert len(draft.form_fields) == 5
    assert draft.form_fields[1].value["pattern"] == ""
