"""App sign-ins: short-lived access tokens and rotating refresh tokens.

Only SHA-256 digests of the tokens are stored: they are 256-bit random
strings, so a digest without salt cannot be reversed, and a stolen database
signs nobody in. A refresh token is used once; presenting an already used one
(a copy kept by someone else) ends the whole sign-in.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACCESS_PREFIX = "tha_"
REFRESH_PREFIX = "thr_"
# last_used_at is written at most this often, not on every call.
TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


class AppSignIn(models.Model):
    """One sign-in of an app or mini-program, with its current token pair."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="app_sign_ins",
    )
    device = models.CharField(_("device"), max_length=100, blank=True)
    access_digest = models.CharField(max_length=64, unique=True, editable=False)
    access_expires_at = models.DateTimeField(editable=False)
    refresh_digest = models.CharField(max_length=64, unique=True, editable=False)
    previous_refresh_digest = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    expires_at = models.DateTimeField(_("signed in until"))
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        app_label = "applications"
        verbose_name = _("app sign-in")
        verbose_name_plural = _("app sign-ins")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.device}".strip()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


def _pair(sign_in: AppSignIn) -> tuple[str, str]:
    """New tokens for the sign-in (not saved yet)."""
    access, refresh = new_token(ACCESS_PREFIX), new_token(REFRESH_PREFIX)
    sign_in.access_digest = digest(access)
    sign_in.access_expires_at = timezone.now() + settings.API_ACCESS_TOKEN_LIFETIME
    sign_in.refresh_digest = digest(refresh)
    return access, refresh


def issue(user, device: str = "") -> tuple[AppSignIn, str, str]:
    """A new sign-in for a user who has just proved themselves."""
    sign_in = AppSignIn(
        user=user,
        device=device[:100],
        expires_at=timezone.now() + settings.API_REFRESH_TOKEN_LIFETIME,
    )
    access, refresh = _pair(sign_in)
    sign_in.save()
    return sign_in, access, refresh


class RefreshRefused(Exception):
    pass


def rotate(refresh: str) -> tuple[AppSignIn, str, str]:
    """Trade a refresh token for a new pair; the old one stops working."""
    presented = digest(refresh)
    with transaction.atomic():
        sign_in = (
            AppSignIn.objects.select_for_update()
            .select_related("user")
            .filter(refresh_digest=presented)
            .first()
        )
        if sign_in is not None and sign_in.is_active and usable_by(sign_in.user):
            sign_in.previous_refresh_digest = sign_in.refresh_digest
            access, refresh = _pair(sign_in)
            sign_in.last_used_at = timezone.now()
            sign_in.save()
            return sign_in, access, refresh
    if sign_in is None:
        # Someone kept a copy of a used token: nobody trusts this sign-in.
        revoke(AppSignIn.objects.filter(previous_refresh_digest=presented))
    raise RefreshRefused


def usable_by(user) -> bool:
    """Apps are for applicants: the back office stays in the admin."""
    return bool(user.is_active) and not (
        user.is_staff or user.is_superuser or user.is_hall_staff
    )


class AccessRefused(Exception):
    def __init__(self, expired: bool):
        super().__init__("access token refused")
        self.expired = expired


def check_access(token: str) -> AppSignIn:
    """The sign-in an access token belongs to; AccessRefused otherwise."""
    sign_in = (
        AppSignIn.objects.select_related("user")
        .filter(access_digest=digest(token))
        .first()
    )
    if sign_in is None or sign_in.revoked_at is not None:
        raise AccessRefused(expired=False)
    now = timezone.now()
    if sign_in.access_expires_at <= now or sign_in.expires_at <= now:
        raise AccessRefused(expired=True)
    if not usable_by(sign_in.user):
        raise AccessRefused(expired=False)
    if sign_in.last_used_at is None or now - sign_in.last_used_at > TOUCH_EVERY:
        AppSignIn.objects.filter(pk=sign_in.pk).update(last_used_at=now)
    return sign_in


def revoke(sign_ins, by=None) -> int:
    """End sign-ins (a queryset): their tokens stop working at once."""
    return sign_ins.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
