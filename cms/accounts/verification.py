"""One-time codes that prove a mobile number (by SMS) or an e-mail address (by
e-mail), and the limits around them.

docs/security.md B2: codes come from a CSPRNG, are stored as an HMAC keyed with
SECRET_KEY, live VERIFICATION_CODE_TTL, work once and survive at most
MAX_FAILED_ATTEMPTS wrong guesses. Sending is limited per mobile number and per
client IP, so the hall cannot be used to flood someone's phone (短信轰炸).
"""

import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from cms.core import ratelimit
from cms.core.client_ip import client_ip
from cms.core.sms import send_sms

from .models import VerificationCode

CODE_DIGITS = 6
MAX_FAILED_ATTEMPTS = 5
SEND_WINDOW_SECONDS = 60 * 60
_HMAC_SALT = "cms.accounts.verification.VerificationCode"


class SendLimitExceeded(Exception):
    """Too many codes requested for this number or from this address this hour."""


def _hash_code(target: str, purpose: str, code: str) -> str:
    # Binding number (or address) and purpose into the hash means a code cannot
    # be replayed for another number or another flow.
    return salted_hmac(
        _HMAC_SALT, f"{purpose}:{target}:{code}", algorithm="sha256"
    ).hexdigest()


def _count_within_limit(bucket: str, limit: int) -> bool:
    """Counts one send in the bucket's window; False once more than `limit`."""
    return ratelimit.hit("send:" + bucket, SEND_WINDOW_SECONDS) <= limit


def check_send_limits(request: HttpRequest, target: str) -> None:
    """Counts a send attempt to `target` (a mobile number or an e-mail address),
    raising SendLimitExceeded past the per-target or the per-IP limit.

    Attempts count whether or not anything is then sent, so that the limit says
    nothing about which numbers and addresses have accounts.
    """
    # Several people may share one office or campus address, hence a looser limit.
    ip_address = client_ip(request) or "unknown"
    if not _count_within_limit(
        f"ip:{ip_address}", settings.VERIFICATION_CODE_IP_SEND_LIMIT
    ):
        raise SendLimitExceeded
    if not _count_within_limit(
        f"target:{target}", settings.VERIFICATION_CODE_SEND_LIMIT
    ):
        raise SendLimitExceeded


def _new_code(target: str, purpose: str) -> str:
    """Stores a fresh code for the target, replacing any earlier one, and returns it."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        # A new code supersedes every earlier one for this target and purpose.
        VerificationCode.objects.filter(target=target, purpose=purpose).delete()
        VerificationCode.objects.create(
            target=target,
            purpose=purpose,
            code_hash=_hash_code(target, purpose, code),
            created_at=now,
            expires_at=now + settings.VERIFICATION_CODE_TTL,
        )
    return code


def _minutes() -> int:
    return int(settings.VERIFICATION_CODE_TTL.total_seconds() // 60)


def issue_code(mobile: str, purpose: str) -> None:
    """Creates a fresh code for the number (E.164), replacing any unused one, and
    texts it."""
    code = _new_code(mobile, purpose)
    send_sms(
        mobile,
        _(
            "Your Talent Harbor verification code is %(code)s. It is valid for "
            "%(minutes)d minutes. Never tell it to anyone."
        )
        % {"code": code, "minutes": _minutes()},
    )


def issue_email_code(email: str, purpose: str) -> None:
    """As issue_code, by e-mail: for numbers a text message cannot reach."""
    code = _new_code(email, purpose)
    send_mail(
        _("Your Talent Harbor verification code"),
        _(
            "Your Talent Harbor verification code is %(code)s.\n\n"
            "Type it on the registration page. It is valid for %(minutes)d "
            "minutes and works once. Never tell it to anyone.\n\n"
            "If you did not ask for it, ignore this message: no account is "
            "opened without the code."
        )
        % {"code": code, "minutes": _minutes()},
        None,
        [email],
    )


def consume_code(target: str, purpose: str, code: str) -> bool:
    """True if `code` is the live code for this number (or address) and purpose;
    it is then used up.

    A wrong guess counts against the live code, which dies after
    MAX_FAILED_ATTEMPTS of them.
    """
    now = timezone.now()
    live = (
        VerificationCode.objects.filter(
            target=target,
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=now,
            failed_attempts__lt=MAX_FAILED_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )
    if live is None:
        return False
    if not constant_time_compare(live.code_hash, _hash_code(target, purpose, code)):
        VerificationCode.objects.filter(pk=live.pk).update(
            failed_attempts=F("failed_attempts") + 1
        )
        return False
    # The condition on used_at makes two simultaneous submissions of one code
    # succeed only once.
    return bool(
        VerificationCode.objects.filter(pk=live.pk, used_at__isnull=True).update(
            used_at=now
        )
    )
