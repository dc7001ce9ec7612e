"""The policy calculator on a 375 px phone: step through the questions,
read the three lists, and nothing overflows the screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.navigation import arrive
from tests.eligibility.helpers import make_city

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width


def test_the_calculator_on_a_phone(live_server, phone, artifacts):
    make_city()
    page = phone
    page.goto(live_server.url + "/calculator/")
    assert page.locator("html").get_attribute("lang")
    expect(page.locator("h1")).to_be_visible()
    no_sideways_scroll(page)
    page.locator('input[name="tier"][value="tier-1"]').check()
    page.locator('input[name="tier_valid"][value="true"]').check()
    page.locator("button.button--primary").click()
    arrive(page, re.compile(r"step=2"))
    expect(page.locator('input[name="first_home"][value="true"]')).to_be_visible()
    no_sideways_scroll(page)
    # Every question has a label a screen reader reads.
    assert page.locator("label[for=q-child_age]").count() == 1
    page.locator('input[name="first_home"][value="true"]').check()
    page.locator("#q-child_age").fill("16")
    page.locator('input[name="child_school"][value="primary"]').check()
    page.locator("button.button--primary").click()
    expect(page.locator("#yes-title")).to_be_visible()
    expect(page.locator('[data-outcome="yes"][data-item="港湾卡"]')).to_be_visible()
    expect(page.locator('[data-outcome="maybe"][data-item="购房补贴"]')).to_be_visible()
    # The reasons of "no" open on request.
    page.locator("summary").click()
    no_item = page.locator('[data-outcome="no"][data-item="子女入学"]')
    expect(no_item).to_be_visible()
    expect(no_item).to_contain_text("《子女入学保障办法》第三条")
    expect(no_item.locator(".benefit__why")).to_contain_text("16")
    assert page.locator(".benefits > h2").count() == 3
    no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "calculator-375.png"), full_page=True)
