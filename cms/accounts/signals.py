"""Reactions to sign-in events: session clocks and the security log."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .middleware import SESSION_AUTH_TIME, SESSION_LAST_SEEN

security_log = logging.getLogger("harbor.security")


@receiver(user_logged_in, dispatch_uid="accounts_start_session_clock")
def start_session_clock(sender, request, user, **kwargs) -> None:
    """The absolute session lifetime counts from this sign-in, not from an older
    one whose session data `login()` carried over when it rotated the key."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[SESSION_AUTH_TIME] = now
    request.session[SESSION_LAST_SEEN] = now


@receiver(user_locked_out, dispatch_uid="accounts_log_lockout")
def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    security_log.warning(
        "login_locked username=%s ip=%s path=%s",
        username,
        ip_address,
        getattr(request, "path", ""),
    )
