"""Recovering an account by e-mail link or by SMS code (docs/security.md B4)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from freezegun import freeze_time

from cms.accounts.models import User
from cms.core.identifiers import mask_mobile
from tests.factories import PASSWORD, make_user

from .conftest import last_code, sent_codes, signed_in_user_id

pytestmark = pytest.mark.django_db

EMAIL_URL = "/accounts/password/reset/"
MOBILE_URL = "/accounts/password/reset/mobile/"
NEW_PASSWORD = "Ny4$kTr8@wQz"
LINK = re.compile(r"(https?://\S+/accounts/password/reset/\S+/\S+/)")


def request_link(email: str):
    return Client().post(EMAIL_URL, {"email": email}, follow=True)


def link_in_mail() -> str:
    assert len(mail.outbox) == 1
    return LINK.search(mail.outbox[0].body).group(1)


def test_known_and_unknown_addresses_get_the_same_answer(talent):
    known = request_link(talent.email)
    unknown = request_link("nobody-here@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [talent.email]


def test_the_link_uses_the_configured_address_not_the_host_header(settings, talent):
    settings.WAGTAILADMIN_BASE_URL = "https://rc.example.gov.cn"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    Client().post(EMAIL_URL, {"email": talent.email}, HTTP_HOST="evil.example")
    assert link_in_mail().startswith(
        "https://rc.example.gov.cn/accounts/password/reset/"
    )


def test_a_reset_link_works_once(talent):
    request_link(talent.email)
    path = link_in_mail().split("://", 1)[1].split("/", 1)[1]
    browser = Client()
    form_page = browser.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = browser.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    talent.refresh_from_db()
    assert talent.check_password(NEW_PASSWORD)

    again = Client().get("/" + path, follow=True)
    assert again.context["validlink"] is False


def test_a_reset_link_expires_after_an_hour(talent):
    with freeze_time("2026-05-01 09:00:00") as frozen:
        request_link(talent.email)
        path = link_in_mail().split("://", 1)[1].split("/", 1)[1]
        frozen.tick(datetime.timedelta(minutes=61))
        response = Client().get("/" + path, follow=True)
    assert response.context["validlink"] is False


def test_reset_by_mobile_code_sets_the_new_password(client, talent):
    client.post(MOBILE_URL, {"mobile": talent.mobile, "action": "send_code"})
    code = last_code(talent.mobile)
    response = client.post(
        MOBILE_URL,
        {
            "mobile": talent.mobile,
            "code": code,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "action": "reset",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    talent.refresh_from_db()
    assert talent.check_password(NEW_PASSWORD)
    client.post(
        "/accounts/login/", {"username": talent.mobile, "password": NEW_PASSWORD}
    )
    assert signed_in_user_id(client) == str(talent.pk)


def test_a_used_mobile_code_cannot_reset_again(client, talent):
    client.post(MOBILE_URL, {"mobile": talent.mobile, "action": "send_code"})
    data = {
        "mobile": talent.mobile,
        "code": last_code(talent.mobile),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "action": "reset",
    }
    assert client.post(MOBILE_URL, data).status_code == 302
    replay = client.post(
        MOBILE_URL, {**data, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert replay.status_code == 200
    assert replay.context["form"].has_error("code", "code_wrong")
    talent.refresh_from_db()
    assert talent.check_password(NEW_PASSWORD)


def test_unknown_mobile_gets_the_same_answer_and_no_sms(talent):
    unknown_mobile = "13700000000"

    def answer(mobile: str):
        response = Client().post(MOBILE_URL, {"mobile": mobile, "action": "send_code"})
        notices = [
            str(message).replace(mask_mobile(mobile), "<number>")
            for message in response.context["messages"]
        ]
        return response.status_code, notices

    assert answer(talent.mobile) == answer(unknown_mobile)
    assert answer(talent.mobile)[1], "the visitor is told something"
    assert len(sent_codes(talent.mobile)) == 2
    assert sent_codes(unknown_mobile) == []


def test_a_weak_new_password_is_refused_and_keeps_the_code(client, talent):
    client.post(MOBILE_URL, {"mobile": talent.mobile, "action": "send_code"})
    code = last_code(talent.mobile)
    response = client.post(
        MOBILE_URL,
        {
            "mobile": talent.mobile,
            "code": code,
            "password1": "abcdefghijkl",
            "password2": "abcdefghijkl",
            "action": "reset",
        },
    )
    assert response.context["form"].has_error("password1", "password_too_simple")
    talent.refresh_from_db()
    assert talent.check_password(PASSWORD)


def test_a_reset_lifts_the_login_lock(client, talent):
    for _ in range(5):
        client.post(
            "/accounts/login/", {"username": talent.mobile, "password": "Wrong-1-pass"}
        )
    client.post(MOBILE_URL, {"mobile": talent.mobile, "action": "send_code"})
    client.post(
        MOBILE_URL,
        {
            "mobile": talent.mobile,
            "code": last_code(talent.mobile),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "action": "reset",
        },
    )
    response = client.post(
        "/accounts/login/", {"username": talent.mobile, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(talent.pk)


def test_email_reset_requests_are_limited_too(talent):
    browser = Client()
    statuses = [
        browser.post(EMAIL_URL, {"email": talent.email}).status_code for _ in range(6)
    ]
    assert statuses == [302, 302, 302, 302, 302, 429]
    assert len(mail.outbox) == 5


def test_reset_form_only_for_active_accounts():
    inactive = make_user(is_active=False)
    request_link(inactive.email)
    assert mail.outbox == []
    assert User.objects.get(pk=inactive.pk).check_password(PASSWORD)
