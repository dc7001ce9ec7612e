"""App sign-ins: tokens after the site's password check with its lockout,
expiry, refresh rotation, revocation by the user and by administrators, no
token for staff, no token in URLs, CSRF for the site's own session calls."""

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from freezegun import freeze_time

from forms.api import tokens
from forms.api.tokens import AppSignIn
from tests.api.helpers import BASE, App, bearer, sign_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def token_call(client, body):
    return client.post(f"{BASE}/auth/token", body, content_type="application/json")


def test_only_digests_of_tokens_are_stored(client):
    user = make_user()
    pair = sign_in(client, user)
    record = AppSignIn.objects.get(user=user)
    stored = {f.attname: getattr(record, f.attname) for f in AppSignIn._meta.fields}
    assert pair["access_token"] not in str(stored)
    assert pair["refresh_token"] not in str(stored)
    assert record.access_digest == tokens.digest(pair["access_token"])


def test_wrong_password_is_a_problem_and_five_lock_the_account(client):
    user = make_user()
    for _ in range(4):
        response = token_call(client, {"username": user.username, "password": "nope"})
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
    # The fifth failure locks, as on the sign-in page.
    response = token_call(client, {"username": user.username, "password": "nope"})
    assert response.json()["code"] == "locked_out"
    response = token_call(client, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "locked_out"
    assert not AppSignIn.objects.exists()


def test_the_mobile_number_signs_in_too(client):
    user = make_user()
    response = token_call(client, {"username": user.mobile, "password": PASSWORD})
    assert response.status_code == 200


def test_staff_get_no_token(client):
    for fields in ({"kind": "staff"}, {"is_staff": True}, {"is_superuser": True}):
        officer = make_user(**fields)
        response = token_call(
            client, {"username": officer.username, "password": PASSWORD}
        )
        assert response.status_code == 403
        assert response.json()["code"] == "staff_not_allowed"
    assert not AppSignIn.objects.exists()


def test_a_talent_who_becomes_staff_loses_the_token(client):
    app = App(client, make_user())
    assert app.get("/applications").status_code == 200
    app.user.kind = "staff"
    app.user.save()
    assert app.get("/applications").status_code == 401


def test_access_token_expires_and_refresh_rotates(client):
    app = App(client, make_user())
    first = app.tokens
    later = timezone.now() + datetime.timedelta(minutes=16)
    with freeze_time(later):
        response = app.get("/applications")
        assert response.status_code == 401
        assert response.json()["code"] == "token_expired"
        refreshed = client.post(
            f"{BASE}/auth/refresh",
            {"refresh_token": first["refresh_token"]},
            content_type="application/json",
        )
        assert refreshed.status_code == 200
        pair = refreshed.json()
        assert (
            client.get(
                f"{BASE}/applications", **bearer(pair["access_token"])
            ).status_code
            == 200
        )
        # The old access token stays dead.
        assert (
            client.get(
                f"{BASE}/applications", **bearer(first["access_token"])
            ).status_code
            == 401
        )


def test_a_used_refresh_token_replayed_ends_the_sign_in(client):
    app = App(client, make_user())
    old = app.tokens["refresh_token"]
    new = client.post(
        f"{BASE}/auth/refresh", {"refresh_token": old}, content_type="application/json"
    ).json()
    replay = client.post(
        f"{BASE}/auth/refresh", {"refresh_token": old}, content_type="application/json"
    )
    assert replay.status_code == 401
    assert replay.json()["code"] == "invalid_refresh_token"
    # Whoever holds the newest pair is signed out too: the sign-in is not trusted.
    assert (
        client.get(f"{BASE}/applications", **bearer(new["access_token"])).status_code
        == 401
    )


def test_refresh_ends_with_the_sign_in_lifetime(client):
    app = App(client, make_user())
    with freeze_time(timezone.now() + datetime.timedelta(days=31)):
        response = client.post(
            f"{BASE}/auth/refresh",
            {"refresh_token": app.tokens["refresh_token"]},
            content_type="application/json",
        )
    assert response.status_code == 401


def test_the_user_signs_out_and_revokes_another_device(client):
    user = make_user()
    phone, tablet = App(Client(), user), App(Client(), user)
    listed = phone.get("/auth/sign-ins").json()
    assert len(listed) == 2
    assert (
        phone.delete(f"/auth/sign-ins/{tablet.tokens['sign_in_id']}").status_code == 204
    )
    assert tablet.get("/applications").status_code == 401
    assert phone.post("/auth/sign-out").status_code == 204
    assert phone.get("/applications").status_code == 401
    # Someone else's sign-in cannot be touched.
    stranger = App(Client(), make_user())
    other = App(Client(), make_user())
    assert (
        stranger.delete(f"/auth/sign-ins/{other.tokens['sign_in_id']}").status_code
        == 404
    )
    assert other.get("/applications").status_code == 200


def test_an_administrator_revokes_a_users_app_sign_ins(client):
    user = make_user()
    app = App(Client(), user)
    admin = make_user(is_superuser=True, is_staff=True, kind="staff")
    client.force_login(admin)
    url = f"/admin/users/{user.pk}/app-sign-ins/"
    page = client.get(url)
    assert page.status_code == 200
    assert "test" in page.content.decode()
    assert client.post(url).status_code == 302
    assert app.get("/applications").status_code == 401
    assert AppSignIn.objects.get(user=user).revoked_by == admin
    # Not for anyone below administrator.
    editor = make_user(kind="staff", is_staff=True)
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)


def test_no_token_in_the_url(client):
    app = App(client, make_user())
    token = app.tokens["access_token"]
    response = Client().get(f"{BASE}/applications?access_token={token}")
    assert response.status_code == 401


def test_the_sites_session_works_with_csrf():
    user = make_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(f"{BASE}/applications").status_code == 200
    refused = browser.post(f"{BASE}/messages/read-all")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    browser.get("/accounts/profile/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(f"{BASE}/messages/read-all", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 204


@override_settings(API_ACCESS_TOKEN_LIFETIME=datetime.timedelta(minutes=5))
def test_expires_in_follows_the_setting(client):
    assert sign_in(client, make_user())["expires_in"] == 300
