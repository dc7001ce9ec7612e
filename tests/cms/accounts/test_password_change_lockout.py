"""A wrong current password on the password-change form is a failed login
(docs/security.md B2): five lock the account like five at the login page."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from freezegun import freeze_time

from cms.accounts.backends import lockout_key
from tests.factories import PASSWORD, make_user

from .conftest import signed_in_user_id

pytestmark = pytest.mark.django_db

CHANGE_URL = "/accounts/password/change/"
LOGIN_URL = "/accounts/login/"
NEW_PASSWORD = "Ny4$kTr8@wQz"
WRONG_PASSWORD = "Wrong-password-1"
ADDRESS = "203.0.113.7"


def signed_in_client(user, language: str = "en") -> Client:
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(LOGIN_URL, {"username": user.mobile, "password": PASSWORD})
    assert response.status_code == 302
    return client


def change_password(client, old_password: str):
    return client.post(
        CHANGE_URL,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def login_with(user, password: str = PASSWORD) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post(LOGIN_URL, {"username": user.mobile, "password": password})
    return client


def failures_of(user) -> int:
    attempt = AccessAttempt.objects.filter(username=lockout_key(user)).first()
    return attempt.failures_since_start if attempt else 0


def test_a_wrong_current_password_shows_the_form_error_and_counts(talent):
    client = signed_in_client(talent)
    response = change_password(client, WRONG_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].has_error("old_password", "password_incorrect")
    assert "Your old password was entered incorrectly" in response.content.decode()
    assert signed_in_user_id(client) == str(talent.pk)
    assert failures_of(talent) == 1


def test_four_wrong_current_passwords_then_the_right_one_changes_it(talent):
    client = signed_in_client(talent)
    for _ in range(4):
        response = change_password(client, WRONG_PASSWORD)
        assert response.status_code == 200
        assert response.context["form"].has_error("old_password", "password_incorrect")
    assert failures_of(talent) == 4

    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    assert signed_in_user_id(client) == str(talent.pk)
    talent.refresh_from_db()
    assert talent.check_password(NEW_PASSWORD)
    # Proving the password forgets the failures, as a successful sign-in does.
    assert failures_of(talent) == 0


def test_five_wrong_current_passwords_lock_the_account_for_thirty_minutes(
    talent, caplog
):
    with freeze_time("2026-05-01 09:00:00") as frozen:
        client = signed_in_client(talent)
        for _ in range(4):
            assert change_password(client, WRONG_PASSWORD).status_code == 200
        with caplog.at_level(logging.WARNING, logger="harbor.security"):
            response = change_password(client, WRONG_PASSWORD)

        # The session is over and the visitor is told why on the login page.
        assert response.status_code == 302
        assert response["Location"] == LOGIN_URL
        assert signed_in_user_id(client) is None
        assert any(
            "login_locked" in record.message and CHANGE_URL in record.message
            for record in caplog.records
        )
        page = client.get(response["Location"])
        assert page.status_code == 200
        text = " ".join(page.content.decode().split())
        assert (
            "After 5 wrong passwords, signing in to this account from your network "
            "is blocked for 30 minutes." in text
        )
        assert client.get("/accounts/profile/").status_code == 302
        talent.refresh_from_db()
        assert talent.check_password(PASSWORD)

        refused = login_with(talent)
        assert signed_in_user_id(refused) is None

        frozen.tick(datetime.timedelta(minutes=31))
        later = login_with(talent)
        assert signed_in_user_id(later) == str(talent.pk)


def test_the_lockout_message_is_translated(talent):
    client = signed_in_client(talent, language="zh-hans")
    for _ in range(5):
        response = change_password(client, WRONG_PASSWORD)
    page = client.get(response["Location"])
    assert "密码已连续输错5次，30分钟内将禁止从您当前网络登录该账号。" in (
        page.content.decode()
    )


def test_the_login_page_refuses_the_right_password_after_the_lock(talent):
    client = signed_in_client(talent)
    for _ in range(5):
        change_password(client, WRONG_PASSWORD)
    response = Client(REMOTE_ADDR=ADDRESS).post(
        LOGIN_URL, {"username": talent.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_failures_at_the_login_page_and_the_change_form_add_up(talent):
    """One count per account, whichever form took the wrong password."""
    client = signed_in_client(talent)
    for _ in range(3):
        login_with(talent, password=WRONG_PASSWORD)
    assert change_password(client, WRONG_PASSWORD).status_code == 200
    response = change_password(client, WRONG_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_a_locked_account_cannot_change_its_password_even_with_the_right_one(talent):
    client = signed_in_client(talent)
    for _ in range(5):
        login_with(talent, password=WRONG_PASSWORD)
    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert signed_in_user_id(client) is None
    talent.refresh_from_db()
    assert not talent.check_password(NEW_PASSWORD)


def test_the_failure_count_is_per_account():
    """Another account's wrong passwords, from the same address, do not count."""
    first, second = make_user(), make_user()
    first_client, second_client = signed_in_client(first), signed_in_client(second)
    for _ in range(4):
        change_password(first_client, WRONG_PASSWORD)
        change_password(second_client, WRONG_PASSWORD)
    assert failures_of(first) == 4
    assert failures_of(second) == 4

    assert change_password(first_client, WRONG_PASSWORD).status_code == 302
    assert signed_in_user_id(first_client) is None
    assert signed_in_user_id(second_client) == str(second.pk)

    response = change_password(second_client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    second.refresh_from_db()
    assert second.check_password(NEW_PASSWORD)
    assert signed_in_user_id(login_with(first)) is None


def test_the_admin_account_page_has_no_password_form_of_its_own():
    """Wagtail's account page checks the current password without counting
    failures: staff change theirs on the counted form instead."""
    from tests.factories import make_department, make_editor

    editor = make_editor(make_department())
    client = Client()
    client.force_login(editor)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="password-old_password"' not in page.content.decode()
    # Even the right current password changes nothing there.
    client.post(
        "/admin/account/",
        {
            "password-old_password": PASSWORD,
            "password-new_password1": "Another#Secret2026x",
            "password-new_password2": "Another#Secret2026x",
        },
    )
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
