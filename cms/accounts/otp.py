"""The second factor of staff accounts (docs/security.md B3): TOTP through django-otp,
with one-time recovery codes and an administrator's reset.

Whoever can reach the admin signs in with a password on any login page, which
leaves the session unverified; with STAFF_OTP_REQUIRED, every request of such a
session is sent to the second step (enrolment if the account has no device yet)
until a code from a device is accepted. Wrong codes are failed logins to
django-axes, counted with the account's wrong passwords, so the lockout covers
this step too.
"""

import base64
import secrets
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import can_reach_admin

RECOVERY_DEVICE_NAME = "recovery"
# Unambiguous letters and digits (no 0/O, 1/I/L), read off paper.
_RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def second_factor_required(user) -> bool:
    return settings.STAFF_OTP_REQUIRED and can_reach_admin(user)


def has_confirmed_device(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


def otp_paths() -> set[str]:
    """Addresses an unverified staff session may still open."""
    return {
        reverse("accounts:otp_verify"),
        reverse("accounts:otp_setup"),
        reverse("accounts:logout"),
    }


class StaffSecondFactorMiddleware:
    """Sends an unverified staff session to the second step from every page,
    not only the admin: staff rights reach beyond it (file downloads, for one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            second_factor_required(user)
            and not user.is_verified()
            and request.path not in otp_paths()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            step = "accounts:otp_verify"
            if not has_confirmed_device(user):
                step = "accounts:otp_setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)


def count_failure(request: HttpRequest, user) -> bool:
    """Counts a wrong code as a failed login of the account; True when that
    locked it (the session is then signed out)."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return True
    return False


def throttled(devices) -> bool:
    """django-otp slows guessing per device (1, 2, 4 ... seconds after each wrong
    code); a code typed during the pause is not checked, so it is no failure."""
    return bool(devices) and all(
        not device.verify_is_allowed()[0] for device in devices
    )


def is_locked(request: HttpRequest, user) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


def new_totp_device(user) -> TOTPDevice:
    """A fresh, unconfirmed device whose secret is shown once; earlier
    unconfirmed ones are dropped, so a secret left on a screen is worthless."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def issue_recovery_codes(user) -> list[str]:
    """Replaces the account's recovery codes with new ones, each usable once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=normalise_code(code)) for code in codes
    )
    return codes


def normalise_code(code: str) -> str:
    """As typed: spaces, dashes and case do not matter."""
    return "".join(char for char in (code or "").upper() if char.isalnum())[:16]


def reset_devices(user) -> int:
    """Removes every device of the account: at its next sign-in it enrols again."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    return removed


def verification_step(user) -> str:
    """Where an unverified staff session goes next."""
    if has_confirmed_device(user):
        return reverse("accounts:otp_verify")
    return reverse("accounts:otp_setup")


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps and oathtool take it when typed."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")
