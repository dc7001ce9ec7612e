"""The applicant's journey: start, steps, check answers, submit, receipt."""

import pytest

from cms.core import crypto
from forms.models import Application, ApplicationStatus
from tests.factories import make_form, make_user
from tests.forms.flow import (
    STEP_ONE,
    VALID_ID,
    fill_sample,
    review_url,
    start,
    step_two,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client):
    user = make_user(real_name="张三")
    client.force_login(user)
    return user


def test_full_journey_reaches_a_receipt(client, applicant, settings):
    settings.APPLICATION_RECEIPT_PREFIX = "QZRC"
    form = make_form()
    application = fill_sample(client, form)
    review = client.get(review_url(application))
    assert review.status_code == 200
    assert "厦门大学" in review.content.decode()

    response = client.post(review_url(application))
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.receipt_number.startswith("QZRC-")
    assert application.receipt_number.endswith("-000001")
    receipt = client.get(response["Location"])
    assert application.receipt_number in receipt.content.decode()
    assert application.answers["education"] == [
        {"school": "厦门大学", "degree": "博士"}
    ]
    assert application.answers["home_price"] == "120"
    assert application.files.get().original_name == "学位证书.pdf"


def test_prefill_from_profile(client, applicant):
    form = make_form()
    application = start(client, form)
    page = client.get(step_url(application, 1)).content.decode()
    assert 'value="张三"' in page
    assert f'value="{applicant.mobile}"' in page


