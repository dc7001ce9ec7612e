"""A foreign talent without a mainland number registers in English with a
Hong Kong mobile number and a code by e-mail, then signs in with the number."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cms.accounts.models import User
from tests.browser.navigation import arrive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Lz8#qWm4!pRt"
EMAIL = "sophie.martin@example.org"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture
def english(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_foreign_talent_registers_with_a_hong_kong_number_by_e_mail_and_signs_in(
    live_server, english, artifacts
):
    page = english
    page.goto(live_server.url + "/accounts/register/")
    expect(page.get_by_role("heading", name="Register", exact=True)).to_be_visible()
    page.locator("#id_real_name").fill("MARTIN SOPHIE")
    page.locator("#id_mobile").fill("+852 6123 4567")
    page.get_by_label("By e-mail, if text messages cannot reach my number").check()
    page.locator("#id_email").fill(EMAIL)
    page.get_by_role("button", name="Send verification code").click()
    expect(page.get_by_text("A code has been sent to s***@example.org")).to_be_visible()
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    code = CODE.search(message.body).group(1)

    # What was typed is still there; only the passwords are asked again.
    expect(page.locator("#id_mobile")).to_have_value("+852 6123 4567")
    expect(
        page.get_by_label("By e-mail, if text messages cannot reach my number")
    ).to_be_checked()
    page.locator("#id_code").fill(code)
    page.locator("#id_id_kind").select_option("passport")
    page.locator("#id_id_number").fill("E12345678")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Register", exact=True).click()

    arrive(page, live_server.url + "/accounts/profile/")
    expect(page.get_by_text("+852 ****4567")).to_be_visible()
    expect(page.get_by_text("Passport E*****678")).to_be_visible()
    page.screenshot(path=artifacts / "foreign-registration-profile.png", full_page=True)
    user = User.objects.get(email=EMAIL)
    assert user.mobile == "+85261234567" and user.email_verified_at is not None

    sign_out = page.locator("#main").get_by_role("button", name="Log out")
    sign_out.click()
    expect(sign_out).to_have_count(0)
    page.goto(live_server.url + "/accounts/login/?next=/accounts/profile/")
    page.locator("#id_username").fill("+852 6123 4567")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    arrive(page, live_server.url + "/accounts/profile/")
    expect(page.locator("#main").get_by_text("MARTIN SOPHIE")).to_be_visible()
