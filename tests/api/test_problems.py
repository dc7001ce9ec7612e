"""Bad input is a 4xx problem+json with a stable code, never a 500, and
nothing is written."""

import json

import pytest
from django.test import override_settings

from forms.models import Application
from tests.api.helpers import BASE, App
from tests.factories import SAMPLE_DEFINITION, make_form, make_user
from tests.forms.flow import pdf_upload

pytestmark = pytest.mark.django_db


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"urn:talent-harbor:problem:{code}"
    assert body["title"]
    return body


@pytest.fixture
def app(client):
    return App(client, make_user())


def test_malformed_json_is_400(app):
    response = app.client.post(
        f"{BASE}/applications",
        "{not json",
        content_type="application/json",
        **app.headers,
    )
    problem(response, 400, "bad_request")
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "body",
    [[], "text", {"form_id": "x"}, {"form_id": None}, {"form_id": 10**30}, {}],
)
def test_wrong_shapes_are_422(app, body):
    response = app.client.post(
        f"{BASE}/applications",
        json.dumps(body),
        content_type="application/json",
        **app.headers,
    )
    assert response.status_code in (404, 422), response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not Application.objects.exists()


def test_validation_errors_name_their_place(app):
    body = problem(app.post("/applications", {"form_id": "x"}), 422, "invalid_request")
    assert body["errors"][0]["location"][-1] == "form_id"


def test_a_huge_body_is_413_before_it_is_read(app, settings):
    settings.APPLICATION_MAX_REQUEST_SIZE = 1000
    response = app.client.post(
        f"{BASE}/applications",
        json.dumps({"form_id": 1, "pad": "x" * 2000}),
        content_type="application/json",
        **app.headers,
    )
    problem(response, 413, "too_large")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_body_over_djangos_memory_limit_is_413(app):
    response = app.client.post(
        f"{BASE}/applications",
        json.dumps({"form_id": 1, "pad": "x" * 500}),
        content_type="application/json",
        **app.headers,
    )
    problem(response, 413, "too_large")


def test_deeply_nested_answers_are_refused(app):
    form = make_form()
    draft = app.start(form)
    deep: dict = {"a": "b"}
    for _ in range(10):
        deep = {"x": deep}
    response = app.put(
        f"/applications/{draft}/steps/1", {"answers": {"full_name": deep}}
    )
    problem(response, 422, "invalid_request")


def test_a_file_of_the_wrong_type_gets_the_sites_message(app):
    form = make_form()
    draft = app.start(form)
    response = app.upload(
        f"/applications/{draft}/files/degree_scan",
        [pdf_upload("简历.pdf", b"MZ\x90\x00 not a pdf")],
    )
    body = problem(response, 422, "invalid_answers")
    [error] = body["errors"]["degree_scan"]
    assert "简历.pdf" in error["message"]
    assert not Application.objects.get(uuid=draft).files.exists()


def test_unknown_field_and_step_are_404(app):
    form = make_form()
    draft = app.start(form)
    problem(
        app.upload(f"/applications/{draft}/files/full_name", [pdf_upload()]),
        404,
        "not_found",
    )
    problem(
        app.put(f"/applications/{draft}/steps/9", {"answers": {}}), 404, "not_found"
    )


def test_a_hidden_step_is_409(app):
    definition = [dict(item) for item in SAMPLE_DEFINITION]
    definition[6] = {
        **definition[6],
        "condition": {"field": "owns_home", "operator": "equals", "value": "yes"},
    }
    form = make_form(definition=definition)
    draft = app.start(form)
    problem(
        app.put(f"/applications/{draft}/steps/2", {"answers": {}}), 409, "step_hidden"
    )


def test_submit_needs_an_idempotency_key_and_complete_answers(app):
    form = make_form()
    draft = app.start(form)
    body = problem(app.post(f"/applications/{draft}/submit"), 422, "invalid_request")
    assert "Idempotency-Key" in json.dumps(body["errors"])
    body = problem(app.submit(draft), 422, "incomplete")
    assert {e["step"] for e in body["errors"]} == {1, 2}
    assert Application.objects.get(uuid=draft).is_draft


def test_an_idempotency_key_is_for_one_application(app):
    form = make_form()
    first = app.fill(form)
    second = app.fill(form)
    assert app.submit(first, key="same").status_code == 200
    problem(app.submit(second, key="same"), 409, "idempotency_key_reused")
    assert Application.objects.get(uuid=second).is_draft


def test_a_retried_start_with_a_key_makes_one_draft(app):
    form = make_form()
    for _ in range(2):
        response = app.post(
            "/applications", {"form_id": form.pk}, HTTP_IDEMPOTENCY_KEY="start-1"
        )
        assert response.status_code == 201
    assert Application.objects.count() == 1


def test_messages_in_english_when_asked(app):
    response = app.client.get(f"{BASE}/applications/x", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 or response.status_code == 422
    response = app.client.get(
        f"{BASE}/forms/999", HTTP_ACCEPT_LANGUAGE="en", **app.headers
    )
    assert problem(response, 404, "not_found")["title"] == "Nothing was found here."
    response = app.client.get(
        f"{BASE}/forms/999", HTTP_ACCEPT_LANGUAGE="zh-hans", **app.headers
    )
    assert problem(response, 404, "not_found")["title"] != "Nothing was found here."


def test_unknown_path_and_wrong_method(app):
    response = app.client.patch(f"{BASE}/forms", **app.headers)
    assert response.status_code == 405


def test_an_unknown_path_and_a_wrong_method_are_problems(client):
    problem(client.get(BASE + "/no-such-endpoint"), 404, "not_found")
    problem(client.post(BASE + "/applications/x/y/z", {}), 404, "not_found")
    wrong = client.delete(BASE + "/forms")
    problem(wrong, 405, "method_not_allowed")
    assert "GET" in wrong["Allow"]
