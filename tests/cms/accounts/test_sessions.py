"""Session lifetime, rotation, logout and termination (docs/security.md C1, C2, B4)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from freezegun import freeze_time

from tests.factories import PASSWORD, make_user

from .conftest import signed_in_user_id

pytestmark = pytest.mark.django_db

PROFILE_URL = "/accounts/profile/"
SESSION_COOKIE = settings.SESSION_COOKIE_NAME


def sign_in(client, user) -> None:
    response = client.post(
        "/accounts/login/", {"username": user.mobile, "password": PASSWORD}
    )
    assert response.status_code == 302


def is_signed_in(client) -> bool:
    response = client.get(PROFILE_URL)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


def test_thirty_minutes_idle_signs_out(client, talent):
    with freeze_time("2026-05-01 09:00:00") as frozen:
        sign_in(client, talent)
        frozen.tick(datetime.timedelta(minutes=29))
        assert is_signed_in(client)
        frozen.tick(datetime.timedelta(minutes=31))
        assert not is_signed_in(client)


def test_twelve_hours_after_sign_in_the_session_ends_however_active(client, talent):
    with freeze_time("2026-05-01 09:00:00") as frozen:
        sign_in(client, talent)
        for _ in range(72):  # every 10 minutes up to exactly 12 hours
            frozen.tick(datetime.timedelta(minutes=10))
            assert is_signed_in(client)
        frozen.tick(datetime.timedelta(minutes=10))
        assert not is_signed_in(client)


def test_signing_in_again_restarts_the_absolute_clock(client, talent):
    with freeze_time("2026-05-01 09:00:00") as frozen:
        sign_in(client, talent)
        for _ in range(66):  # 11 hours of activity
            frozen.tick(datetime.timedelta(minutes=10))
            assert is_signed_in(client)
        sign_in(client, talent)
        for _ in range(12):  # up to 13 hours after the first sign-in
            frozen.tick(datetime.timedelta(minutes=10))
            assert is_signed_in(client)


def test_signing_in_gives_a_new_session_key(client, talent):
    before = client.session.session_key
    assert Session.objects.filter(session_key=before).exists()
    sign_in(client, talent)
    after = client.cookies[SESSION_COOKIE].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logging_out_deletes_the_session_for_good(client, talent):
    sign_in(client, talent)
    key = client.cookies[SESSION_COOKIE].value
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[SESSION_COOKIE] = key
    assert not is_signed_in(replay)


def test_logout_refuses_get(client, talent):
    sign_in(client, talent)
    assert client.get("/accounts/logout/").status_code == 405
    assert is_signed_in(client)


def test_a_disabled_user_is_signed_out_on_the_next_request(client, talent):
    sign_in(client, talent)
    talent.is_active = False
    talent.save()
    assert not is_signed_in(client)


def test_changing_the_password_signs_out_other_browsers(talent):
    first, second = Client(), Client()
    sign_in(first, talent)
    sign_in(second, talent)
    first.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Ny4$kTr8@wQz",
            "new_password2": "Ny4$kTr8@wQz",
        },
    )
    assert is_signed_in(first)
    assert not is_signed_in(second)


@pytest.mark.parametrize("named_by", ["username", "mobile"])
def test_terminate_sessions_removes_only_that_users_sessions(named_by):
    target, bystander = make_user(), make_user()
    phone, laptop, other = Client(), Client(), Client()
    sign_in(phone, target)
    sign_in(laptop, target)
    sign_in(other, bystander)
    call_command("terminate_sessions", user=getattr(target, named_by))
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)
    assert is_signed_in(other)
    assert signed_in_user_id(other) == str(bystander.pk)


def test_terminate_sessions_refuses_an_unknown_user(talent):
    with pytest.raises(CommandError):
        call_command("terminate_sessions", user="no-such-user")
