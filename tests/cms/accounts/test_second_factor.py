"""Staff sign in with a second factor (TOTP or a recovery code) on every login
path; wrong codes count towards the lockout; administrators reset a lost factor.

The requirement is a setting (STAFF_OTP_REQUIRED, always on in production); the
rest of the suite runs with it off, and these tests switch it on.
"""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.accounts.models import User
from cms.demo.devices import DEMO_TOTP_SECRET, write_staff_devices
from cms.demo.progress import Progress
from tests.cms.hall_admin import make_staff
from tests.factories import PASSWORD, make_department, make_user

from .otp_helpers import current_code, verified_client
from .test_login import LOGIN_PATHS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("second_factor_required"),
]

VERIFY = "/accounts/otp/verify/"
SETUP = "/accounts/otp/setup/"
SECRET = re.compile(r'class="otp-secret">([A-Z2-7]+)<')


@pytest.fixture
def second_factor_required():
    # django-otp's own pause after a wrong code is tested on its own below.
    with override_settings(
        STAFF_OTP_REQUIRED=True,
        OTP_TOTP_THROTTLE_FACTOR=0,
        OTP_STATIC_THROTTLE_FACTOR=0,
    ):
        yield


@pytest.fixture
def staff(db):
    return make_user(
        kind=User.Kind.STAFF, is_staff=True, is_superuser=True, username="staff-a"
    )


@pytest.fixture
def enrolled(staff):
    TOTPDevice.objects.create(user=staff, name="TOTP", confirmed=True)
    return staff


def password_login(client, user, url="/accounts/login/"):
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, url
    return response


def type_code(client, code, url=VERIFY, next_url="/admin/"):
    return client.post(url, {"code": code, "next": next_url})


