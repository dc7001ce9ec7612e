"""Session lifetime and staff password expiry (docs/security.md B1, C1)."""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

SESSION_AUTH_TIME = "harbor_auth_time"
SESSION_LAST_SEEN = "harbor_last_seen"


class SessionTimeoutMiddleware:
    """Logs out after SESSION_IDLE_TIMEOUT without a request, and always after
    SESSION_ABSOLUTE_LIFETIME since sign-in, whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            auth_time = request.session.setdefault(SESSION_AUTH_TIME, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if now - last_seen > idle or now - auth_time > absolute:
                logout(request)
            else:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


def can_reach_admin(user) -> bool:
    """Whoever can open the Wagtail admin, however they got the right: a
    department editor holds it through a group, with is_staff False."""
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("wagtailadmin.access_admin")
    )


class PasswordExpiryMiddleware:
    """Sends everyone who can reach the admin, once their password is older than
    STAFF_PASSWORD_MAX_AGE, to change it (MLPS 8.1.4.1 a)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if can_reach_admin(user):
            changed = user.password_changed_at
            if (
                changed is None
                or timezone.now() - changed > settings.STAFF_PASSWORD_MAX_AGE
            ):
                change_url = reverse("accounts:password_change")
                allowed = {
                    change_url,
                    reverse("accounts:password_change_done"),
                    reverse("accounts:logout"),
                    # The second factor comes before the new password.
                    reverse("accounts:otp_verify"),
                    reverse("accounts:otp_setup"),
                }
                if request.path not in allowed:
                    return redirect(f"{change_url}?expired=1")
        return self.get_response(request)