def test_errors_keep_every_input(client, applicant):
    form = make_form()
    application = start(client, form)
    data = dict(STEP_ONE, **{"id_number-number": "110105194912310021"})
    response = client.post(step_url(application, 1), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "field--invalid" in page
    assert 'value="13912345678"' in page
    assert 'value="110105194912310021"' in page


def test_hidden_field_is_neither_required_nor_stored(client, applicant):
    form = make_form()
    application = start(client, form)
    data = dict(STEP_ONE, owns_home="no", home_price="")
    assert client.post(step_url(application, 1), data).status_code == 303
    data = dict(STEP_ONE, owns_home="no", home_price="99999")  # hidden: ignored
    assert client.post(step_url(application, 1), data).status_code == 303
    assert client.post(step_url(application, 2), step_two()).status_code == 303
    client.post(review_url(application))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "home_price" not in application.answers


def test_shown_field_is_required(client, applicant):
    form = make_form()
    application = start(client, form)
    response = client.post(step_url(application, 1), dict(STEP_ONE, home_price=""))
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()


def test_back_and_save_keep_input_without_validating(client, applicant):
    form = make_form()
    application = start(client, form)
    client.post(step_url(application, 1), STEP_ONE)
    response = client.post(
        step_url(application, 2),
        {"education-rows": "1", "education-0-school": "半填", "action": "back"},
    )
    assert response["Location"] == step_url(application, 1)
    page = client.get(step_url(application, 2)).content.decode()
    assert 'value="半填"' in page
    response = client.post(step_url(application, 2), {"action": "save"})
    assert response["Location"] == "/applications/"


def test_group_rows_are_added_without_javascript(client, applicant):
    form = make_form()
    application = start(client, form)
    client.post(step_url(application, 1), STEP_ONE)
    response = client.post(
        step_url(application, 2),
        {
            "education-rows": "1",
            "education-0-school": "甲大学",
            "_add_row": "education",
        },
    )
    assert response.status_code == 303
    page = client.get(step_url(application, 2)).content.decode()
    assert 'name="education-1-school"' in page
    assert 'value="甲大学"' in page


def test_id_number_is_encrypted_at_rest(client, applicant):
    form = make_form()
    application = fill_sample(client, form)
    client.post(review_url(application))
    application.refresh_from_db()
    stored = application.answers["id_number"]
    assert VALID_ID not in str(application.answers)
    assert stored["masked"].startswith("1101") and "*" in stored["masked"]
    assert crypto.decrypt(stored["cipher"]) == VALID_ID
    assert application.id_digest == crypto.blind_index(VALID_ID)
    assert VALID_ID not in application.draft_data


def test_double_submit_creates_one_application(client, applicant):
    form = make_form()
    application = fill_sample(client, form)
    first = client.post(review_url(application))
    second = client.post(review_url(application))
    assert first.status_code == second.status_code == 303
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 1
    application.refresh_from_db()
    assert second["Location"].endswith(f"{application.uuid}/")


def test_double_start_creates_one_draft(client, applicant):
    form = make_form()
    token = "5b0e7a52-4c8f-4f7e-9d59-1f0c3a1e2b3c"
    first = client.post(form.url + "start/", {"start_token": token})
    second = client.post(form.url + "start/", {"start_token": token})
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1


def test_login_required_to_start(client):
    form = make_form()
    response = client.post(form.url + "start/", {"start_token": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Application.objects.count() == 0


def test_staff_cannot_apply(client):
    client.force_login(make_user(kind="staff"))
    form = make_form()
    token = "5b0e7a52-4c8f-4f7e-9d59-1f0c3a1e2b3d"
    client.post(form.url + "start/", {"start_token": token})
    assert Application.objects.count() == 0


def test_another_applicant_cannot_open_a_draft(client, applicant):
    form = make_form()
    application = start(client, form)
    client.force_login(make_user())
    assert client.get(step_url(application, 1)).status_code == 404
    assert client.get(review_url(application)).status_code == 404


def test_employer_applies_for_a_registered_talent(client):
    from tests.factories import make_employer

    employer = make_employer()
    contact = make_user(kind="employer", employer=employer)
    talent = make_user(kind="talent", employer=employer, real_name="李四")
    outsider = make_user(kind="talent", real_name="王五")
    form = make_form()
    client.force_login(contact)
    page = client.get(form.url).content.decode()
    assert "李四" in page and "王五" not in page

    token = "5b0e7a52-4c8f-4f7e-9d59-1f0c3a1e2b40"
    refused = client.post(
        form.url + "start/", {"start_token": token, "talent": outsider.pk}
    )
    assert refused.status_code == 303 and Application.objects.count() == 0

    client.post(form.url + "start/", {"start_token": token, "talent": talent.pk})
    application = Application.objects.get()
    assert (application.applicant, application.talent) == (contact, talent)
    assert application.employer == employer
    step = client.get(step_url(application, 1)).content.decode()
    assert 'value="李四"' in step  # the talent's details, not the contact's

    client.post(step_url(application, 1), dict(STEP_ONE, full_name="李四"))
    client.post(step_url(application, 2), step_two())
    client.post(review_url(application))
    application.refresh_from_db()
    assert application.subject_name == "李四"
    client.force_login(talent)
    mine = client.get("/applications/").content.decode()
    assert application.receipt_number in mine


CONDITIONAL_STEPS = [
    {"type": "step", "title": "家庭", "description": "", "condition": None},
    {
        "type": "yes_no",
        "key": "has_children",
        "label": "是否有子女",
        "required": True,
        "help_text": "",
        "condition": None,
    },
    {
        "type": "step",
        "title": "子女信息",
        "description": "",
        "condition": {"field": "has_children", "operator": "equals", "value": "yes"},
    },
    {
        "type": "short_text",
        "key": "child_name",
        "label": "子女姓名",
        "required": True,
        "help_text": "",
        "condition": None,
        "max_length": 20,
        "prefill": "",
        "pattern": "",
        "pattern_message": "",
    },
    {"type": "step", "title": "确认", "description": "", "condition": None},
    {"type": "consent", "key": "consent", "label": "我同意", "notice": "说明"},
]


def test_a_step_whose_condition_fails_is_skipped_both_ways(client, applicant):
    form = make_form(definition=CONDITIONAL_STEPS)
    application = start(client, form)
    response = client.post(
        step_url(application, 1), {"has_children": "no", "action": "next"}
    )
    assert response["Location"] == step_url(application, 3)
    assert client.get(step_url(application, 2))["Location"] == step_url(application, 3)
    response = client.post(step_url(application, 3), {"action": "back"})
    assert response["Location"] == step_url(application, 1)

    client.post(step_url(application, 3), {"consent": "on", "action": "next"})
    client.post(review_url(application))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "child_name" not in application.answers

    second = start(client, form)
    response = client.post(
        step_url(second, 1), {"has_children": "yes", "action": "next"}
    )
    assert response["Location"] == step_url(second, 2)
