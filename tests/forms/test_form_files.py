"""Forms as files: export_form / import_form, and the JSON they exchange."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from forms.builder.form_files import FormFileError, export_form, import_form
from forms.models import ApplicationFormPage
from tests.factories import home_page, make_guide
from tests.forms.admin_helpers import (
    field,
    make_form,
    sample_definition,
    submit_application,
)

pytestmark = pytest.mark.django_db


def run(command, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def write(tmp_path, data, name="form.json"):
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def form():
    return make_form(
        intro="<p>请如实填写。</p>",
        confirmation_text="我们将在5个工作日内受理。",
        receipt_prefix="QZRD",
        applicant_kinds="employer",
    )


def test_export_form_writes_the_documented_json(form):
    text = run("export_form", form.slug)
    data = json.loads(text)
    assert "请如实填写" in text  # UTF-8, not \\u escapes
    assert text.startswith('{\n  "format"')
    assert data == {
        "format": "talent-harbor-form",
        "version": 1,
        "slug": form.slug,
        "title": form.title,
        "intro": form.intro,
        "applicant_kinds": "employer",
        "is_open": True,
        "receipt_prefix": "QZRD",
        "confirmation_text": "我们将在5个工作日内受理。",
        "parent": form.get_parent().url_path,
        "review_none": False,
        "review_steps": [],
        "definition": sample_definition(),
    }


def test_round_trip_into_a_fresh_parent(form, tmp_path):
    path = write(tmp_path, run("export_form", form.slug))
    other_guide = make_guide()
    with translation.override("en"):
        out = run("import_form", str(path), parent=other_guide.url_path)
    assert out.startswith("Created") and "version 1" in out
    copy = ApplicationFormPage.objects.child_of(other_guide).get(slug=form.slug)
    assert copy.pk != form.pk and copy.live
    assert copy.definition == form.definition
    assert copy.latest_version().definition == form.latest_version().definition
    assert (copy.title, copy.intro, copy.applicant_kinds, copy.receipt_prefix) == (
        form.title,
        form.intro,
        "employer",
        "QZRD",
    )


def test_importing_a_changed_definition_makes_version_2(form, tmp_path):
    application = submit_application(form)
    answers_before = application.answers
    data = export_form(form)
    data["definition"].insert(
        2, field("short_text", "former_name", "曾用名", required=False, max_length=50)
    )
    with translation.override("en"):
        out = run("import_form", str(write(tmp_path, data)))
    assert out.startswith("Updated") and "version 2" in out
    page = ApplicationFormPage.objects.get(pk=form.pk)
    assert [v.number for v in page.versions.order_by("number")] == [1, 2]
    assert "former_name" in [item.get("key") for item in page.definition]
    application.refresh_from_db()
    assert application.version.number == 1
    assert "former_name" not in [i.get("key") for i in application.version.definition]
    assert application.answers == answers_before


def test_importing_the_same_file_again_keeps_the_version(form):
    page, created = import_form(export_form(form))
    assert not created and page.pk == form.pk
    assert page.versions.count() == 1


def refused(tmp_path, data) -> str:
    with translation.override("en"), pytest.raises(CommandError) as caught:
        run("import_form", str(write(tmp_path, data)))
    return str(caught.value)


def test_bad_json_is_refused(tmp_path):
    message = refused(tmp_path, '{"format": "talent-harbor-form", ')
    assert "not valid JSON" in message


def test_a_file_of_another_kind_is_refused(form, tmp_path):
    data = export_form(form)
    data["format"] = "wagtail-form"
    del data["title"]
    message = refused(tmp_path, data)
    assert "not a Talent Harbor form file" in message
    assert "'title' is missing" in message


def test_invalid_definitions_are_refused_with_every_reason(form, tmp_path):
    data = export_form(form)
    count = ApplicationFormPage.objects.count()
    definition = data["definition"]
    definition.append({"type": "signature", "key": "sign", "label": "签名"})
    # A condition on a field that comes later.
    definition[1]["condition"] = {
        "field": "degree",
        "operator": "equals",
        "value": "博士",
    }
    definition[3]["key"] = "full_name"  # duplicate key
    message = refused(tmp_path, data)
    assert "unknown type" in message
    assert "refers to 'degree', which is not an earlier field" in message
    assert "the key 'full_name' is used twice" in message
    assert ApplicationFormPage.objects.count() == count
    assert ApplicationFormPage.objects.get(pk=form.pk).versions.count() == 1


def test_block_rules_are_checked_too(form, tmp_path):
    """What only the StreamField blocks know (limits of a field's settings)."""
    data = export_form(form)
    data["definition"][1]["max_length"] = 9999
    message = refused(tmp_path, data)
    assert "Item 2 (姓名) › max_length" in message
    assert ApplicationFormPage.objects.get(pk=form.pk).versions.count() == 1


def test_a_form_cannot_be_placed_under_any_page(form, tmp_path):
    path = write(tmp_path, export_form(form))
    with translation.override("en"), pytest.raises(CommandError) as caught:
        run("import_form", str(path), parent=str(home_page().pk))
    assert "cannot be placed under" in str(caught.value)


def test_an_imported_intro_is_cleaned_like_typed_rich_text(form):
    data = export_form(form)
    data["intro"] = '<p onclick="x()">说明<script>alert(1)</script></p>'
    page, _created = import_form(data, parent=make_guide())
    assert "<script" not in page.intro and "onclick" not in page.intro
    assert "说明" in page.intro


def test_import_form_raises_a_form_file_error_with_reasons():
    with translation.override("en"), pytest.raises(FormFileError) as caught:
        import_form({"format": "talent-harbor-form", "version": 1})
    assert "The key 'slug' is missing." in caught.value.errors
