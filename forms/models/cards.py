"""The digital talent card (港湾卡), partner organisations and the verification
counts (docs/cards.md).

A card is the talent profile's public face: a random serial that signed tokens
carry instead of anything personal. Verifications are counted per partner, day
and outcome only: no card, person or address is recorded.
"""

import secrets

from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms.models.talents import TalentProfile


def new_serial() -> str:
    return secrets.token_urlsafe(9)


class TalentCard(models.Model):
    profile = models.OneToOneField(
        TalentProfile,
        verbose_name=_("talent profile"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="card",
    )
    # Kept when the profile is deleted, so its tokens answer "revoked".
    serial = models.CharField(
        _("serial"), max_length=16, unique=True, default=new_serial, editable=False
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        verbose_name = _("talent card")
        verbose_name_plural = _("talent cards")

    def __str__(self) -> str:
        return self.serial


class PartnerKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    SANATORIUM = "sanatorium", _("Sanatorium or retreat")
    SCHOOL = "school", _("School")
    OTHER = "other", pgettext_lazy("partner kind", "Other")


class Partner(models.Model):
    """An organisation that honours the talent card, and what it offers."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    code = models.SlugField(
        _("partner code"),
        max_length=40,
        unique=True,
        help_text=_(
            "Letters, digits and hyphens; it identifies the partner's verification "
            "link, so verifications are counted for it."
        ),
    )
    benefits = models.TextField(
        _("benefits honoured"),
        help_text=_("One benefit per line, e.g. a green channel for appointments."),
    )
    tiers = models.ManyToManyField(
        "core.TalentTier",
        verbose_name=_("tiers"),
        blank=True,
        related_name="partners",
        help_text=_("Leave empty when every tier is served."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("service phone"), max_length=40, blank=True)
    active = models.BooleanField(_("shown on cards"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def benefit_lines(self) -> list[str]:
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


class VerificationOutcome(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    INVALID = "invalid", _("Not a genuine card")


class VerificationCount(models.Model):
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="verification_counts",
    )
    day = models.DateField(_("day"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=VerificationOutcome.choices
    )
    count = models.PositiveIntegerField(_("verifications"), default=0)

    class Meta:
        verbose_name = _("verification count")
        verbose_name_plural = _("verification counts")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "day", "outcome"],
                condition=Q(partner__isnull=False),
                name="applications_verification_partner_day",
            ),
            models.UniqueConstraint(
                fields=["day", "outcome"],
                condition=Q(partner__isnull=True),
                name="applications_verification_nobody_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner or '-'} {self.day} {self.outcome}: {self.count}"

    @classmethod
    def add(cls, partner: Partner | None, outcome: str) -> None:
        """One more verification of this outcome today, safe under concurrency."""
        day = timezone.localdate()
        rows = cls.objects.filter(partner=partner, day=day, outcome=outcome)
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(partner=partner, day=day, outcome=outcome, count=1)
        except IntegrityError:  # created by a concurrent verification
            rows.update(count=F("count") + 1)