@pytest.mark.parametrize("login_url", LOGIN_PATHS)
def test_a_password_alone_never_opens_the_admin(enrolled, login_url):
    client = Client()
    password_login(client, enrolled, login_url)
    for path in ["/admin/", "/admin/users/", "/applications/", "/accounts/profile/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY + "?next="), path
    assert type_code(client, current_code(enrolled)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_device_enrol_with_the_secret_shown_once(staff):
    client = Client()
    password_login(client, staff, "/admin/login/")
    response = client.get("/admin/")
    assert response["Location"].startswith(SETUP)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html
    secret = SECRET.search(html).group(1)
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    code = f"{totp(device.bin_key):06d}"
    done = type_code(client, code, url=SETUP)
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == settings.RECOVERY_CODE_COUNT == len(set(codes))
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    # The secret is never shown again, not even to the verified session.
    again = client.get(SETUP)
    assert again.status_code == 302 and secret not in again.content.decode()


def test_a_new_enrolment_page_makes_the_earlier_secret_worthless(staff):
    client = Client()
    password_login(client, staff)
    first = SECRET.search(client.get(SETUP).content.decode()).group(1)
    second = SECRET.search(client.get(SETUP).content.decode()).group(1)
    assert first != second
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_recovery_code_works_once(enrolled):
    client = Client()
    password_login(client, enrolled)
    from cms.accounts.otp import issue_recovery_codes

    codes = issue_recovery_codes(enrolled)
    # Typed as people type them: lower case, spaces instead of the dash.
    assert type_code(client, codes[0].lower().replace("-", " ")).status_code == 302
    assert client.get("/admin/").status_code == 200
    other = Client()
    password_login(other, enrolled)
    again = type_code(other, codes[0])
    assert again.status_code == 200
    assert again.context["form"].has_error("code", "code_wrong")
    assert StaticDevice.objects.get(user=enrolled).token_set.count() == 9


def test_wrong_codes_are_failed_logins_and_lock_the_account(enrolled):
    """Five wrong codes end the session, and the right password no longer
    signs in (the right password had cleared earlier failures, as it does)."""
    client = Client()
    password_login(client, enrolled)
    for attempt in range(5):
        response = type_code(client, "000000")
        if attempt < 4:
            assert response.context["form"].has_error("code", "code_wrong")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    refused = client.post(
        "/admin/login/", {"username": enrolled.username, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert refused.status_code in (200, 403, 429)


def test_a_locked_account_cannot_pass_the_code_step_with_the_right_code(enrolled):
    """Wrong codes and wrong passwords add up to one count per account."""
    client = Client()
    password_login(client, enrolled)
    for _ in range(4):
        type_code(client, "000000")
    other = Client()
    # The fifth failure comes from another session of the same address.
    other.post("/accounts/login/", {"username": enrolled.username, "password": "x"})
    response = type_code(client, current_code(enrolled))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/admin/").status_code == 302


def test_a_right_code_clears_earlier_wrong_ones(enrolled):
    client = Client()
    password_login(client, enrolled)
    for _ in range(4):
        type_code(client, "000000")
    assert type_code(client, current_code(enrolled)).status_code == 302
    other = Client()
    password_login(other, enrolled)
    for _ in range(4):
        assert type_code(other, "000000").status_code == 200
    assert "_auth_user_id" in other.session


def test_a_code_during_django_otps_pause_is_not_a_failure(enrolled):
    client = Client()
    password_login(client, enrolled)
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=60):
        type_code(client, "000000")
        for _ in range(6):
            response = type_code(client, current_code(enrolled))
            assert response.context["form"].has_error("code", "throttled")
    assert "_auth_user_id" in client.session


def test_talents_are_never_asked_for_a_second_factor():
    talent = make_user()
    client = Client()
    password_login(client, talent)
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get(VERIFY).status_code == 403


def test_force_logged_in_staff_pass_with_the_helper(staff):
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    assert verified_client(staff).get("/admin/").status_code == 200


def test_an_administrator_resets_a_lost_second_factor(enrolled):
    admin = make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
    url = f"/admin/users/{enrolled.pk}/second-factor/reset/"
    lost = verified_client(enrolled)
    assert lost.get("/admin/").status_code == 200
    client = verified_client(admin)
    assert client.get(url).status_code == 200
    assert url in client.get("/admin/users/").content.decode()
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    # The sessions it verified are verified no more; the next step is enrolment.
    response = lost.get("/admin/")
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize(
    ("role", "sent_to"),
    [
        # Wagtail answers a refused admin view with a redirect to the dashboard.
        ("editor", "/admin/"),
        ("moderator", "/admin/"),
        ("talent", "/admin/login/"),
        ("anonymous", "/admin/login/"),
    ],
)
def test_only_administrators_reset_a_second_factor(enrolled, role, sent_to):
    url = f"/admin/users/{enrolled.pk}/second-factor/reset/"
    client = Client()
    if role == "talent":
        client.force_login(make_user())
    elif role != "anonymous":
        unit = make_department()
        client = verified_client(make_staff(unit, moderator=role == "moderator"))
        assert url not in client.get("/admin/").content.decode()
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == sent_to
    assert TOTPDevice.objects.filter(user=enrolled).exists()


def test_demo_staff_share_the_documented_secret(staff):
    talent = make_user()
    write_staff_devices(Progress())
    write_staff_devices(Progress())
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    assert TOTPDevice.objects.filter(user=talent).count() == 0
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert DEMO_TOTP_SECRET in readme
    client = Client()
    password_login(client, staff)
    assert type_code(client, current_code(staff)).status_code == 302


def test_production_always_requires_the_second_factor():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "hall.example.cn",
        "DATA_ENCRYPTION_KEYS": "A" * 43 + "=",
        "CARD_SIGNING_KEYS": "A" * 43,
        "DATA_HASH_KEY": "y" * 40,
        "STAFF_OTP_REQUIRED": "0",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.STAFF_OTP_REQUIRED)",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    assert result.stdout.strip() == "True"


def test_the_second_factor_comes_before_an_expired_passwords_change(enrolled):
    User.objects.filter(pk=enrolled.pk).update(
        password_changed_at=timezone.now() - timedelta(days=400)
    )
    client = Client()
    password_login(client, enrolled)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200
    assert type_code(client, current_code(enrolled)).status_code == 302
    assert client.get("/admin/")["Location"].startswith("/accounts/password/change/")
