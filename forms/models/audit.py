"""Append-only records: the audit trail of what staff and applicants did, and
the base every other append-only record (case events, access records) shares."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.models.applications import Application


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update() and delete() would bypass the per-row guard below."""

    def update(self, **kwargs):
        raise ValueError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise ValueError(f"{self.model.__name__} rows are append-only.")

    # As Django's own: never on the manager. Django reads this attribute of the
    # function; mypy has no way to declare attributes on a def.
    delete.queryset_only = True  # type: ignore[attr-defined]


class AppendOnlyModel(models.Model):
    """Rows written once: saving an existing row or deleting one is refused."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only.")


class AuditEvent(AppendOnlyModel):
    """Append-only record of what staff and applicants did (docs/security.md I1, I2).

    Exports, personal-data reveals and (with casework) every review action write
    one row; nothing updates or deletes them through the application.
    """

    action = models.CharField(_("action"), max_length=40, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(
        cls, action: str, *, request=None, actor=None, application=None, **detail
    ) -> "AuditEvent":
        from cms.core.client_ip import client_ip

        if request is not None and actor is None and request.user.is_authenticated:
            actor = request.user
        return cls.objects.create(
            action=action,
            actor=actor,
            application=application,
            detail=detail,
            client_ip=client_ip(request) if request is not None else None,
        )
