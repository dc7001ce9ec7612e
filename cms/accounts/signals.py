"""Reactions to sign-in events: session clocks and the security log."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from cms.core.identifiers import mask_email, mask_identifier, mask_mobile

from .backends import ACCOUNT_KEY_PREFIX
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


def masked_login_name(username: str) -> str:
    """What the log may say about the name a lockout was counted under.

    Known accounts are counted as "account:<id>", which names nobody outside the
    database. Anything else is what someone typed: perhaps a stranger's mobile
    number or e-mail address, perhaps a password typed into the wrong box, so it
    is masked (PIPL; docs/security.md G4).
    """
    username = username or ""
    if username.startswith(ACCOUNT_KEY_PREFIX):
        return username
    if "@" in username:
        return mask_email(username)
    if username.lstrip("+").isdigit():
        return mask_mobile(username)
    return mask_identifier(username, keep_start=1, keep_end=1)


@receiver(user_locked_out, dispatch_uid="accounts_log_lockout")
def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    security_log.warning(
        "login_locked username=%s ip=%s path=%s",
        masked_login_name(username),
        ip_address,
        getattr(request, "path", ""),
    )
