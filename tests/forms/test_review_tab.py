"""The Review tab of a form page: a new form starts from the city's usual
steps; publishing needs steps or an explicit "no review" (a clear message,
nothing entered lost, drafts save either way); and the "as an applicant"
preview shows every step with its conditions and writes nothing."""

import json

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from forms.casework.roles import APPROVERS, REVIEWERS, WINDOW_CLERKS
from forms.casework.timelimits import DEFAULT_WORKFLOW
from forms.models import Application, ApplicationFormPage, ReviewStep
from tests.cms.hall_admin import client_for, make_superuser
from tests.factories import make_guide
from tests.forms.test_build_in_admin import (
    add_url,
    form_page_data,
    several_blocks,
    with_multiple_choices,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide():
    return make_guide(statutory_limit_days=20)


@pytest.fixture
def client():
    return client_for(make_superuser())


def post_data(review_steps, **changes):
    data = with_multiple_choices(form_page_data(several_blocks()))
    for key in [k for k in data if k.startswith("review_steps-")]:
        del data[key]
    data.update(nested_form_data({"review_steps": inline_formset(review_steps)}))
    data.update(changes)
    return data


def test_a_new_form_starts_from_the_citys_usual_steps(guide, client):
    response = client.get(add_url(guide) + "?blank=1")
    assert response.status_code == 200
    formset = response.context["form"].formsets["review_steps"]
    offered = [form.initial for form in formset.forms]
    assert [step["kind"] for step in offered] == [s["kind"] for s in DEFAULT_WORKFLOW]
    assert [step["time_limit_days"] for step in offered] == [
        s["days"] for s in DEFAULT_WORKFLOW
    ]
    groups = dict(Group.objects.values_list("pk", "name"))
    assert [groups.get(step["handler_group"]) for step in offered] == [
        WINDOW_CLERKS,
        REVIEWERS,
        APPROVERS,
    ]


def test_the_offered_steps_are_saved_as_posted(guide, client):
    steps = [
        {"kind": "accept", "name": "", "time_limit_days": "3", "ORDER": "1"},
        {"kind": "review", "name": "", "time_limit_days": "10", "ORDER": "2"},
    ]
    response = client.post(add_url(guide), post_data(steps))
    assert response.status_code == 302
    page = ApplicationFormPage.objects.get(slug="housing-subsidy")
    assert page.live
    assert [s.time_limit_days for s in page.review_steps.all()] == [3, 10]


def test_publishing_without_steps_is_refused_in_chinese_and_keeps_everything(
    guide, client
):
    with translation.override("zh-hans"):
        response = client.post(add_url(guide), post_data([]))
    assert response.status_code == 200
    assert not ApplicationFormPage.objects.filter(slug="housing-subsidy").exists()
    errors = response.context["form"].non_field_errors()
    assert "审核步骤" in errors[0] and "无需审核" in errors[0]
    assert response.context["form"].errors["review_none"]
    html = response.content.decode()
    # What was typed is still in the editor.
    for typed in ("人才住房补贴申请", "housing-subsidy", "ZFBT"):
        assert typed in html
    # The blocks come back in the editor's data (JSON, escaped or not).
    for typed in ("购房合同", "家庭成员"):
        assert typed in html or json.dumps(typed)[1:-1] in html


def test_a_draft_saves_without_steps(guide, client):
    data = post_data([])
    del data["action-publish"]
    response = client.post(add_url(guide), data)
    assert response.status_code == 302
    page = ApplicationFormPage.objects.get(slug="housing-subsidy")
    assert not page.live


def test_no_review_publishes_and_makes_applications_complete_at_once(guide, client):
    response = client.post(add_url(guide), post_data([], review_none="on"))
    assert response.status_code == 302
    page = ApplicationFormPage.objects.get(slug="housing-subsidy")
    assert page.live and page.review_none
    assert not ReviewStep.objects.filter(form=page).exists()


def test_no_review_and_steps_together_are_refused(guide, client):
    steps = [{"kind": "accept", "name": "", "time_limit_days": "3", "ORDER": "1"}]
    response = client.post(add_url(guide), post_data(steps, review_none="on"))
    assert response.status_code == 200
    assert not ApplicationFormPage.objects.filter(slug="housing-subsidy").exists()


def test_steps_longer_than_the_statutory_limit_are_refused(guide, client):
    steps = [
        {"kind": "accept", "name": "", "time_limit_days": "5", "ORDER": "1"},
        {"kind": "review", "name": "", "time_limit_days": "16", "ORDER": "2"},
        {"kind": "publicity", "name": "", "time_limit_days": "5", "ORDER": "3"},
    ]
    response = client.post(add_url(guide), post_data(steps))
    assert response.status_code == 200
    assert "21" in str(response.context["form"].non_field_errors())
    ok = steps[:1] + [{**steps[1], "time_limit_days": "15"}] + steps[2:]
    assert client.post(add_url(guide), post_data(ok)).status_code == 302


def preview(client, url, data, mode):
    posted = client.post(url, data)
    assert posted.json()["is_valid"], posted.content
    return client.get(url, {"mode": mode})


def test_the_applicant_preview_walks_every_step_and_writes_nothing(guide, client):
    url = add_url(guide) + "preview/"
    data = post_data([])
    del data["action-publish"]  # the preview posts the editor without a button
    before = (Application.objects.count(), ApplicationFormPage.objects.count())
    response = preview(client, url, data, "applicant")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-preview-step=") == 2  # both steps, at once
    assert 'name="price"' in html and 'name="contract"' in html
    # The condition travels with its field for the browser to apply.
    price = html.split('data-entry="price"', 1)[1].split(">", 1)[0]
    assert "owns_home" in price and "equals" in price
    # A page that cannot send anything anywhere.
    assert "csrfmiddlewaretoken" not in html.split("data-form-preview", 1)[1]
    assert (
        'type="submit"'
        not in html.split("data-form-preview", 1)[1].split("data-preview-end", 1)[1]
    )
    assert (Application.objects.count(), ApplicationFormPage.objects.count()) == before
    # An unsaved form has no landing page yet: its default preview is the same.
    assert "data-form-preview" in preview(client, url, data, "").content.decode()


def test_the_default_preview_of_a_saved_form_is_its_page(guide, client):
    assert client.post(add_url(guide), post_data([])).status_code == 200
    data = post_data([])
    del data["action-publish"]
    assert client.post(add_url(guide), data).status_code == 302
    page = ApplicationFormPage.objects.get(slug="housing-subsidy")
    url = f"/admin/pages/{page.pk}/edit/preview/"
    assert "data-form-preview" not in preview(client, url, data, "").content.decode()
    assert (
        "data-form-preview" in preview(client, url, data, "applicant").content.decode()
    )
