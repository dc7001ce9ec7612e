"""The builder as a non-programmer meets it in the page editor: keys made from
labels, conditions checked on the block at fault (in Chinese), field blocks that
open with label, required and help, and readable slugs for new forms. Driven
through the page editor's own POST views."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.admin.telepath import JSContext

from forms.builder.admin_views import definition_table
from forms.builder.field_types import type_named
from forms.builder.field_types.parts import (
    ADVANCED,
    KEY_PATTERN,
    ConditionBlock,
)
from forms.builder.keys import (
    fill_missing_keys,
    key_base,
    key_for_label,
    readable_slug,
)
from forms.models import ApplicationFormPage
from tests.cms.hall_admin import assert_refused, client_for, make_staff, make_superuser
from tests.factories import make_department, make_guide
from tests.forms.test_build_in_admin import (
    NO_CONDITION,
    add_url,
    form_page_data,
    several_blocks,
    with_multiple_choices,
)

pytestmark = pytest.mark.django_db


# --- keys ---


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("姓名", "xingming"),
        ("身份证号", "shenfenzhenghao"),
        ("身份证 ID", "shenfenzheng_id"),
        ("最高学历（全日制）", "zuigaoxueli_quanrizhi"),
        ("2024年收入", "f_2024_nianshouru"),
        ("Ｅ-mail 地址", "e_mail_dizhi"),
        ("", "field"),
        ("！？", "field"),
    ],
)
def test_a_key_is_the_pinyin_of_the_label(label, key):
    assert key_base(label) == key
    assert KEY_PATTERN.match(key_base(label))


def test_a_long_label_still_gives_a_valid_key_with_room_for_a_suffix():
    label = "申请人及其配偶在本市行政区域内的家庭住房情况说明"
    key = key_for_label(label, {key_base(label)})
    assert KEY_PATTERN.match(key) and key.endswith("_2")
    assert len(key) <= 40


def test_keys_are_unique_within_the_form():
    assert key_for_label("姓名", {"xingming"}) == "xingming_2"
    assert key_for_label("姓名", {"xingming", "xingming_2"}) == "xingming_3"
    assert key_for_label("姓名", {"name"}) == "xingming"


def page_stream(blocks):
    field_ = ApplicationFormPage._meta.get_field("form_fields")
    return field_.to_python(
        [
            {"type": kind, "value": value, "id": f"{n:08d}-0000-0000-0000-000000000000"}
            for n, (kind, value) in enumerate(blocks, start=1)
        ]
    )


def test_missing_keys_are_filled_from_labels_and_a_published_key_is_kept():
    stream = page_stream(
        [
            ("short_text", {"label": "姓名", "key": ""}),
            ("short_text", {"label": "姓名", "key": ""}),
            ("yes_no", {"label": "是否购房", "key": "goufang"}),
            ("email", {"label": "电子邮箱", "key": ""}),
            (
                "group",
                {
                    "label": "家庭成员",
                    "key": "",
                    "fields": [
                        {"type": "short_text", "value": {"label": "姓名", "key": ""}},
                        {"type": "short_text", "value": {"label": "姓名", "key": ""}},
                    ],
                },
            ),
        ]
    )
    # The e-mail field's generated key was published before keys were made
    # from labels: it stays, so its answers keep their export column.
    fill_missing_keys(stream, keep={"f_00000004"})
    keys = [child.value["key"] for child in stream]
    assert keys == [
        "xingming",
        "xingming_2",
        "goufang",
        "f_00000004",
        "jiatingchengyuan",
    ]
    group_keys = [child.value["key"] for child in stream[4].value["fields"]]
    assert group_keys == ["xingming", "xingming_2"]


# --- the block the builder sees ---


def test_a_field_block_opens_with_label_required_and_help():
    block = type_named("short_text").new_block()
    layout = block.meta.form_layout
    names = [child for child in layout.children if isinstance(child, str)]
    assert names[:3] == ["label", "required", "help_text"]
    advanced = [child for child in layout.children if not isinstance(child, str)]
    assert len(advanced) == 1 and "collapsed" in advanced[0].classname
    assert set(advanced[0].children) == {
        "key",
        "prefill",
        "max_length",
        "pattern",
        "pattern_message",
    }
    with translation.override("zh-hans"):
        assert str(advanced[0].heading) == "高级设置"


@pytest.mark.parametrize("name", ["number", "date", "file", "group", "single_choice"])
def test_limits_and_keys_wait_under_advanced_for_every_type(name):
    block = type_named(name).new_block()
    layout = block.meta.form_layout
    shown = [child for child in layout.children if isinstance(child, str)]
    assert shown[:3] == ["label", "required", "help_text"]
    assert not set(shown) & set(ADVANCED)
    # Nothing the type needs is hidden: choices, file types, a group's fields.
    needed = {"choices", "file_types", "fields"} & set(block.child_blocks)
    assert needed <= set(shown)


def test_an_empty_condition_reads_always_shown_and_operators_are_chinese():
    block = ConditionBlock()
    with translation.override("zh-hans"):
        choices = [
            (value, str(label))
            for value, label in block.child_blocks["operator"].field.choices
        ]
    assert choices[0] == ("", "始终显示")
    assert ("equals", "等于") in choices and ("one_of", "属于以下之一") in choices
    assert block.get_default()["operator"] == ""


def test_the_editor_script_is_told_which_fields_a_condition_may_use():
    with translation.override("zh-hans"):
        packed = JSContext().pack(ConditionBlock())
    text = json.dumps(packed, ensure_ascii=False)
    assert "forms.builder.ConditionBlock" in text
    builder = json.loads(text)
    # The adapter's options are the last argument of the packed definition.
    found = re.search(r'"builder": (\{.*?"noneAbove": "[^"]*"\})', text)
    assert found, text[:500]
    options = json.loads(found.group(1))
    assert options["sources"]["single_choice"]["answers"] == "choices"
    assert options["sources"]["yes_no"]["answers"] == "yes_no"
    assert options["sources"]["number"]["answers"] is None
    assert "gt" in options["sources"]["number"]["operators"]
    assert "file" not in options["sources"] and "group" not in options["sources"]
    assert options["alwaysShown"] == "始终显示"
    assert options["operators"]["equals"] == "等于"
    assert builder  # the whole packed definition is JSON


# --- conditions checked on the block at fault, through the editor's POST ---


def post_form(client, parent, blocks, **changes):
    data = with_multiple_choices(form_page_data(blocks, **changes))
    with translation.override("zh-hans"):
        return client.post(add_url(parent), data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def block_error(response, index):
    error = response.context["form"].errors["form_fields"].as_data()[0]
    return error.block_errors[index]


def condition_message(error, part):
    return " ".join(error.block_errors["condition"].block_errors[part].messages)


def test_a_condition_on_a_later_field_is_refused_on_its_block_in_chinese():
    guide = make_guide()
    client = client_for(make_superuser())
    response = post_form(client, guide, several_blocks("family"))
    assert response.status_code == 200
    assert not ApplicationFormPage.objects.exists()
    message = condition_message(block_error(response, 4), "field")
    assert "家庭成员" in message and "不在本块之上" in message


def test_a_condition_on_a_missing_field_names_the_key():
    guide = make_guide()
    client = client_for(make_superuser())
    response = post_form(client, guide, several_blocks("no_such_field"))
    message = condition_message(block_error(response, 4), "field")
    assert "no_such_field" in message and "没有键名为" in message


def test_a_condition_value_must_be_one_of_the_choices():
    blocks = several_blocks()
    blocks[4][1]["condition"] = {
        "field": "owns_home",
        "operator": "equals",
        "value": "是",
    }
    response = post_form(client_for(make_superuser()), make_guide(), blocks)
    message = condition_message(block_error(response, 4), "value")
    assert "“是”不是“是否已购房”的选项" in message
    # yes/no fields answer yes or no, whatever the screen says.
    blocks[4][1]["condition"]["value"] = "yes"
    response = post_form(client_for(make_superuser()), make_guide(), blocks)
    assert response.status_code == 302


def test_a_key_used_twice_is_refused_on_the_second_block():
    blocks = several_blocks()
    blocks[3][1]["key"] = "full_name"
    response = post_form(client_for(make_superuser()), make_guide(), blocks)
    error = block_error(response, 3)
    assert "full_name" in " ".join(error.block_errors["key"].messages)


def test_fields_in_a_group_cannot_have_conditions():
    data = with_multiple_choices(form_page_data(several_blocks()))
    data["form_fields-6-value-fields-1-value-condition-field"] = "name"
    data["form_fields-6-value-fields-1-value-condition-operator"] = "not_empty"
    response = client_for(make_superuser()).post(add_url(make_guide()), data)
    error = block_error(response, 6)
    inner_error = error.block_errors["fields"].block_errors[1]
    assert inner_error.block_errors["condition"].block_errors["field"].messages


def test_a_form_without_a_key_anywhere_gets_keys_from_labels():
    blocks = several_blocks()
    for _kind, value in blocks:
        if "key" in value and _kind != "consent":
            value["key"] = ""
    # Without keys, the condition cannot name its field: remove it.
    blocks[4][1]["condition"] = NO_CONDITION
    response = post_form(client_for(make_superuser()), make_guide(), blocks)
    assert response.status_code == 302, response.context["form"].errors
    version = ApplicationFormPage.objects.get().versions.get()
    keys = [item.get("key") for item in version.definition if item.get("key")]
    assert keys[:4] == ["xingming", "shenfenzhenghao", "shifouyigoufang", "goufangjine"]


# --- the key endpoint the script asks ---


def test_the_key_endpoint_answers_builders_only():
    url = reverse("applications_admin:field_key")
    builder = client_for(make_superuser())
    answer = builder.get(url, {"label": "最高学历", "taken": ["zuigaoxueli"]})
    assert answer.status_code == 200
    assert answer.json() == {"key": "zuigaoxueli_2"}
    assert builder.get(url, {"label": "\x00" * 5000}).json() == {"key": "field"}
    editor = client_for(make_staff(make_department()))
    refused = editor.get(url, {"label": "姓名"})
    assert_refused(refused)
    assert "xingming" not in refused.content.decode()
    anonymous = builder.__class__().get(url, {"label": "姓名"})
    assert anonymous.status_code == 302 and "key" not in anonymous.content.decode()


# --- readable slugs ---


def test_readable_slugs():
    assert readable_slug("高层次人才认定申请", under_guide=False) == (
        "gao-ceng-ci-ren-cai-ren-ding-shen-qing"
    )
    assert readable_slug("长泰区人才补贴", under_guide=False).startswith("chang-tai-qu")
    assert readable_slug("随便什么", under_guide=True) == "zaixian-shenqing"
    assert len(readable_slug("人才" * 80, under_guide=False)) <= 80


def test_a_new_form_under_a_guide_is_zaixian_shenqing_unique_among_siblings():
    guide = make_guide()
    client = client_for(make_superuser())
    # The blank form (the choice of a template or a copy comes first).
    editor = client.get(add_url(guide) + "?blank=1")
    assert 'value="zaixian-shenqing"' in editor.content.decode()
    for _round in range(2):
        response = client.post(
            add_url(guide),
            with_multiple_choices(form_page_data(several_blocks(), slug="")),
        )
        assert response.status_code == 302, response.context["form"].errors
    slugs = sorted(ApplicationFormPage.objects.values_list("slug", flat=True))
    assert slugs == ["zaixian-shenqing", "zaixian-shenqing-1"]


def test_a_new_form_elsewhere_takes_the_pinyin_of_its_title():
    module = make_department().module_page
    client = client_for(make_superuser())
    # Wagtail's own script would post the title kept in Chinese: replaced.
    for slug in ("", "人才住房补贴申请"):
        ApplicationFormPage.objects.all().delete()
        response = client.post(
            add_url(module),
            with_multiple_choices(form_page_data(several_blocks(), slug=slug)),
        )
        assert response.status_code == 302, response.context["form"].errors
        page = ApplicationFormPage.objects.get()
        assert page.slug == "ren-cai-zhu-fang-bu-tie-shen-qing"
        assert page.url.isascii()


def test_a_slug_typed_by_hand_is_kept():
    client = client_for(make_superuser())
    response = client.post(
        add_url(make_guide()),
        with_multiple_choices(form_page_data(several_blocks(), slug="housing")),
    )
    assert response.status_code == 302
    assert ApplicationFormPage.objects.get().slug == "housing"


def test_the_editor_loads_the_builder_script():
    client = client_for(make_superuser())
    page = client.get(add_url(make_guide()) + "?blank=1").content.decode()
    assert "js/form-builder.js" in page and "css/form-builder.css" in page
    assert "forms.builder.FieldBlock" in page


def test_the_version_table_reads_conditions_in_words():
    definition = [
        {
            "type": "yes_no",
            "key": "owns_home",
            "label": "是否已购房",
            "condition": None,
        },
        {
            "type": "number",
            "key": "price",
            "label": "购房金额",
            "condition": {"field": "owns_home", "operator": "equals", "value": "yes"},
        },
        {
            "type": "short_text",
            "key": "note",
            "label": "备注",
            "condition": {"field": "price", "operator": "not_empty", "value": ""},
        },
    ]
    with translation.override("zh-hans"):
        rows = definition_table(definition)
    assert [row["condition"] for row in rows] == [
        "",
        "是否已购房 等于 是",
        "购房金额 已填写",
    ]
