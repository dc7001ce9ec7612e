"""Casework: the review steps a form's administrator configures, and what happens
to each application in them (events, supplement requests, department tasks)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from forms.models.applications import Application, ApplicationFormPage
from forms.models.audit import AppendOnlyModel


class StepKind(models.TextChoices):
    ACCEPT = "accept", _("Window acceptance (受理)")
    PREREVIEW = "prereview", _("District pre-review (初审)")
    REVIEW = "review", _("Central review (审核)")
    DEPARTMENT = "department", _("Department handling (部门办理)")
    APPROVE = "approve", _("Final approval (核准)")
    PUBLICITY = "publicity", _("Publicity (公示)")


class CaseAction(models.TextChoices):
    """What can happen to a case; the value is what CaseEvent.action stores.

    Adding one: docs/architecture.md, "Adding a case action"."""

    SUBMITTED = "submitted", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    ACCEPT_WITH_TOLERANCE = (
        "accept_with_tolerance",
        _("Accepted with materials to follow"),
    )
    RETURN = "return", _("Returned for supplement")
    RESUBMIT = "resubmit", _("Supplement sent")
    PASS = "pass", _("Passed")
    # No action writes it any more; events stored under it keep their label.
    DISPATCH = "dispatch", _("Dispatched to departments")
    OPINION = "opinion", _("Department opinion")
    APPROVE = "approve", pgettext_lazy("casework", "Approved")
    REJECT = "reject", _("Not approved")
    ASSIGN = "assign", _("Case officer assigned")
    NOTE = "note", _("Internal note")
    WITHDRAW = "withdraw", _("Withdrawn by the applicant")
    PUBLICITY_END = "publicity_end", _("Publicity ended")
    MATERIALS_RECEIVED = "materials_received", _("Missing materials received")


class ReviewStep(Orderable, ClusterableModel):
    """One step of a form's review, in order; copied into each application at
    submission, so changing the steps never changes a case under way."""

    form = ParentalKey(
        ApplicationFormPage, on_delete=models.CASCADE, related_name="review_steps"
    )
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    name = models.CharField(
        _("name shown"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty for the step's usual name."),
    )
    handler_group = models.ForeignKey(
        Group,
        verbose_name=_("handled by group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Staff of this group act on the step. District pre-review is always "
            "done by staff of the applicant's district (of this group, if set)."
        ),
    )
    departments = ParentalManyToManyField(
        "departments.Department",
        verbose_name=_("departments"),
        blank=True,
        related_name="+",
        help_text=_("Department handling: the departments that handle it in parallel."),
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        default=5,
        help_text=_("For publicity: how many working days it lasts."),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("time_limit_days")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("handler_group")]),
        FieldPanel("departments"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    def snapshot(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,  # empty: the kind's label, in the reader's language
            "group_id": self.handler_group_id,
            "department_ids": sorted(d.pk for d in self.departments.all()),
            "days": self.time_limit_days,
        }


class CaseEvent(AppendOnlyModel):
    """Append-only history of a case: the staff audit trail and, where public,
    the applicant's timeline (docs/security.md I1, I2)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30, blank=True)
    step_index = models.PositiveSmallIntegerField(null=True, blank=True)
    step_name = models.CharField(_("step"), max_length=60, blank=True)
    comment = models.TextField(pgettext_lazy("casework", "comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(
        _("shown to the applicant"),
        default=True,
        help_text=_("Internal notes are not."),
    )
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"


class SupplementRequest(models.Model):
    """Everything missing, at once (一次性告知). With ``tolerance`` the case goes on
    meanwhile (容缺受理) and the listed secondary materials are due by ``due``."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="supplements",
    )
    # [{"key": field key or "", "label": what, "reason": why}]
    items = models.JSONField(_("what is missing"), default=list)
    note = models.TextField(_("note"), blank=True)
    tolerance = models.BooleanField(_("accepted with missing materials"), default=False)
    due = models.DateField(_("due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    resolved_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application} {self.created_at:%Y-%m-%d}"

    @property
    def keys(self) -> set[str]:
        return {item["key"] for item in self.items if item.get("key")}


class DepartmentTask(models.Model):
    """The part of a case dispatched to one department, answered with an opinion."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="department_tasks",
    )
    step_index = models.PositiveSmallIntegerField()
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    agrees = models.BooleanField(_("agrees"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("department task")
        verbose_name_plural = _("department tasks")
        ordering = ["application", "step_index", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step_index", "department"],
                name="applications_task_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.department}"
