"""The whole applicant's path through the API, against the same engine."""

import pytest

from forms.models import Application, ApplicationStatus
from tests.api.helpers import STEP_ONE, App
from tests.factories import make_form, make_user

pytestmark = pytest.mark.django_db


def test_fill_upload_submit_and_follow(client):
    form = make_form()
    app = App(client, make_user(real_name="张三"))
    forms = app.get("/forms").json()
    assert form.pk in [f["id"] for f in forms]
    definition = app.get(f"/forms/{form.pk}").json()
    assert [s["number"] for s in definition["steps"]] == [1, 2]
    draft = app.fill(form)
    check = app.get(f"/applications/{draft}/check").json()
    assert check["valid"] is True, check
    response = app.submit(draft, key="k1")
    assert response.status_code == 200, response.content
    receipt = response.json()["receipt_number"]
    assert receipt
    again = app.submit(draft, key="k1")
    assert again.json()["receipt_number"] == receipt
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 1
    mine = app.get("/applications").json()
    assert mine[0]["receipt_number"] == receipt
    assert mine[0]["holder"]
    detail = app.get(f"/applications/{draft}").json()
    assert detail["status"] == "submitted"


def test_invalid_step_gives_field_errors_and_keeps_inputs(client):
    form = make_form()
    app = App(client, make_user())
    draft = app.start(form)
    response = app.put(
        f"/applications/{draft}/steps/1", {"answers": {**STEP_ONE, "mobile": "12"}}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid_answers"
    assert list(body["errors"]) == ["mobile"]
    stored = Application.objects.get(uuid=draft).get_draft_data()
    assert stored["full_name"] == ["张三"]
