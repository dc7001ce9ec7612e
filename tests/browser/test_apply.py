"""A talent applies online in Chromium: sign in, two steps with a condition, a
group and an upload, check the answers, submit, receipt."""

import re

import pytest
from playwright.sync_api import expect

from forms.models import Application, ApplicationStatus
from tests.browser.navigation import arrive
from tests.factories import PASSWORD, make_form, make_guide, make_user
from tests.forms.flow import PDF, VALID_ID

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_talent_fills_a_multi_step_form_with_an_upload(
    live_server, desktop, artifacts, tmp_path
):
    guide = make_guide(title="人才住房补贴办事指南")
    form = make_form(parent=guide, title="人才住房补贴申请")
    user = make_user(real_name="张三", username="zhangsan")
    scan = tmp_path / "学位证书.pdf"
    scan.write_bytes(PDF)
    page = desktop

    page.goto(live_server.url + "/accounts/login/?next=" + guide.url)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    arrive(page, live_server.url + guide.url)

    page.locator(f"a[href='{form.url}']").first.click()
    arrive(page, live_server.url + form.url)
    checklist = page.locator(".checklist")
    expect(checklist).to_contain_text("学位证书")
    assert checklist.inner_text().count("学位证书") == 1
    page.locator("form[action$='start/'] button[type=submit]").click()
    arrive(page, re.compile(r".*/step/1/$"))

    # Step 1: prefilled name; the price shows only once "yes" is chosen.
    expect(page.locator("input[name=full_name]")).to_have_value("张三")
    price = page.locator("[data-entry=home_price]")
    expect(price).to_be_attached()
    expect(price).to_be_hidden()
    page.fill("input[name='id_number-number']", VALID_ID)
    page.check("input[name=owns_home][value=yes]")
    expect(price).to_be_visible()
    page.fill("input[name=home_price]", "150")
    page.click("button[value=next]")
    arrive(page, re.compile(r".*/step/2/$"))

    # Step 2: add a second education row without losing the first.
    page.fill("input[name='education-0-school']", "厦门大学")
    page.select_option("select[name='education-0-degree']", "硕士")
    page.click("button[name=_add_row]")
    expect(page.locator("input[name='education-1-school']")).to_be_visible()
    expect(page.locator("input[name='education-0-school']")).to_have_value("厦门大学")
    page.fill("input[name='education-1-school']", "清华大学")
    page.select_option("select[name='education-1-degree']", "博士")
    page.set_input_files("input[name=degree_scan]", str(scan))
    page.check("input[name=consent]")
    page.click("button[value=next]")
    arrive(page, re.compile(r".*/review/$"))

    review = page.locator("main")
    expect(review).to_contain_text("清华大学")
    expect(review).to_contain_text("学位证书.pdf")
    expect(review).not_to_contain_text(VALID_ID)  # masked on screen
    page.screenshot(path=str(artifacts / "apply-review.png"), full_page=True)
    page.locator("form[data-submit-once] button[type=submit]").dblclick()
    arrive(page, re.compile(r".*/receipt/$"))

    number = page.locator("[data-receipt-number]")
    expect(number).to_have_text(re.compile(r"^QZRC-\d{4}-\d{6}$"), use_inner_text=True)
    receipt = number.inner_text()
    page.screenshot(path=str(artifacts / "apply-receipt.png"), full_page=True)
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.receipt_number == receipt
    assert application.files.count() == 1
