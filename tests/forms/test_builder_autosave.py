"""Autosave never loses blocks: the page editor's own POSTs as Wagtail 8 sends
them (the background autosave asks for JSON, "Save draft" for HTML, the live
preview posts to its own view), on a form being built."""

import html
import json
import re

import pytest
from django.urls import reverse

from forms.models import ApplicationFormPage
from tests.cms.hall_admin import client_for, make_superuser
from tests.factories import make_guide
from tests.forms.test_build_in_admin import (
    NO_CONDITION,
    add_url,
    field,
    form_page_data,
    several_blocks,
    with_multiple_choices,
)

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}
WIDGET = re.compile(
    r'id="form_fields" data-block [^>]*data-w-block-arguments-value="([^"]*)"'
)


@pytest.fixture
def built():
    """A published form and a builder signed in to its editor."""
    client = client_for(make_superuser())
    response = client.post(
        add_url(make_guide()), with_multiple_choices(form_page_data(several_blocks()))
    )
    assert response.status_code == 302
    page = ApplicationFormPage.objects.get()
    return client, page


def latest_revision(page):
    """The page's newest revision, read again (the instance caches its own)."""
    return ApplicationFormPage.objects.get(pk=page.pk).get_latest_revision()


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def edit_data(page, blocks):
    data = form_page_data(blocks)
    # Multiple choices post one value per choice.
    for index, (kind, _value) in enumerate(blocks):
        if kind == "personal_id":
            data[f"form_fields-{index}-value-id_kinds"] = ["resident", "passport"]
        if kind == "file":
            data[f"form_fields-{index}-value-file_types"] = ["pdf", "jpg"]
    data["review_steps-1-departments"] = []
    del data["action-publish"]
    data["slug"] = page.slug
    # What the editor holds since it loaded the page (Wagtail's conflict check).
    revision = latest_revision(page)
    data["loaded_revision_id"] = str(revision.pk)
    data["loaded_revision_created_at"] = revision.created_at.isoformat()
    return data


def more_blocks():
    """The form with two blocks added: a new field without a key, and one whose
    label is not typed yet (a draft may wait for it)."""
    blocks = several_blocks()
    new = field(
        "工作单位", "", max_length="100", prefill="", pattern="", pattern_message=""
    )
    unfinished = field(
        "", "", max_length="100", prefill="", pattern="", pattern_message=""
    )
    return [*blocks[:5], ("short_text", new), ("short_text", unfinished), *blocks[5:]]


def editor_blocks(response):
    """The blocks and errors the editor draws (the StreamField widget's arguments)."""
    found = WIDGET.search(response.content.decode())
    assert found, "the form's StreamField is not on the page"
    state, errors = json.loads(html.unescape(found.group(1)))
    return state, errors


def labels_of(state):
    return [
        child["value"].get("label", child["value"].get("title")) or ""
        for child in state
    ]


def test_autosave_keeps_every_block_including_unfinished_ones(built):
    client, page = built
    blocks = more_blocks()
    response = client.post(edit_url(page), edit_data(page, blocks), **AUTOSAVE)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["success"] is True
    # The key the server made for the new field is sent back to the editor.
    assert answer["field_updates"]["form_fields-5-value-key"] == "gongzuodanwei"

    draft = latest_revision(page).as_object()
    assert len(draft.form_fields) == len(blocks)
    assert labels_of(json.loads(json.dumps(draft.form_fields.get_prep_value()))) == [
        value.get("label", value.get("title")) for _kind, value in blocks
    ]
    # The editor reopens on the draft with every block.
    state, errors = editor_blocks(client.get(edit_url(page)))
    assert len(state) == len(blocks) and errors is None
    assert state[5]["value"]["key"] == "gongzuodanwei"
    # The live page is still the published version.
    page.refresh_from_db()
    assert len(page.specific.form_fields) == len(several_blocks())


def test_after_an_autosave_error_the_editor_shows_everything_entered(built):
    client, page = built
    before = latest_revision(page).pk
    blocks = more_blocks()
    # A condition on a field below it: the autosave is refused, nothing written.
    blocks[4][1]["condition"] = {
        "field": "family",
        "operator": "not_empty",
        "value": "",
    }
    data = edit_data(page, blocks)
    data["form_fields-6-value-help_text"] = "尚未写完的说明"
    response = client.post(edit_url(page), data, **AUTOSAVE)
    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"
    assert latest_revision(page).pk == before

    # "Save draft" then shows every block, every value, and the reason on the
    # block at fault.
    response = client.post(edit_url(page), data)
    assert response.status_code == 200
    state, errors = editor_blocks(response)
    assert labels_of(state) == [
        value.get("label", value.get("title")) for _k, value in blocks
    ]
    assert state[6]["value"]["help_text"] == "尚未写完的说明"
    assert state[4]["value"]["condition"]["field"] == "family"
    assert state[2]["value"]["id_kinds"] == ["resident", "passport"]
    assert list(errors["blockErrors"]) == ["4"]
    condition = errors["blockErrors"]["4"]["blockErrors"]["condition"]
    assert condition["blockErrors"]["field"]["messages"]
    assert latest_revision(page).pk == before


def test_publishing_an_unfinished_block_keeps_it_on_screen_with_its_reason(built):
    client, page = built
    blocks = more_blocks()
    data = edit_data(page, blocks)
    data["action-publish"] = "publish"
    response = client.post(edit_url(page), data)
    assert response.status_code == 200
    state, errors = editor_blocks(response)
    assert len(state) == len(blocks)
    assert list(errors["blockErrors"]) == ["6"]
    assert "label" in errors["blockErrors"]["6"]["blockErrors"]


def test_a_draft_without_fields_yet_can_be_autosaved(built):
    client, page = built
    blocks = [
        ("step", {"title": "基本信息", "description": "", "condition": NO_CONDITION})
    ]
    response = client.post(edit_url(page), edit_data(page, blocks), **AUTOSAVE)
    assert response.status_code == 200, response.content
    # Publishing still needs a field.
    data = edit_data(page, blocks)
    data["action-publish"] = "publish"
    response = client.post(edit_url(page), data)
    assert response.status_code == 200
    _state, errors = editor_blocks(response)
    assert errors["messages"]


def test_the_live_preview_never_changes_what_the_editor_holds(built):
    client, page = built
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    blocks = more_blocks()
    blocks[4][1]["condition"] = {
        "field": "family",
        "operator": "not_empty",
        "value": "",
    }
    answer = client.post(preview, edit_data(page, blocks))
    assert answer.status_code == 200
    assert answer.json()["is_valid"] is False
    state, _errors = editor_blocks(client.get(edit_url(page)))
    assert len(state) == len(several_blocks())

    good = edit_data(page, more_blocks())
    good["title"] = "预览中的住房补贴申请"
    answer = client.post(preview, good)
    assert answer.json()["is_valid"] is True
    shown = client.get(preview)
    assert shown.status_code == 200
    assert "预览中的住房补贴申请" in shown.content.decode()
    # Previewing wrote nothing.
    assert len(latest_revision(page).as_object().form_fields) == len(several_blocks())
