"""Signing in by mobile number, e-mail or user name; lockout on every login path."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from cms.accounts.models import User
from tests.factories import PASSWORD, make_standard_page, make_user

from .conftest import signed_in_user_id

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
# Every login form (docs/security.md B2): ours, Wagtail's admin login and Wagtail's
# front-end login, which stays mounted although private pages no longer send
# anyone there. Django's own admin is not mounted. The password-change form is
# covered in test_password_change_lockout.py.
LOGIN_PATHS = ["/accounts/login/", "/admin/login/", "/_util/login/"]


def post_login(client, identifier, password=PASSWORD, url=LOGIN_URL, **extra):
    return client.post(url, {"username": identifier, "password": password, **extra})


def test_sign_in_with_mobile_number(client, talent):
    response = post_login(client, talent.mobile)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(talent.pk)


def test_sign_in_with_email_in_any_case(client, talent):
    response = post_login(client, f"  {talent.email.upper()} ")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(talent.pk)


def test_staff_sign_in_with_user_name(client, staff_user):
    response = post_login(client, staff_user.username)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(staff_user.pk)


def test_wrong_password_is_refused_with_a_form_error(client, talent):
    response = post_login(client, talent.mobile, password="Wrong-password-1")
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "invalid_login")
    assert signed_in_user_id(client) is None


def test_disabled_account_cannot_sign_in(client):
    user = make_user(is_active=False)
    post_login(client, user.mobile)
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/accounts/profile/", "/accounts/profile/"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_next_only_leads_within_the_site(client, talent, next_url, expected):
    response = post_login(client, talent.mobile, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_login_page_keeps_next_for_the_form(client):
    response = client.get(LOGIN_URL, {"next": "/accounts/profile/"})
    assert 'name="next" value="/accounts/profile/"' in response.content.decode()


@pytest.mark.parametrize("url", LOGIN_PATHS)
def test_five_failures_lock_the_account_on_this_address_for_thirty_minutes(url, caplog):
    """docs/security.md B2: the sixth try is refused even with the right password; another
    account from the same address is unaffected; half an hour later it works."""
    victim = make_user()
    neighbour = make_user()
    with freeze_time("2026-05-01 09:00:00") as frozen:
        attacker = Client(REMOTE_ADDR="203.0.113.5")
        for _ in range(5):
            post_login(attacker, victim.mobile, password="Wrong-password-1", url=url)
        with caplog.at_level(logging.WARNING, logger="harbor.security"):
            refused = post_login(attacker, victim.mobile, url=url)
        assert refused.status_code == 429
        assert signed_in_user_id(attacker) is None
        assert AccessAttempt.objects.filter(failures_since_start__gte=5).exists()
        assert any("login_locked" in record.message for record in caplog.records)

        same_address = Client(REMOTE_ADDR="203.0.113.5")
        post_login(same_address, neighbour.mobile, url=url)
        assert signed_in_user_id(same_address) == str(neighbour.pk)

        frozen.tick(datetime.timedelta(minutes=31))
        later = Client(REMOTE_ADDR="203.0.113.5")
        post_login(later, victim.mobile, url=url)
        assert signed_in_user_id(later) == str(victim.pk)


def test_private_pages_send_visitors_to_our_login_page(client):
    """WAGTAIL_FRONTEND_LOGIN_URL: not to Wagtail's bare form at /_util/login/."""
    private = make_standard_page()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(private.url)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={private.url}"


def test_wagtails_front_end_login_stays_a_working_login_form(client, talent):
    """Wagtail mounts /_util/login/ whatever WAGTAIL_FRONTEND_LOGIN_URL says, so
    it is one of the LOGIN_PATHS the lockout test covers."""
    assert client.get("/_util/login/").status_code == 200
    post_login(client, talent.mobile, url="/_util/login/")
    assert signed_in_user_id(client) == str(talent.pk)


def test_the_lock_holds_for_every_spelling_of_the_account(client, talent):
    """Five wrong tries by mobile number do not leave five more by e-mail."""
    for _ in range(5):
        post_login(client, talent.mobile, password="Wrong-password-1")
    response = post_login(client, talent.email)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_the_locked_out_page_explains_the_wait(talent):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(6):
        response = post_login(client, talent.mobile, password="Wrong-password-1")
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    text = " ".join(response.content.decode().split())
    assert "blocked for 30 minutes" in text
    assert 'href="/accounts/password/reset/mobile/"' in response.content.decode()


def test_a_talent_signing_in_keeps_their_kind(client, talent):
    post_login(client, talent.mobile)
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert response.context["user"].kind == User.Kind.TALENT


@pytest.mark.parametrize(
    "spelling",
    ["{a}{b}{c}", "+86 {a} {b} {c}", "{a}-{b}-{c}", "0086{a}{b}{c}"],
)
def test_sign_in_with_the_mobile_number_as_people_type_it(client, talent, spelling):
    national = talent.mobile.removeprefix("+86")
    typed = spelling.format(a=national[:3], b=national[3:7], c=national[7:])
    response = post_login(client, typed)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(talent.pk)
