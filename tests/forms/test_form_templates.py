"""Starting a form from a built-in template or a copy of another form: a new
unpublished page with the fields, steps, uploads and review steps, through the
form file format and its checks; offered when a form page is created."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from forms.builder import form_templates
from forms.builder.form_files import FormFileError, export_form, import_form
from forms.models import ApplicationFormPage, ReviewStep
from tests.cms.hall_admin import (
    assert_refused,
    client_for,
    make_staff,
    make_superuser,
)
from tests.factories import make_department, make_guide
from tests.forms.casework_helpers import form_with_steps
from tests.forms.test_admin import grant
from tests.forms.test_build_in_admin import add_url

pytestmark = pytest.mark.django_db


def start_url(parent) -> str:
    return reverse("applications_admin_start:start", args=[parent.pk])


def test_the_three_built_in_templates_make_valid_drafts():
    templates = form_templates.builtin_templates()
    assert set(templates) == {"rencai-rending", "butie-shenling", "jiating-fuwu"}
    guide = make_guide()
    for name, data in templates.items():
        page = form_templates.from_template(name, guide)
        assert not page.live and page.has_unpublished_changes, name
        assert page.get_parent().pk == guide.pk
        assert page.definition == data["definition"] or [
            item["key"] for item in page.definition if item.get("key")
        ] == [item["key"] for item in data["definition"] if item.get("key")]
        kinds = [step.kind for step in page.review_steps.all()]
        assert kinds == [step["kind"] for step in data["review_steps"]], name
        assert page.review_steps.first().handler_group.name == "受理"
    # The same template twice under one guide gets a free slug.
    slugs = list(
        ApplicationFormPage.objects.child_of(guide).values_list("slug", flat=True)
    )
    assert len(slugs) == len(set(slugs)) == 3


def test_copying_a_form_copies_fields_settings_and_review_steps():
    housing = make_department()
    clerks = Group.objects.get(name="受理")
    source = form_with_steps(
        ("accept", 2, {"group": clerks}),
        ("department", 6, {"departments": [housing]}),
        ("publicity", 5, {}),
        receipt_prefix="ZFBT",
        confirmation_text="请留意短信。",
    )
    target = make_guide()
    copy = form_templates.copy_form(source, target)
    assert copy.pk != source.pk and not copy.live
    assert copy.title.startswith(source.title)
    assert copy.definition == source.definition
    assert (copy.receipt_prefix, copy.confirmation_text) == ("ZFBT", "请留意短信。")
    snapshot = [
        (
            s.kind,
            s.time_limit_days,
            s.handler_group_id,
            [d.pk for d in s.departments.all()],
        )
        for s in copy.review_steps.all()
    ]
    assert snapshot == [
        ("accept", 2, clerks.pk, []),
        ("department", 6, None, [housing.pk]),
        ("publicity", 5, None, []),
    ]
    # The source is untouched.
    assert ReviewStep.objects.filter(form=source).count() == 3
    assert ApplicationFormPage.objects.get(pk=source.pk).live


def test_a_form_file_with_an_unknown_group_or_department_is_refused():
    source = form_with_steps(("accept", 2, {}))
    data = export_form(source)
    data["slug"] = "other"
    data["review_steps"] = [
        {"kind": "accept", "name": "", "days": 2, "group": "无此组", "departments": []},
        {
            "kind": "review",
            "name": "",
            "days": "5",
            "group": None,
            "departments": ["无此局"],
        },
        {"kind": "nonsense", "name": "", "days": 1},
    ]
    with translation.override("en"), pytest.raises(FormFileError) as caught:
        import_form(data)
    reasons = " ".join(caught.value.errors)
    assert "Review step 2" in reasons and "Review step 3" in reasons
    assert not ApplicationFormPage.objects.filter(slug="other").exists()
    data["review_steps"] = data["review_steps"][:2]
    data["review_steps"][1]["days"] = 5
    with translation.override("en"), pytest.raises(FormFileError) as caught:
        import_form(data)
    reasons = " ".join(caught.value.errors)
    assert "无此组" in reasons and "无此局" in reasons


def test_importing_review_steps_replaces_them():
    source = form_with_steps(("accept", 2, {}), ("approve", 3, {}))
    data = export_form(source)
    assert [s["days"] for s in data["review_steps"]] == [2, 3]
    data["review_steps"] = [
        {
            "kind": "accept",
            "name": "受理",
            "days": 1,
            "group": "受理",
            "departments": [],
        }
    ]
    page, created = import_form(data)
    assert not created
    assert [(s.kind, s.time_limit_days) for s in page.review_steps.all()] == [
        ("accept", 1)
    ]


def test_creating_a_form_page_first_offers_templates_and_copies():
    guide = make_guide()
    existing = form_with_steps(("accept", 2, {}))
    client = client_for(make_superuser())
    response = client.get(add_url(guide))
    assert response.status_code == 302 and response["Location"] == start_url(guide)
    chooser = client.get(start_url(guide))
    html = chooser.content.decode()
    for name in ("rencai-rending", "butie-shenling", "jiating-fuwu"):
        assert f'value="template:{name}"' in html
    assert f'value="copy:{existing.pk}"' in html
    assert "?blank=1" in html

    response = client.post(start_url(guide), {"start": "template:butie-shenling"})
    page = ApplicationFormPage.objects.child_of(guide).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live
    assert client.get(response["Location"]).status_code == 200

    response = client.post(
        start_url(guide), {"start": "copy", "copy_source": f"copy:{existing.pk}"}
    )
    assert ApplicationFormPage.objects.child_of(guide).count() == 2


def test_only_form_builders_reach_the_choice():
    department = make_department()
    guide = make_guide(parent=department.module_page)
    editor = make_staff(department)
    client = client_for(editor)
    assert_refused(client.get(start_url(guide)))
    assert_refused(client.post(start_url(guide), {"start": "template:jiating-fuwu"}))
    builder = grant(make_staff(department), "build_forms")
    client = client_for(builder)
    assert client.get(start_url(guide)).status_code == 200
    # Not a place for a form: refused, nothing created.
    assert_refused(client.get(start_url(department.module_page.get_parent())))
    assert not ApplicationFormPage.objects.exists()


def test_review_steps_with_a_nul_character_are_refused_before_any_lookup():
    data = export_form(form_with_steps(("accept", 2, {})))
    data["slug"] = "nul"
    data["review_steps"] = [
        {"kind": "accept", "name": "", "days": 1, "group": "受\x00理"},
        {"kind": "review", "name": "", "days": 1, "departments": ["局\x00"]},
    ]
    with translation.override("en"), pytest.raises(FormFileError) as caught:
        import_form(data)
    assert len(caught.value.errors) == 2
    assert not ApplicationFormPage.objects.filter(slug="nul").exists()
