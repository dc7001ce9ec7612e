"""The admin's side of application forms, through Wagtail's real views over HTTP.

Only form builders create or change forms (department editors keep their other
pages); staff with the view permission list forms, versions and submitted
applications, inspect one with masked answers, and find one by ID number without
the number ever entering an address.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from forms.models import AccessRecord, ApplicationFormPage
from tests.cms.hall_admin import (
    admin_url,
    assert_refused,
    client_for,
    make_staff,
    make_superuser,
)
from tests.factories import make_department, make_guide
from tests.forms.admin_helpers import (
    ID_A,
    ID_B,
    make_form,
    publish_definition,
    sample_definition,
    sample_inputs,
    start_draft,
    submit_application,
)

pytestmark = pytest.mark.django_db

INDEX = "applications_application_modeladmin_index"


def grant(user, *codenames):
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="applications", codename=codename
            )
        )
    # Permission caches live on the instance.
    return type(user).objects.get(pk=user.pk)


def form_post_data(title="人才住房补贴申请", slug="housing-apply") -> dict:
    """What the page editor posts for a small form: two fields."""
    condition = {"field": "", "operator": "equals", "value": ""}
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text("<p>申请说明</p>"),
            "applicant_kinds": "talent",
            "is_open": "on",
            "receipt_prefix": "",
            "confirmation_text": "",
            "form_fields": streamfield(
                [
                    (
                        "short_text",
                        {
                            "label": "姓名",
                            "key": "full_name",
                            "help_text": "",
                            "required": "on",
                            "condition": condition,
                            "pattern": "",
                            "pattern_message": "",
                            "max_length": "50",
                            "prefill": "real_name",
                        },
                    ),
                    (
                        "yes_no",
                        {
                            "label": "是否在泉工作",
                            "key": "works_here",
                            "help_text": "",
                            "required": "on",
                            "condition": condition,
                        },
                    ),
                ]
            ),
            "comments": inline_formset([]),
            "review_steps": inline_formset([]),
        }
    )


@pytest.fixture
def module():
    return make_department().module_page


@pytest.fixture
def guide(module):
    return make_guide(parent=module)


# --- building forms is a right of its own ---


def test_department_editor_cannot_create_a_form_page(module, guide):
    editor = make_staff(module.department)
    client = client_for(editor)
    url = admin_url("add", "applications", "applicationformpage", guide.pk)
    assert_refused(client.get(url))
    response = client.post(url, form_post_data())
    assert_refused(response)
    assert not ApplicationFormPage.objects.filter(slug="housing-apply").exists()


def test_department_editor_cannot_edit_copy_or_delete_a_form(module, guide):
    form = make_form(parent=guide)
    client = client_for(make_staff(module.department, moderator=True))
    for name in ("edit", "copy", "delete"):
        assert_refused(client.get(admin_url(name, form.pk)))
    # Wagtail runs the unpublish hook when the confirmation is posted.
    assert_refused(client.post(admin_url("unpublish", form.pk)))
    assert ApplicationFormPage.objects.get(pk=form.pk).live
    # Deleting the guide would delete the form under it.
    assert_refused(client.post(admin_url("delete", guide.pk)))
    assert Page.objects.filter(pk=form.pk).exists()


def test_department_editor_still_edits_their_other_pages(module, guide):
    client = client_for(make_staff(module.department))
    assert client.get(admin_url("edit", guide.pk)).status_code == 200
    assert client.get(admin_url("edit", module.pk)).status_code == 200


def test_form_builder_creates_a_form_through_the_page_editor(module, guide):
    builder = grant(make_staff(module.department), "build_forms")
    client = client_for(builder)
    url = admin_url("add", "applications", "applicationformpage", guide.pk)
    # The choice of template or copy comes first; a blank form is one link away.
    assert client.get(url).status_code == 302
    assert client.get(url + "?blank=1").status_code == 200
    response = client.post(url, form_post_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ApplicationFormPage.objects.get(slug="housing-apply")
    assert page.get_parent().pk == guide.pk
    assert client.get(admin_url("edit", page.pk)).status_code == 200


def test_superuser_edits_forms(guide):
    form = make_form(parent=guide)
    response = client_for(make_superuser()).get(admin_url("edit", form.pk))
    assert response.status_code == 200


# --- forms, versions ---


@pytest.fixture
def reviewer():
    staff = make_staff(make_department())
    return grant(staff, "view_application")


def test_forms_list_counts_applications_and_drafts(reviewer, guide):
    form = make_form(parent=guide, is_open=False)
    submit_application(form)
    submit_application(form)
    start_draft(form)
    response = client_for(reviewer).get(reverse("applications_admin:forms"))
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(f'data-form="{form.pk}"') :]
    row = row[: row.index("</tr>")]
    assert form.title in row and guide.title in row
    # The admin renders in the default language, whatever the test thread's.
    assert f'<td class="is-open">{translation.pgettext("form", "Closed")}</td>' in row
    assert '<td class="submitted">' in row and ">2</a>" in row
    assert '<td class="drafts">1</td>' in row
    assert ">v1</a>" in row


def test_forms_list_needs_a_permission(guide):
    staff = make_staff(make_department())
    assert_refused(client_for(staff).get(reverse("applications_admin:forms")))


def test_versions_list_and_definition_table(reviewer, guide):
    form = make_form(parent=guide)
    submit_application(form)
    changed = sample_definition()
    changed.insert(
        2, {**changed[1], "key": "former_name", "label": "曾用名", "required": False}
    )
    form = publish_definition(form, changed)
    submit_application(form)
    submit_application(form)
    client = client_for(reviewer)
    html = client.get(reverse("applications_admin:versions", args=[form.pk])).content
    html = html.decode()
    assert 'data-version="2"' in html and 'data-version="1"' in html
    v2 = html[html.index('data-version="2"') :]
    assert '<td class="count">2</td>' in v2[: v2.index("</tr>")]
    v1 = html[html.index('data-version="1"') :]
    assert '<td class="count">1</td>' in v1[: v1.index("</tr>")]
    detail = client.get(reverse("applications_admin:version", args=[form.pk, 2]))
    assert "曾用名" in detail.content.decode()
    assert "教育经历" in detail.content.decode() and "学校" in detail.content.decode()
    old = client.get(reverse("applications_admin:version", args=[form.pk, 1]))
    assert "曾用名" not in old.content.decode()


# --- applications list and inspect ---


def test_applications_list_shows_submitted_only_with_masked_names(reviewer, guide):
    form = make_form(parent=guide)
    submitted = submit_application(form, inputs=sample_inputs(name="欧阳小明"))
    start_draft(form, inputs=sample_inputs(name="王草稿"))
    response = client_for(reviewer).get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    assert submitted.receipt_number in html
    assert "欧**明" in html and "欧阳小明" not in html
    assert "王草" not in html


def test_applications_list_filters_by_form_and_searches_receipts(reviewer, guide):
    form, other = make_form(parent=guide), make_form(parent=guide)
    mine, theirs = submit_application(form), submit_application(other)
    client = client_for(reviewer)
    html = client.get(reverse(INDEX), {"form__page_ptr__exact": form.pk}).content
    assert mine.receipt_number in html.decode()
    assert theirs.receipt_number not in html.decode()
    html = client.get(reverse(INDEX), {"q": theirs.receipt_number}).content.decode()
    assert theirs.receipt_number in html and mine.receipt_number not in html


def test_applications_list_ignores_lookups_outside_its_filters(reviewer, guide):
    """modeladmin would apply ?applicant__password__startswith= as an oracle."""
    application = submit_application(make_form(parent=guide))
    response = client_for(reviewer).get(
        reverse(INDEX), {"applicant__password__startswith": "no-such-prefix"}
    )
    assert application.receipt_number in response.content.decode()


def test_staff_without_view_permission_cannot_list_or_inspect(guide):
    application = submit_application(make_form(parent=guide))
    client = client_for(make_staff(make_department()))
    assert client.get(reverse(INDEX)).status_code in (302, 403)
    inspect = reverse(
        "applications_application_modeladmin_inspect", args=[application.pk]
    )
    assert client.get(inspect).status_code in (302, 403, 404)


def test_no_create_edit_or_delete_in_the_admin(reviewer, guide):
    application = submit_application(make_form(parent=guide))
    client = client_for(grant(reviewer, "change_application", "delete_application"))
    for name, args in (
        ("create", []),
        ("edit", [application.pk]),
        ("delete", [application.pk]),
    ):
        url = reverse(f"applications_application_modeladmin_{name}", args=args)
        assert client.get(url).status_code in (302, 403)


def test_inspect_shows_masked_answers_files_and_version(reviewer, guide):
    form = make_form(parent=guide)
    application = submit_application(form, with_file=True)
    url = reverse("applications_application_modeladmin_inspect", args=[application.pk])
    # modeladmin's inspect page leads to the case view (forms/casework/admin_views.py).
    response = client_for(reviewer).get(url, follow=True)
    case = reverse("applications_cases:case", args=[application.uuid])
    assert response.redirect_chain[-1][0] == case
    assert response.status_code == 200
    html = response.content.decode()
    assert ID_A not in html and f"{ID_A[:4]}**********{ID_A[-4:]}" in html
    assert "13912345678" not in html and "139****5678" in html
    stored = application.files.get()
    assert reverse("applications:file", args=[stored.uuid]) in html
    assert reverse("applications_admin:version", args=[form.pk, 1]) in html
    assert "清华大学" in html


def test_find_by_id_uses_post_and_the_blind_index(reviewer, guide):
    form = make_form(parent=guide)
    match = submit_application(form, inputs=sample_inputs(id_number=ID_B))
    other = submit_application(form)
    client = client_for(reviewer)
    find = reverse("applications_admin:find_by_id")
    assert client.get(find, {"id_number": ID_B}).status_code == 405
    response = client.post(find, {"id_number": ID_B.lower()}, follow=True)
    final_url = response.redirect_chain[-1][0]
    assert ID_B not in final_url and "id_digest=" in final_url
    html = response.content.decode()
    assert match.receipt_number in html and other.receipt_number not in html
    lookup = AccessRecord.objects.get(kind="id_lookup", user=reviewer)
    assert lookup.detail == {"matches": 1, "found": [match.receipt_number]}
    assert lookup.object_label == match.receipt_number


def test_an_id_typed_in_the_search_box_is_not_searched_nor_kept(reviewer, guide):
    submit_application(make_form(parent=guide))
    response = client_for(reviewer).get(reverse(INDEX), {"q": ID_A})
    assert response.status_code == 302
    assert ID_A not in response["Location"]


def test_admin_menu_offers_forms_and_applications_to_reviewers_only(reviewer):
    forms_url, index_url = reverse("applications_admin:forms"), reverse(INDEX)
    html = client_for(reviewer).get(reverse("wagtailadmin_home")).content.decode()
    assert forms_url in html and index_url in html
    plain = client_for(make_staff(make_department()))
    html = plain.get(reverse("wagtailadmin_home")).content.decode()
    assert forms_url not in html and index_url not in html
