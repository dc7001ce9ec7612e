"""Bad input from applicants, staff and form files gets a clear answer, never a 500
or a hang: patterns run in linear time, integers are parsed in one place, numbers
that are not numbers are not compared, and form files are type-checked."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from forms.builder.definition import DefinitionError, validate_definition
from forms.builder.field_types.text import ShortTextBlock
from forms.builder.form_files import export_form
from forms.builder.patterns import MAX_INPUT_LENGTH, PatternValidator, check_pattern
from forms.casework import actions
from forms.models import Application, ApplicationFormPage
from tests.cms.hall_admin import client_for
from tests.factories import make_employer, make_form, make_user
from tests.forms.flow import STEP_ONE, pdf_upload, start, step_url
from tests.forms.test_case_admin import act_url, build_world, fresh

pytestmark = pytest.mark.django_db


def text_field(key, label, **extra):
    item = {
        "type": "short_text",
        "key": key,
        "label": label,
        "required": True,
        "help_text": "",
        "condition": None,
        "max_length": 500,
        "prefill": "",
        "pattern": "",
        "pattern_message": "",
    }
    item.update(extra)
    return item


@pytest.fixture
def applicant(client):
    user = make_user(real_name="张三")
    client.force_login(user)
    return user


# --- patterns run in linear time (RE2) ---

REDOS_PATTERNS = [r"^(a+)+$", r"(a|aa)+$", r"(.*a){12}"]


@pytest.mark.parametrize("pattern", REDOS_PATTERNS)
@pytest.mark.parametrize("answer", ["a" * 35 + "b", "a" * 499 + "!"])
def test_a_catastrophic_pattern_answers_at_once(client, applicant, pattern, answer):
    """Backtracking engines take minutes on these; the answer must come back."""
    form = make_form(
        definition=[text_field("code", "编号", pattern=pattern, pattern_message="不符")]
    )
    application = start(client, form)
    response = client.post(step_url(application, 1), {"code": answer})
    assert response.status_code == 200
    assert "不符" in response.content.decode()


def test_a_matching_answer_passes_the_same_pattern(client, applicant):
    form = make_form(definition=[text_field("code", "编号", pattern=r"^(a+)+$")])
    application = start(client, form)
    response = client.post(step_url(application, 1), {"code": "a" * 400})
    assert response.status_code == 303


@pytest.mark.parametrize("pattern", REDOS_PATTERNS)
def test_the_validator_bounds_the_input(pattern):
    validator = PatternValidator(pattern, "不符")
    with pytest.raises(Exception) as caught:
        validator("a" * (MAX_INPUT_LENGTH * 20) + "b")
    assert "5000" in str(caught.value)
    with pytest.raises(Exception, match="不符"):
        validator("a" * (MAX_INPUT_LENGTH - 1) + "b")


@pytest.mark.parametrize(
    "pattern", [r"(a)\1", r"(?=a)a", r"(?<!b)a", "[", "a{2000}", "x" * 201]
)
def test_patterns_re2_cannot_run_are_refused_where_they_are_saved(pattern):
    with translation.override("en"):
        assert check_pattern(pattern)
        block = ShortTextBlock()
        value = block.to_python({"label": "编号", "key": "code", "pattern": pattern})
        with pytest.raises(Exception) as caught:
            block.clean(value)
        assert "pattern" in caught.value.block_errors
        with pytest.raises(DefinitionError) as refused:
            validate_definition([text_field("code", "编号", pattern=pattern)])
        assert refused.value.errors[0].startswith("Item 1 (编号)")


def test_python_spellings_of_unicode_escapes_and_the_end_still_work():
    validator = PatternValidator(r"[\u4e00-\u9fa5]{2,4}\Z", "须为汉字")
    validator("张三丰")
    with pytest.raises(Exception, match="须为汉字"):
        validator("Zhang")
    assert check_pattern(r"\\Z") is None  # an escaped backslash, then a Z


# --- numbers that are not numbers ---


@pytest.mark.parametrize("answer", ["NaN", "sNaN", "Infinity", "-inf", "nan123"])
def test_a_non_number_read_by_a_number_condition_is_not_a_500(
    client, applicant, answer
):
    form = make_form(
        definition=[
            text_field("score", "分数"),
            text_field(
                "bonus",
                "加分说明",
                required=False,
                condition={"field": "score", "operator": "gt", "value": "5"},
            ),
        ]
    )
    application = start(client, form)
    response = client.post(step_url(application, 1), {"score": answer, "bonus": ""})
    assert response.status_code == 303


@pytest.mark.parametrize("limit", ["NaN", "sNaN", "Infinity", "1e"])
def test_a_number_condition_on_a_non_number_is_refused_in_the_definition(limit):
    with pytest.raises(DefinitionError):
        validate_definition(
            [
                text_field("score", "分数"),
                text_field(
                    "bonus",
                    "加分",
                    condition={"field": "score", "operator": "gt", "value": limit},
                ),
            ]
        )


# --- integers from requests ---


@pytest.mark.parametrize(
    "extra",
    [
        {"education-rows": "abc", "_add_row": "education"},
        {"education-rows": "²", "_add_row": "education"},
        {"_remove_row": "education:²"},
        {"_remove_row": "education:abc"},
        {"_remove_row": "education:" + "9" * 5000},
        {"education-rows": "9" * 5000},
        {"education-rows": "-1"},
    ],
)
def test_bad_group_row_counters_are_not_a_500(client, applicant, extra):
    form = make_form()
    application = start(client, form)
    assert client.post(step_url(application, 1), STEP_ONE).status_code == 303
    data = {"education-0-school": "厦门大学", "education-0-degree": "博士"}
    data.update(extra)
    response = client.post(step_url(application, 2), data)
    assert response.status_code in (200, 303)
    # The stored counter, however bad, draws a page too.
    assert client.get(step_url(application, 2)).status_code == 200


@pytest.mark.parametrize("value", ["not-a-uuid", "²", "", "\x00"])
def test_removing_a_file_that_is_not_attached_is_ignored(client, applicant, value):
    """Found by the step property test: a removal box holding anything but one of
    the field's own files' UUIDs gave a 500."""
    form = make_form()
    application = start(client, form)
    assert client.post(step_url(application, 1), STEP_ONE).status_code == 303
    data = {"degree_scan-remove": value, "degree_scan": pdf_upload()}
    response = client.post(step_url(application, 2), data)
    assert response.status_code == 200  # the group is still missing
    assert application.files.count() == 1


@pytest.mark.parametrize("talent", ["abc", "²", "1.5", "9" * 30, "-1"])
def test_a_bad_talent_at_start_is_a_message(client, talent):
    employer = make_employer()
    contact = make_user(kind="employer", employer=employer)
    client.force_login(contact)
    form = make_form()
    token = "5b0e7a52-4c8f-4f7e-9d59-1f0c3a1e2b40"
    response = client.post(
        form.url + "start/", {"start_token": token, "talent": talent}
    )
    assert response.status_code == 303
    assert Application.objects.count() == 0


@pytest.mark.parametrize("lock", ["²", "١", "abc", "9" * 40, ""])
def test_a_bad_lock_version_on_a_case_action_is_refused(lock):
    w = build_world()
    case = w.cases["accept"]
    response = client_for(w.clerk).post(
        act_url(case, "accept"), {"accept-lock_version": lock}
    )
    assert response.status_code in (302, 403)
    assert fresh(case).lock_version == case.lock_version


def test_bad_selections_in_bulk_assign_are_skipped():
    w = build_world()
    case = w.cases["accept"]
    response = client_for(w.reviewer).post(
        reverse("applications_cases:bulk_assign"),
        {
            "officer": w.clerk.pk,
            "case": [f"{case.uuid}:²", "²:²", "abc", f"{case.uuid}:{'9' * 40}"],
        },
    )
    assert response.status_code == 302
    assert fresh(case).officer is None
    actions.act(case, w.superuser, "note", comment="无")  # still works


@pytest.mark.parametrize("department", ["²", "abc", "9" * 40])
def test_bad_department_filters_are_ignored(client, department):
    from cms.policies.models import PolicyIndexPage

    policies = PolicyIndexPage.objects.live().first()
    response = client.get(policies.url, {"department": department})
    assert response.status_code == 200
    response = client.get("/services/", {"department": department})
    assert response.status_code == 200


# --- form files ---


def run(command, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def refused(tmp_path, data, **options) -> str:
    path = tmp_path / "form.json"
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as caught:
        run("import_form", str(path), **options)
    return str(caught.value)


def _item(definition, key):
    return next(item for item in definition if item.get("key") == key)


BAD_DEFINITIONS = {
    "item is a number": (lambda d: d.append(5), "Item 11: unknown type"),
    "item is a list": (lambda d: d.append([1, 2]), "Item 11: unknown type"),
    "type is a list": (lambda d: d.append({"type": ["x"]}), "Item 11: unknown type"),
    "condition is text": (
        lambda d: _item(d, "home_price").update(condition="owns_home"),
        "Item 6 (购房金额（万元）): 'condition' must be",
    ),
    "condition field is a list": (
        lambda d: _item(d, "home_price").update(
            condition={"field": [1], "operator": "equals", "value": "yes"}
        ),
        "Item 6 (购房金额（万元）): 'condition' must be",
    ),
    "key is a number": (
        lambda d: _item(d, "mobile").update(key=5),
        "Item 4 (手机号码): 'key' must be text",
    ),
    "pattern is a number": (
        lambda d: _item(d, "full_name").update(pattern=5),
        "Item 2 (姓名): 'pattern' must be text",
    ),
    "pattern is catastrophic but valid RE2": (
        lambda d: _item(d, "full_name").update(pattern=r"(?=x)x"),
        "Item 2 (姓名): This pattern cannot be used",
    ),
    "choices are numbers": (
        lambda d: _item(d, "education")["fields"][1].update(choices=[1, 2]),
        "Item 8 (学习经历) › 学位: 'choices' must be a list of texts",
    ),
    "choices is a number": (
        lambda d: _item(d, "education")["fields"][1].update(choices=7),
        "'choices' must be a list of texts",
    ),
    "group fields is text": (
        lambda d: _item(d, "education").update(fields="school,degree"),
        "Item 8 (学习经历): 'fields' must be a list of items",
    ),
    "group field is a number": (
        lambda d: _item(d, "education")["fields"].append(3),
        "Item 8 (学习经历) › 3: this type is not allowed in a group",
    ),
    "min_rows is text": (
        lambda d: _item(d, "education").update(min_rows="abc"),
        "Item 8 (学习经历): 'min_rows' must be a whole number",
    ),
    "max_length is a list": (
        lambda d: _item(d, "full_name").update(max_length=[1]),
        "'max_length' must be a whole number",
    ),
    "required is text": (
        lambda d: _item(d, "full_name").update(required="yes"),
        "'required' must be true or false",
    ),
    "min_value is not a number": (
        lambda d: _item(d, "home_price").update(min_value="abc"),
        "'min_value' must be a finite number",
    ),
    "min_value is NaN": (
        lambda d: _item(d, "home_price").update(min_value="NaN"),
        "'min_value' must be a finite number",
    ),
    "id_kinds is text": (
        lambda d: _item(d, "id_number").update(id_kinds="resident"),
        "'id_kinds' must be a list of texts",
    ),
    "file_types are numbers": (
        lambda d: _item(d, "degree_scan").update(file_types=[1]),
        "'file_types' must be a list of texts",
    ),
    "max_count is text": (
        lambda d: _item(d, "degree_scan").update(max_count="2"),
        "'max_count' must be a whole number",
    ),
    "label has a NUL": (
        lambda d: _item(d, "mobile").update(label="手机\x00"),
        "'label' contains a NUL character",
    ),
    "a step title is a dict": (
        lambda d: d[0].update(title={"a": 1}),
        "Item 1 (step): 'title' must be text",
    ),
    "a date bound is not a date": (
        lambda d: d.append(
            {
                "type": "date",
                "key": "born",
                "label": "出生日期",
                "min_date": "2020-13-45",
            }
        ),
        "Item 11 (出生日期): 'min_date' must be a date",
    ),
}


@pytest.fixture
def sample_form():
    return make_form()


@pytest.mark.parametrize("case", BAD_DEFINITIONS, ids=list(BAD_DEFINITIONS))
def test_import_form_names_the_place_of_a_wrong_type(sample_form, tmp_path, case):
    change, expected = BAD_DEFINITIONS[case]
    data = export_form(sample_form)
    change(data["definition"])
    pages = ApplicationFormPage.objects.count()
    message = refused(tmp_path, data)
    assert expected in message
    assert ApplicationFormPage.objects.count() == pages
    assert sample_form.versions.count() == 1


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda data: data.update(title="表单\x00"), "'title' contains a NUL"),
        (lambda data: data.update(parent=[1]), "'parent' must be a page's URL"),
        (lambda data: data.update(parent="²"), "The parent page was not found"),
        (lambda data: data.update(parent="/home/\x00/"), "'parent' contains a NUL"),
        (lambda data: data.update(parent=10**30), "The parent page was not found"),
        (lambda data: data.update(definition={"a": 1}), "'definition' must be a list"),
    ],
)
def test_import_form_refuses_a_bad_page_or_parent(
    sample_form, tmp_path, change, expected
):
    data = export_form(sample_form)
    data["slug"] = "elsewhere"
    change(data)
    pages = ApplicationFormPage.objects.count()
    assert expected in refused(tmp_path, data)
    assert ApplicationFormPage.objects.count() == pages


def test_import_form_refuses_deep_nesting(tmp_path):
    assert "nested too deeply" in refused(tmp_path, "[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("parent", ["²", "abc", "9" * 40, "/nowhere/\x00"])
def test_a_bad_parent_option_is_a_command_error(sample_form, tmp_path, parent):
    with translation.override("en"), pytest.raises(CommandError, match="parent"):
        run("export_form", sample_form.slug, parent=parent)
    data = export_form(sample_form)
    data["slug"] = "elsewhere"
    assert "parent" in refused(tmp_path, data, parent=parent)
