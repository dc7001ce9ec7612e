"""Every account form refuses a POST without a CSRF token and changes nothing (C3)."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cms.accounts.models import User, VerificationCode
from cms.accounts.verification import issue_code
from cms.core.sms import MemorySMSBackend
from tests.factories import PASSWORD, make_user

from .conftest import last_code, signed_in_user_id

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Ny4$kTr8@wQz"
MOBILE = "13812345678"


def guarded_client() -> Client:
    return Client(enforce_csrf_checks=True)


def state(user) -> tuple:
    """Everything a forged POST could change."""
    user.refresh_from_db()
    return (
        User.objects.count(),
        VerificationCode.objects.filter(used_at__isnull=False).count(),
        VerificationCode.objects.count(),
        len(MemorySMSBackend.outbox),
        len(mail.outbox),
        user.password,
    )


def registration(user, client):
    return "/accounts/register/", {
        "kind": "talent",
        "real_name": "林晓明",
        "mobile": MOBILE,
        "code": "123456",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "action": "register",
    }


def registration_code(user, client):
    return "/accounts/register/", {"mobile": MOBILE, "action": "send_code"}


def login(user, client):
    return "/accounts/login/", {"username": user.mobile, "password": PASSWORD}


def logout(user, client):
    client.force_login(user)
    return "/accounts/logout/", {}


def password_change(user, client):
    client.force_login(user)
    return "/accounts/password/change/", {
        "old_password": PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }


def email_reset(user, client):
    return "/accounts/password/reset/", {"email": user.email}


def email_reset_confirm(user, client):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    landing = client.get(f"/accounts/password/reset/{uid}/{token}/")
    return landing["Location"], {
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }


def mobile_reset_code(user, client):
    return "/accounts/password/reset/mobile/", {
        "mobile": user.mobile,
        "action": "send_code",
    }


def mobile_reset(user, client):
    issue_code(user.mobile, VerificationCode.Purpose.RESET_PASSWORD)
    return "/accounts/password/reset/mobile/", {
        "mobile": user.mobile,
        "code": last_code(user.mobile),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "action": "reset",
    }


FORMS = [
    registration,
    registration_code,
    login,
    logout,
    password_change,
    email_reset,
    email_reset_confirm,
    mobile_reset_code,
    mobile_reset,
]


@pytest.mark.parametrize("prepare", FORMS, ids=[form.__name__ for form in FORMS])
def test_post_without_csrf_token_is_refused_and_changes_nothing(prepare):
    user = make_user()
    client = guarded_client()
    url, data = prepare(user, client)
    signed_in_before = signed_in_user_id(client)
    before = state(user)
    response = client.post(url, data)
    assert response.status_code == 403
    assert state(user) == before
    assert signed_in_user_id(client) == signed_in_before


@pytest.mark.parametrize("prepare", FORMS, ids=[form.__name__ for form in FORMS])
def test_the_same_post_with_the_pages_token_goes_through(prepare):
    """The control: each form above does work with a token, so the 403 is CSRF."""
    user = make_user()
    client = guarded_client()
    url, data = prepare(user, client)
    # The logout button lives on other pages; the logout URL itself answers POST only.
    page = client.get("/accounts/profile/" if prepare is logout else url)
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    assert token, f"{url} ({page.status_code}) set no CSRF cookie"
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code in {200, 302}
