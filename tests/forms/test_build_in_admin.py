"""An administrator builds a form through the Wagtail admin's own POST views,
with no code."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from forms.models import ApplicationFormPage
from tests.cms.hall_admin import client_for, make_superuser
from tests.factories import make_department, make_guide

pytestmark = pytest.mark.django_db

NO_CONDITION = {"field": "", "operator": "equals", "value": ""}


def field(label, key, **extra):
    return {
        "label": label,
        "key": key,
        "help_text": "",
        "required": "on",
        "condition": NO_CONDITION,
        **extra,
    }


def form_page_data(blocks, **changes):
    data = nested_form_data(
        {
            "title": "人才住房补贴申请",
            "slug": "housing-subsidy",
            "intro": rich_text("<p>在线申请人才住房补贴。</p>"),
            "applicant_kinds": "talent",
            "is_open": "on",
            "receipt_prefix": "ZFBT",
            "confirmation_text": "我们将在5个工作日内受理。",
            "form_fields": streamfield(blocks),
            "comments": inline_formset([]),
            "review_steps": inline_formset(
                [
                    {"kind": "accept", "name": "", "time_limit_days": "2"},
                    {
                        "kind": "department",
                        "name": "住建局审核",
                        "time_limit_days": "5",
                    },
                    {"kind": "approve", "name": "", "time_limit_days": "3"},
                ]
            ),
            "action-publish": "publish",
        }
    )
    data.update(changes)
    return data


def several_blocks(condition_field="owns_home"):
    return [
        ("step", {"title": "基本信息", "description": "", "condition": NO_CONDITION}),
        (
            "short_text",
            field(
                "姓名",
                "full_name",
                max_length="50",
                prefill="real_name",
                pattern="",
                pattern_message="",
            ),
        ),
        ("personal_id", field("身份证号", "id_number", prefill="id_number")),
        ("yes_no", field("是否已购房", "owns_home")),
        (
            "number",
            field(
                "购房金额",
                "price",
                min_value="1",
                max_value="9999",
                decimal_places="0",
                condition={
                    "field": condition_field,
                    "operator": "equals",
                    "value": "yes",
                },
            ),
        ),
        ("step", {"title": "材料", "description": "", "condition": NO_CONDITION}),
        (
            "group",
            field(
                "家庭成员",
                "family",
                min_rows="1",
                max_rows="4",
                fields=streamfield(
                    [
                        (
                            "short_text",
                            field(
                                "姓名",
                                "name",
                                max_length="20",
                                prefill="",
                                pattern="",
                                pattern_message="",
                            ),
                        ),
                        (
                            "dropdown",
                            field("关系", "relation", choices="配偶\n子女\n父母"),
                        ),
                    ]
                ),
            ),
        ),
        (
            "file",
            field(
                "购房合同",
                "contract",
                max_size_mb="10",
                max_count="2",
                material_form="原件扫描件",
            ),
        ),
        (
            "consent",
            {"key": "consent", "label": "我同意", "notice": "仅用于补贴审核。"},
        ),
    ]


def with_multiple_choices(data, departments=()):
    # MultipleChoiceBlock and the departments select post one value per choice.
    data["form_fields-2-value-id_kinds"] = ["resident", "passport"]
    data["form_fields-7-value-file_types"] = ["pdf", "jpg"]
    data["review_steps-1-departments"] = [str(d.pk) for d in departments]
    return data


def add_url(parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=["applications", "applicationformpage", parent.pk],
    )


def test_administrator_builds_and_publishes_a_form():
    guide = make_guide()
    client = client_for(make_superuser())
    housing, education = make_department(), make_department()
    data = with_multiple_choices(form_page_data(several_blocks()), [housing, education])
    response = client.post(add_url(guide), data)
    assert response.status_code == 302, response.context["form"].errors

    page = ApplicationFormPage.objects.get(slug="housing-subsidy")
    assert page.live and page.get_parent().pk == guide.pk
    version = page.versions.get()
    assert version.number == 1
    by_key = {item.get("key"): item for item in version.definition}
    assert by_key["id_number"]["id_kinds"] == ["resident", "passport"]
    assert by_key["price"]["condition"] == {
        "field": "owns_home",
        "operator": "equals",
        "value": "yes",
    }
    assert by_key["family"]["fields"][1]["choices"] == ["配偶", "子女", "父母"]
    assert by_key["contract"]["file_types"] == ["pdf", "jpg"]
    assert [item["type"] for item in version.definition].count("step") == 2
    # The guide now leads to it.
    assert guide.specific.apply_url == page.url
    # And its review steps are configured, in order, with two departments in parallel.
    steps = [step.snapshot() for step in page.review_steps.all()]
    assert [step["kind"] for step in steps] == ["accept", "department", "approve"]
    assert steps[1]["department_ids"] == sorted([housing.pk, education.pk])
    assert steps[1]["name"] == "住建局审核" and steps[0]["days"] == 2


def test_a_condition_on_a_later_field_is_refused_with_the_reason():
    guide = make_guide()
    client = client_for(make_superuser())
    data = with_multiple_choices(form_page_data(several_blocks("family")))
    response = client.post(add_url(guide), data)
    assert response.status_code == 200
    assert not ApplicationFormPage.objects.filter(slug="housing-subsidy").exists()
    # The reason sits on the condition of the block at fault, naming the field.
    error = response.context["form"].errors["form_fields"].as_data()[0]
    condition = error.block_errors[4].block_errors["condition"]
    assert "家庭成员" in " ".join(condition.block_errors["field"].messages)


def test_a_bad_key_and_pattern_are_refused():
    guide = make_guide()
    client = client_for(make_superuser())
    blocks = several_blocks()
    blocks[1] = (
        "short_text",
        field(
            "姓名",
            "Full Name",
            max_length="50",
            prefill="",
            pattern="([",
            pattern_message="",
        ),
    )
    response = client.post(
        add_url(guide), with_multiple_choices(form_page_data(blocks))
    )
    assert response.status_code == 200
    assert not ApplicationFormPage.objects.filter(slug="housing-subsidy").exists()
