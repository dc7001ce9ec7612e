"""Satisfaction (好差评): the applicant's rating of a finished case, and the
follow-up a poor rating opens for the department that handled the service."""

from django.conf import settings
from django.contrib.admin import display
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel

from forms.models.applications import Application


class RatingLevel(models.IntegerChoices):
    """The five levels of the national 好差评 scheme, best first."""

    VERY_SATISFIED = 5, _("Very satisfied (非常满意)")
    SATISFIED = 4, _("Satisfied (满意)")
    BASICALLY_SATISFIED = 3, _("Basically satisfied (基本满意)")
    DISSATISFIED = 2, _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("Very dissatisfied (非常不满意)")


# 不满意 or worse opens a follow-up; 基本满意 or better counts as satisfied.
POOR_AT_MOST = RatingLevel.DISSATISFIED
SATISFIED_AT_LEAST = RatingLevel.BASICALLY_SATISFIED


class ServiceRating(models.Model):
    """One rating per application, given by its applicant after the decision."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    score = models.PositiveSmallIntegerField(
        _("rating"), choices=RatingLevel.choices, db_index=True
    )
    comment = models.TextField(
        pgettext_lazy("casework", "comment"), blank=True, max_length=500
    )
    created_at = models.DateTimeField(_("rated"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_score_display()}"

    @property
    def is_poor(self) -> bool:
        return self.score <= POOR_AT_MOST


class FollowUpStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "Open")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")


class RatingFollowUp(models.Model):
    """What the department does about a poor rating, by its own deadline."""

    rating = models.OneToOneField(
        ServiceRating,
        verbose_name=_("rating"),
        on_delete=models.CASCADE,
        related_name="follow_up",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="rating_follow_ups",
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rating_follow_ups",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rating_follow_ups",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        db_index=True,
    )
    due = models.DateField(_("due"), db_index=True)
    resolution = models.TextField(
        _("resolution"),
        blank=True,
        help_text=_(
            "What was done about the rating: contact with the applicant, the cause "
            "found and what changes. Saving closes the follow-up."
        ),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)

    panels = [FieldPanel("resolution")]

    class Meta:
        verbose_name = _("rating follow-up")
        verbose_name_plural = _("rating follow-ups")
        ordering = ["status", "due", "pk"]

    def __str__(self) -> str:
        return f"{self.application} · {self.rating.get_score_display()}"

    @property
    @display(description=_("rating"))
    def rating_level(self) -> str:
        return self.rating.get_score_display()

    @property
    @display(description=_("applicant's comment"))
    def rating_comment(self) -> str:
        return self.rating.comment

    @property
    @display(description=_("overdue"), boolean=True)
    def is_overdue(self) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due < timezone.localdate()
