"""Demo staff accounts share one published TOTP secret, so a reviewer can pass
the second factor with any authenticator app or `oathtool --totp -b SECRET`."""

import base64

from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.accounts.models import User

from .progress import Progress

# Base32, as apps and oathtool take it (public by design: demo data only).
DEMO_TOTP_SECRET = "KRQWYZLOOREGC4TCN5ZEIZLNN4ZDAMRW"  # noqa: S105
DEMO_DEVICE_NAME = "demo"


def staff_accounts():
    """Accounts that can open the admin, by any route (flag, group, permission)."""
    admin_access = Q(groups__permissions__codename="access_admin") | Q(
        user_permissions__codename="access_admin"
    )
    return User.objects.filter(
        Q(is_superuser=True) | Q(is_staff=True) | admin_access
    ).distinct()


def write_staff_devices(progress: Progress) -> None:
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    for user in staff_accounts():
        _, created = TOTPDevice.objects.get_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": key, "confirmed": True},
        )
        progress.record("demo authenticator devices", created)
