"""The talent database (人才库): one profile per recognised person.

A person is identified by the blind index of their ID number (cms.core.crypto), so
a second approval or a roster import updates the profile instead of adding a
twin. The number itself is kept only encrypted, beside its masked form for lists
and exports (docs/security.md G2, G3).
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.models.applications import Application, ReceiptCounter

# The counter row of certificate numbers lives beside the receipt counters; the
# colon keeps it apart from any receipt prefix an administrator could type.
CERTIFICATE_COUNTER = "cert:"


class TalentProfile(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_profiles",
    )
    name = models.CharField(_("name"), max_length=50)
    id_digest = models.CharField(max_length=64, blank=True, editable=False)
    id_cipher = models.TextField(blank=True, editable=False)
    id_masked = models.CharField(
        _("ID number"), max_length=40, blank=True, editable=False
    )
    id_kind = models.CharField(max_length=20, blank=True, editable=False)
    tier = models.ForeignKey(
        "core.TalentTier",
        verbose_name=_("tier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talent_profiles",
    )
    tier_name = models.CharField(
        _("tier as written"),
        max_length=60,
        blank=True,
        help_text=_("Kept when it matches none of the talent tiers."),
    )
    industry = models.CharField(_("field or industry"), max_length=60, blank=True)
    employer = models.ForeignKey(
        "accounts.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_profiles",
    )
    employer_name = models.CharField(_("employer name"), max_length=120, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=40, unique=True, editable=False
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # A recognition withdrawn in the talent database revokes the talent card.
    revoked_on = models.DateField(
        _("withdrawn on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the recognition is withdrawn; the talent card is revoked."
        ),
    )
    revocation_reason = models.CharField(
        _("reason for withdrawal"), max_length=200, blank=True
    )
    source_application = models.ForeignKey(
        Application,
        verbose_name=_("from application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_profiles",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent profiles")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_digest"],
                condition=~Q(id_digest=""),
                name="applications_talent_id_unique",
            )
        ]
        permissions = [("export_talentprofile", _("Can export talent profiles"))]

    def __str__(self) -> str:
        return self.certificate_number

    def save(self, *args, **kwargs):
        if not self.certificate_number:
            number = next_certificate_number()
            # An imported roster may already hold numbers of this series.
            while TalentProfile.objects.filter(certificate_number=number).exists():
                number = next_certificate_number()
            self.certificate_number = number
        super().save(*args, **kwargs)

    @property
    def tier_label(self) -> str:
        return self.tier.name if self.tier else self.tier_name

    @property
    def is_valid(self) -> bool:
        return self.revoked_on is None and (
            self.valid_until is None or self.valid_until >= timezone.localdate()
        )


def next_certificate_number(year: int | None = None) -> str:
    """RC-2026-00001: the next certificate number of the year, without gaps
    between committed numbers (the counter row is locked until commit)."""
    prefix = settings.TALENT_CERTIFICATE_PREFIX
    year = year or timezone.localdate().year
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReceiptCounter.objects.get_or_create(
                    prefix=CERTIFICATE_COUNTER, year=year
                )
        except IntegrityError:
            pass  # created by a concurrent save
        counter = ReceiptCounter.objects.select_for_update().get(
            prefix=CERTIFICATE_COUNTER, year=year
        )
        counter.last = models.F("last") + 1
        counter.save(update_fields=["last"])
        counter.refresh_from_db(fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"
