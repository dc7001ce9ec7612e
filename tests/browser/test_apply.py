"""A talent applies online in Chromium: sign in, two steps with a condition, a
group and an upload, check the answers, submit, receipt (issue 3 item 14)."""

import re

import pytest

from forms.models import Application, ApplicationStatus
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
    page.wait_for_url(live_server.url + guide.url)

    page.locator(f"a[href='{form.url}']").first.click()
    page.wait_for_url(live_server.url + form.url)
    assert page.locator(".checklist").inner_text().count("学位证书") == 1
    page.locator("form[action$='start/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/step/1/$"))

    # Step 1: prefilled name; the price shows only once "yes" is chosen.
    assert page.input_value("input[name=full_name]") == "张三"
    price = page.locator("[data-entry=home_price]")
    assert price.is_hidden()
    page.fill("input[name='id_number-number']", VALID_ID)
    page.check("input[name=owns_home][value=yes]")
    assert price.is_visible()
    page.fill("input[name=home_price]", "150")
    page.click("button[value=next]")
    page.wait_for_url(re.compile(r".*/step/2/$"))

    # Step 2: add a second education row without losing the first.
    page.fill("input[name='education-0-school']", "厦门大学")
    page.select_option("select[name='education-0-degree']", "硕士")
    page.click("button[name=_add_row]")
    page.wait_for_selector("input[name='education-1-school']")
    assert page.input_value("input[name='education-0-school']") == "厦门大学"
    page.fill("input[name='education-1-school']", "清华大学")
    page.select_option("select[name='education-1-degree']", "博士")
    page.set_input_files("input[name=degree_scan]", str(scan))
    page.check("input[name=consent]")
    page.click("button[value=next]")
    page.wait_for_url(re.compile(r".*/review/$"))

    review = page.locator("main").inner_text()
    assert "清华大学" in review and "学位证书.pdf" in review
    assert VALID_ID not in review  # masked on screen
    page.screenshot(path=str(artifacts / "apply-review.png"), full_page=True)
    page.locator("form[data-submit-once] button[type=submit]").dblclick()
    page.wait_for_url(re.compile(r".*/receipt/$"))

    receipt = page.locator("[data-receipt-number]").inner_text()
    assert re.fullmatch(r"QZRC-\d{4}-\d{6}", receipt)
    page.screenshot(path=str(artifacts / "apply-receipt.png"), full_page=True)
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.receipt_number == receipt
    assert application.files.count() == 1
