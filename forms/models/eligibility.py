"""Eligibility rules per service item, what the hall knows of a talent beyond
the talent database, and the benefits it found for them (免申即享)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from forms.eligibility.logic import RuleError, validate, validate_amount


class EligibilityRule(RevisionMixin, models.Model):
    """Who may have one service item's benefit, as JSON Logic over the facts of
    forms/eligibility/facts.py. Every save in the admin keeps a revision."""

    service_item = models.ForeignKey(
        "services.ServiceItem",
        verbose_name=_("service item"),
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
    )
    name = models.CharField(_("name"), max_length=120)
    policy_clause = models.CharField(
        _("policy clause"),
        max_length=200,
        help_text=_(
            "The policy and article the rule comes from, as the talent reads it."
        ),
    )
    logic = models.JSONField(_("conditions"), default=dict)
    amount = models.JSONField(
        _("amount"),
        null=True,
        blank=True,
        help_text=_("Optional: the amount in yuan, or a table of amounts by tier."),
    )
    amount_text = models.CharField(
        _("amount or range in words"), max_length=120, blank=True
    )
    time_limit = models.CharField(_("time limit"), max_length=120, blank=True)
    automatic = models.BooleanField(
        _("offered without application (免申即享)"),
        default=False,
        help_text=_(
            "When a talent newly qualifies, a case opens for staff to confirm, "
            "without an application."
        ),
    )
    is_active = models.BooleanField(_("in force"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="content_type",
        object_id_field="object_id",
        for_concrete_model=False,
        related_query_name="eligibility_rule",
    )

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["service_item__sort_order", "service_item__name", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # One place guards the shape of a rule, whoever writes it (admin,
        # importer, shell): an invalid rule is never stored.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            validate(self.logic)
        except RuleError as error:
            errors["logic"] = error.messages
        try:
            validate_amount(self.amount)
        except RuleError as error:
            errors["amount"] = error.messages
        if errors:
            raise ValidationError(errors)


class TalentFacts(models.Model):
    """What a signed-in talent told the calculator that the talent database
    does not hold (degree, family, ...). Only their own answers, only facts of
    the registry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="eligibility_facts",
    )
    facts = models.JSONField(_("answers"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("talent's answers")
        verbose_name_plural = _("talents' answers")

    def __str__(self) -> str:
        return str(self.user)


class OfferStatus(models.TextChoices):
    NOTIFIED = "notified", _("told the talent")
    TO_CONFIRM = "to_confirm", _("waiting for staff to confirm")
    CONFIRMED = "confirmed", _("confirmed by staff")
    DECLINED = "declined", _("declined by staff")


class BenefitOffer(models.Model):
    """A benefit the hall found a talent eligible for. Once per talent and
    rule, so a profile that changes again never tells them twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("talent"),
        on_delete=models.CASCADE,
        related_name="benefit_offers",
    )
    rule = models.ForeignKey(
        EligibilityRule,
        verbose_name=_("eligibility rule"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    district = models.CharField(_("district"), max_length=60, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=OfferStatus.choices)
    created_at = models.DateTimeField(_("found"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("benefit found")
        verbose_name_plural = _("benefits found")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "rule"], name="applications_offer_once"
            )
        ]
        permissions = [("export_benefitoffer", _("Can export benefits found"))]

    def __str__(self) -> str:
        return f"{self.rule} · {self.user}"
