"""The register of staff access to personal data (PIPL Art. 55-57).

One row each time staff open a case or a talent record, download an applicant's
file, reveal masked personal data, export, or look someone up by ID number:
who, what kind of access to which object, when, from which address, and the
reason they gave where one is asked. Rows are append-only (the base refuses
saving an existing row and deleting, one by one or in bulk), the model has no
add/change/delete permission to grant, and only administrators read them
(forms/casework/access_admin.py).

The object is kept as content type, id and a label (a receipt or certificate
number, a form's title), not as a foreign key: a record outlives what it is
about, and the label never carries the personal data itself.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms.models.audit import AppendOnlyModel

REASON_MAX_LENGTH = 300


class AccessKind(models.TextChoices):
    VIEW = "view", _("Opened a case or record")
    FILE = "file", _("Downloaded an applicant's file")
    REVEAL = "reveal", _("Revealed masked personal data")
    EXPORT = "export", pgettext_lazy("access record", "Exported")
    ID_LOOKUP = "id_lookup", _("Looked up by ID number")


class AccessRecord(AppendOnlyModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        pgettext_lazy("access record", "kind of access"),
        max_length=20,
        choices=AccessKind,
        db_index=True,
    )
    object_type = models.ForeignKey(
        ContentType,
        verbose_name=pgettext_lazy("access record", "type of object"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(
        pgettext_lazy("access record", "object id"), max_length=64, blank=True
    )
    object_label = models.CharField(
        pgettext_lazy("access record", "object"),
        max_length=200,
        blank=True,
        db_index=True,
    )
    reason = models.TextField(
        pgettext_lazy("access record", "reason"),
        max_length=REASON_MAX_LENGTH,
        blank=True,
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-created_at", "-pk"]
        # Nothing to grant but reading: no role can be given change or delete.
        default_permissions = ("view",)
        indexes = [
            models.Index(
                fields=["object_type", "object_id"], name="applications_access_object"
            ),
            models.Index(
                fields=["user", "created_at"], name="applications_access_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_label or ''}".strip()

    @classmethod
    def record(
        cls,
        request,
        kind: str,
        obj=None,
        *,
        model=None,
        label: str = "",
        reason: str = "",
        **detail,
    ) -> "AccessRecord":
        """Write one record for ``request.user``; ``obj`` (or only its
        ``model``, for lists and lookups) is what was looked at."""
        from cms.core.client_ip import client_ip

        model = model or (type(obj) if obj is not None else None)
        return cls.objects.create(
            user=request.user,
            kind=kind,
            object_type=(
                ContentType.objects.get_for_model(model) if model is not None else None
            ),
            object_id=str(obj.pk) if obj is not None else "",
            object_label=(label or (object_label(obj) if obj is not None else ""))[
                :200
            ],
            reason=reason[:REASON_MAX_LENGTH],
            detail=detail,
            client_ip=client_ip(request) or None,
        )


def object_label(obj) -> str:
    """What staff call the object: never a name or an ID number."""
    for attribute in ("receipt_number", "certificate_number", "title"):
        value = getattr(obj, attribute, "")
        if value:
            return str(value)
    return f"#{obj.pk}"
