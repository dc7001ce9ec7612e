"""Publicity (公示): approved applications published in batches, with masked
personal data, for a period of working days during which anyone may object.

An entry keeps the masked text that the public page shows, written when the
batch is published: the page reads only these columns, so nothing unmasked can
reach it (docs/security.md G4). An open or upheld objection holds its application:
it does not complete when the period ends.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms.models.applications import Application

DEFAULT_WORKING_DAYS = 5


class PublicityBatch(models.Model):
    """One publicity announcement: a title, a period and the applications in it."""

    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("For example: 2026年第三批高层次人才认定公示"),
    )
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the list: what is published and why."),
    )
    applications = models.ManyToManyField(
        Application,
        through="PublicityEntry",
        verbose_name=_("applications"),
        related_name="publicity_batches",
        blank=True,
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    working_days = models.PositiveSmallIntegerField(
        _("working days"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the days of the applications' publicity step."),
    )
    ends_on = models.DateField(_("last day"), null=True, blank=True, editable=False)
    contact_phone = models.CharField(
        _("phone for objections"), max_length=40, blank=True
    )
    contact_address = models.CharField(
        _("address for objections"), max_length=200, blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("taken down"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("publicity batch")
        verbose_name_plural = _("publicity batches")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.working_days = self.working_days or DEFAULT_WORKING_DAYS
        self.ends_on = self.compute_ends_on()
        super().save(*args, **kwargs)

    def compute_ends_on(self) -> datetime.date | None:
        """The last day of the period: the first working day from ``starts_on``
        counts as day one."""
        from cms.core.workdays import add_working_days

        if not self.starts_on:
            return None
        days = self.working_days or DEFAULT_WORKING_DAYS
        first = add_working_days(self.starts_on, 0)
        return add_working_days(first, days - 1)

    @property
    def is_live(self) -> bool:
        """Shown to the public now."""
        return bool(
            self.published_at
            and not self.closed_at
            and self.starts_on <= timezone.localdate()
        )

    @property
    def period_over(self) -> bool:
        return bool(self.ends_on and timezone.localdate() > self.ends_on)

    @property
    def accepts_objections(self) -> bool:
        return self.is_live and not self.period_over

    @property
    def state_label(self) -> str:
        if self.closed_at:
            return str(_("Taken down"))
        if self.published_at:
            return str(_("Published"))
        return str(_("Not published"))


class PublicityEntry(models.Model):
    """An application in a batch, with the masked text the public sees."""

    batch = models.ForeignKey(
        PublicityBatch,
        verbose_name=_("publicity batch"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="publicity_entries",
    )
    number = models.PositiveIntegerField(_("number"), default=0)
    masked_name = models.CharField(_("name"), max_length=60, blank=True)
    masked_id = models.CharField(_("ID number"), max_length=40, blank=True)
    employer_name = models.CharField(_("employer"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=200, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("publicity entry")
        verbose_name_plural = _("publicity entries")
        ordering = ["batch", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "application"], name="applications_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.masked_name}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


# These keep an application from completing at the end of the period.
HOLDING_STATUSES = (ObjectionStatus.OPEN, ObjectionStatus.UPHELD)


class Objection(models.Model):
    """An objection (异议) to an application in publicity, from anyone."""

    batch = models.ForeignKey(
        PublicityBatch,
        verbose_name=_("publicity batch"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile number"), max_length=20)
    relation = models.CharField(_("relation to the person"), max_length=60, blank=True)
    content = models.TextField(_("objection"), max_length=2000)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
        db_index=True,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.created_at:%Y-%m-%d}"
