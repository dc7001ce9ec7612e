"""A foreign talent registers with a Hong Kong number, reads a guide in
English, applies in English and gets an English receipt; staff see the case
with the form's Chinese labels and the applicant's language."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from cms.accounts.models import User
from forms.builder.definition import stream_data_from_definition
from forms.models import Application, ApplicationStatus
from tests.browser.navigation import arrive
from tests.factories import make_form, make_guide, make_user, translate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Lz8#qWm4!pRt"
EMAIL = "lukas.weber@example.org"
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def definition(full_name, gender, choices, consent):
    return [
        {
            "type": "short_text",
            "key": "full_name",
            "label": full_name,
            "required": True,
            "help_text": "",
            "condition": None,
            "max_length": 80,
            "prefill": "",
            "pattern": "",
            "pattern_message": "",
        },
        {
            "type": "single_choice",
            "key": "gender",
            "label": gender,
            "required": True,
            "help_text": "",
            "condition": None,
            "choices": choices,
        },
        {"type": "consent", "key": "consent", "label": consent, "notice": consent},
    ]


@pytest.fixture
def english(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_foreign_talent_applies_in_english_and_staff_read_it_in_chinese(
    live_server, english, artifacts
):
    guide = make_guide(title="外籍人才居留许可办事指南")
    form = make_form(
        parent=guide,
        title="外籍人才居留许可协办",
        confirmation_text="预审后我们会短信通知您。",
        review_none=True,
        form_fields=stream_data_from_definition(
            definition("姓名（护照）", "性别", ["男", "女"], "我承诺所填信息真实")
        ),
    )
    english_guide = translate(guide, "Residence permit for foreign talent")
    english_form = translate(
        form,
        "Residence permit: online application",
        confirmation_text="We will text you after the check.",
        form_fields=stream_data_from_definition(
            definition(
                "Full name (as in passport)",
                "Sex",
                ["Male", "Female"],
                "I confirm that what I enter is true",
            )
        ),
    )
    page = english

    # Registration with a +852 number and a code by e-mail.
    page.goto(live_server.url + "/i18n/en/?next=/accounts/register/")
    page.locator("#id_real_name").fill("WEBER LUKAS")
    page.locator("#id_mobile").fill("+852 6123 4567")
    page.get_by_label("By e-mail, if text messages cannot reach my number").check()
    page.locator("#id_email").fill(EMAIL)
    page.get_by_role("button", name="Send verification code").click()
    expect(page.locator("#id_code")).to_be_visible()
    code = CODE.search(mail.outbox[-1].body).group(1)
    page.locator("#id_code").fill(code)
    page.locator("#id_id_kind").select_option("passport")
    page.locator("#id_id_number").fill("E12345678")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Register", exact=True).click()
    arrive(page, live_server.url + "/accounts/profile/")

    # The guide in English, and its form.
    page.goto(live_server.url + english_guide.url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Residence permit for foreign talent"
    )
    expect(page.get_by_text("This page is available in Chinese only.")).to_have_count(0)
    page.locator(f"a[href='{english_form.url}']").first.click()
    arrive(page, live_server.url + english_form.url)
    page.locator("form[action$='start/'] button[type=submit]").click()
    arrive(page, re.compile(r".*/step/1/$"))

    expect(page.get_by_label("Full name (as in passport)")).to_be_visible()
    # A missing answer is refused in English.
    page.click("button[value=next]")
    error = page.locator(".field__error").first
    expect(error).to_contain_text(re.compile(r"^[\x00-\x7f]+$"))
    page.get_by_label("Full name (as in passport)").fill("WEBER LUKAS")
    page.get_by_role("radio", name="Male", exact=True).check()
    page.get_by_role("checkbox", name="I confirm that what I enter is true").check()
    page.click("button[value=next]")
    arrive(page, re.compile(r".*/review/$"))
    expect(page.locator("main")).to_contain_text("Male")
    page.locator("form[data-submit-once] button[type=submit]").click()
    arrive(page, re.compile(r".*/receipt/$"))
    expect(page.locator("main")).to_contain_text("We will text you after the check.")
    page.screenshot(path=str(artifacts / "english-receipt.png"), full_page=True)

    user = User.objects.get(email=EMAIL)
    application = Application.objects.get(applicant=user)
    assert application.status != ApplicationStatus.DRAFT
    assert application.form_id == form.pk and application.language == "en"
    assert application.answers["gender"] == "男"

    staff = make_user(kind="staff", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    case = client.get(
        reverse("applications_cases:case", args=[application.uuid])
    ).content.decode()
    assert "姓名（护照）" in case and "男" in case
    assert "Full name (as in passport)" not in case
    assert '<dd class="case-language">English</dd>' in case
