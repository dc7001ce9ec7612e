"""A form in English: the same form, its words from the English page, its
answers stored once in the Chinese form's terms."""

import copy

import pytest
from django.test import Client
from django.urls import reverse

from forms.builder.definition import stream_data_from_definition
from forms.builder.engine import answer_rows
from forms.builder.translation import localise
from forms.models import Application, ApplicationStatus
from tests.cms.hall_admin import client_for
from tests.factories import (
    SAMPLE_DEFINITION,
    make_form,
    make_guide,
    make_user,
    translate,
)
from tests.forms.flow import STEP_ONE, review_url, start, step_two, step_url

pytestmark = pytest.mark.django_db


def case_url(application) -> str:
    return reverse("applications_cases:case", args=[application.uuid])


def english_words(definition: list[dict]) -> list[dict]:
    result = copy.deepcopy(definition)

    def walk(items):
        for item in items:
            if item.get("key"):
                item["label"] = f"EN {item['key']}"
            if item.get("choices"):
                item["choices"] = [f"EN-{choice}" for choice in item["choices"]]
            if item["type"] == "step":
                item["title"] = "Step in English"
            walk(item.get("fields") or [])

    walk(result)
    return result


@pytest.fixture
def forms():
    guide = make_guide()
    source = make_form(parent=guide, confirmation_text="我们会短信通知您。")
    translate(guide, "A guide in English")
    english_form = translate(
        source,
        "The form in English",
        confirmation_text="We will send you a text message.",
        form_fields=stream_data_from_definition(english_words(SAMPLE_DEFINITION)),
    )
    return source, english_form


def test_localise_lays_words_over_by_key_and_keeps_values():
    definition = [
        {"type": "step", "title": "第一步"},
        {"type": "single_choice", "key": "g", "label": "性别", "choices": ["男", "女"]},
    ]
    translated = [
        {"type": "step", "title": "Step one"},
        {"type": "single_choice", "key": "g", "label": "Sex", "choices": ["M", "F"]},
    ]
    shown = localise(definition, translated)
    assert shown[0]["title"] == "Step one"
    assert shown[1]["label"] == "Sex"
    assert shown[1]["choices"] == ["男", "女"]
    assert shown[1]["choice_labels"] == ["M", "F"]
    assert definition[1]["label"] == "性别"  # the source is not changed
    # Choices that do not line up keep their source labels.
    translated[1]["choices"] = ["M"]
    assert "choice_labels" not in localise(definition, translated)[1]


def test_an_english_application_belongs_to_the_chinese_form(forms):
    source, english_form = forms
    client = Client()
    client.force_login(make_user())
    application = start(client, english_form)
    assert application.form_id == source.pk
    assert application.version.form_id == source.pk
    assert application.language == "en"
    assert client.cookies["django_language"].value == "en"

    step = client.get(step_url(application, 1)).content.decode()
    assert '<html lang="en">' in step
    assert "EN full_name" in step and "姓名" not in step

    assert client.post(step_url(application, 1), STEP_ONE).status_code == 303
    step_two_page = client.get(step_url(application, 2)).content.decode()
    # The English label, the Chinese value.
    assert 'value="博士"' in step_two_page and "EN-博士" in step_two_page
    assert client.post(step_url(application, 2), step_two()).status_code == 303
    review = client.get(review_url(application)).content.decode()
    assert "EN-博士" in review and "EN education" in review
    client.post(review_url(application))

    application = Application.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.SUBMITTED
    receipt = client.get(f"/applications/{application.uuid}/receipt/")
    html = receipt.content.decode()
    assert "We will send you a text message." in html
    assert application.receipt_number in html
    # Stored once, in the source form's terms.
    education = application.answers["education"]
    assert education[0]["degree"] == "博士"
    # Staff read the source form's labels.
    rows = answer_rows(application.version.definition, application.answers, {})
    labels = [row.get("label") for row in rows]
    assert "姓名" in labels and "EN full_name" not in labels
    staff = make_user(kind="staff", is_staff=True, is_superuser=True)
    case = client_for(staff).get(case_url(application)).content.decode()
    assert "姓名" in case and "EN full_name" not in case
    assert '<dd class="case-language">English</dd>' in case


def test_a_chinese_applicant_of_the_same_form_reads_chinese(forms):
    source, _english = forms
    client = Client()
    client.force_login(make_user())
    application = start(client, source)
    assert application.language == "zh-hans" and application.form_id == source.pk
    step = client.get(step_url(application, 1)).content.decode()
    assert "姓名" in step and "EN full_name" not in step
