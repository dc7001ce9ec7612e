"""The public progress lookup through the API: the page's limits and its one
neutral answer."""

import pytest
from django.test import Client

from tests.api.helpers import BASE, App
from tests.factories import make_form, make_user
from tests.forms.flow import VALID_ID

pytestmark = pytest.mark.django_db


def look(client, receipt, four, address="10.0.0.1"):
    return client.post(
        f"{BASE}/progress",
        {"receipt_number": receipt, "id_last_four": four},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


@pytest.fixture
def receipt(client):
    app = App(client, make_user())
    draft = app.fill(make_form())
    return app.submit(draft).json()["receipt_number"]


def test_the_right_digits_show_the_progress_and_no_personal_data(receipt):
    response = look(Client(), receipt.lower(), VALID_ID[-4:].lower())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["receipt_number"] == receipt
    assert body["status"] == "submitted"
    assert "张三" not in response.content.decode()


def test_wrong_digits_and_unknown_receipts_get_the_same_answer(receipt):
    wrong = look(Client(), receipt, "0000")
    unknown = look(Client(), "RC-2099-999999", "0000")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "no_match"


def test_five_wrong_tries_lock_the_receipt_and_ten_lookups_the_address(
    receipt, settings
):
    for number in range(5):
        assert look(Client(), receipt, "0000", f"10.0.1.{number}").status_code == 404
    locked = look(Client(), receipt, VALID_ID[-4:], "10.0.2.1")
    assert locked.status_code == 429
    assert locked.json()["code"] == "rate_limited"
    for _ in range(settings.PROGRESS_LOOKUP_IP_LIMIT):
        look(Client(), "RC-1", "1234", "10.0.3.1")
    assert look(Client(), "RC-1", "1234", "10.0.3.1").status_code == 429


def test_bad_input_is_422(receipt):
    response = look(Client(), receipt, "12")
    assert response.status_code == 422
    assert "id_last_four" in response.json()["errors"]
