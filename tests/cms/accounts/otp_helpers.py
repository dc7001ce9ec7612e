"""Second-factor helpers for tests that run with STAFF_OTP_REQUIRED on."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(user) -> str:
    """What the user's authenticator app shows now."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


def verified_client(user) -> Client:
    """A client signed in as `user` whose session passed the second factor, as
    force_login signs in without a password."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="TOTP", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
