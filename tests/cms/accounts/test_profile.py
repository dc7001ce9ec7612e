""" "My account" shows who is signed in, with the mobile number masked."""

import pytest

from cms.accounts.models import User
from tests.factories import make_employer, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/profile/"


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_profile_shows_name_masked_mobile_and_employer(client):
    employer = make_employer(name="泉州港湾科技有限公司")
    user = make_user(
        real_name="林晓明",
        mobile="13812345678",
        kind=User.Kind.EMPLOYER,
        employer=employer,
    )
    client.force_login(user)
    response = client.get(URL)
    html = response.content.decode()
    assert "林晓明" in html
    assert "138****5678" in html
    assert "13812345678" not in html
    assert "泉州港湾科技有限公司" in html


def test_profile_is_never_cached(client, talent):
    client.force_login(talent)
    response = client.get(URL)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
