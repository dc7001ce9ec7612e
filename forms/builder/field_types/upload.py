"""Uploads: the materials an applicant attaches. Files are stored beside the
application (forms/applying/storage.py), not in its answers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from forms.applying.uploads import check_upload
from forms.builder.field_types.base import (
    FIELD_SETTINGS,
    TEXT,
    TEXT_LIST,
    WHOLE,
    FieldType,
    register,
)
from forms.builder.field_types.parts import FieldBlock

FILE_TYPES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
]


class FileBlock(FieldBlock):
    file_types = blocks.MultipleChoiceBlock(
        label=gettext_lazy("allowed types"),
        choices=FILE_TYPES,
        default=["pdf", "jpg", "png"],
    )
    max_size_mb = blocks.IntegerBlock(
        label=gettext_lazy("maximum size per file (MB)"),
        min_value=1,
        max_value=20,
        default=10,
    )
    max_count = blocks.IntegerBlock(
        label=gettext_lazy("maximum number of files"),
        min_value=1,
        max_value=10,
        default=1,
    )
    material_form = blocks.CharBlock(
        label=gettext_lazy("what to provide"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Shown on the checklist, e.g. 原件扫描件, 加盖单位公章."
        ),
    )

    class Meta:
        icon = "upload"
        label = gettext_lazy("File upload")


class MaterialWidget(forms.ClearableFileInput):
    """File input with the files already attached and a box to remove each."""

    template_name = "forms/widgets/material.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.existing: list = []
        self.max_count = 1

    def value_from_datadict(self, data, files, name):
        return {
            "new": files.getlist(name) if hasattr(files, "getlist") else [],
            "remove": data.getlist(f"{name}-remove")
            if hasattr(data, "getlist")
            else [],
        }

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        context["widget"]["existing"] = self.existing
        context["widget"]["max_count"] = self.max_count
        context["widget"]["room"] = max(self.max_count - len(self.existing), 0)
        return context


class MaterialField(forms.Field):
    """Uploads of one material: checks every new file, counts the kept ones."""

    widget = MaterialWidget

    def __init__(self, file_types, max_size_mb, max_count, **kwargs):
        self.file_types = list(file_types)
        self.max_bytes = int(max_size_mb) * 1024 * 1024
        self.max_count = int(max_count)
        self.existing: list = []
        # Checked uploads worth keeping although the field as a whole failed
        # (one file of two refused): the applicant never sends them again.
        self.accepted: list = []
        super().__init__(**kwargs)
        self.widget.max_count = self.max_count
        accept = ",".join(f".{kind}" for kind in self.file_types)
        self.widget.attrs.update({"accept": accept})
        if self.max_count > 1:
            self.widget.attrs["multiple"] = True

    def set_existing(self, files) -> None:
        self.existing = list(files)
        self.widget.existing = self.existing

    def clean(self, value):
        value = value or {"new": [], "remove": []}
        posted = {str(uid) for uid in value.get("remove", [])}
        # Only files attached here can be removed; anything else posted (a
        # forged or stale value, not even a UUID) is ignored.
        removed = {str(f.uuid) for f in self.existing if str(f.uuid) in posted}
        kept = [f for f in self.existing if str(f.uuid) not in removed]
        new = [upload for upload in value.get("new", []) if upload]
        errors, checked = [], []
        self.accepted = []
        for upload in new:
            try:
                checked.append(check_upload(upload, self.file_types, self.max_bytes))
            except ValidationError as error:
                errors.extend(error.messages)
        if self.max_count == 1 and len(checked) == 1 and kept:
            # A field of one file: a new file replaces the one attached.
            removed |= {str(f.uuid) for f in kept}
            kept = []
        total = len(kept) + len(checked)
        if errors:
            if total <= self.max_count:
                self.accepted = checked
            raise ValidationError(errors)
        if self.required and total == 0:
            raise ValidationError(self.error_messages["required"], code="required")
        if total > self.max_count:
            raise ValidationError(
                _("Attach at most %(count)s files here.") % {"count": self.max_count}
            )
        return {"keep": kept, "remove": removed, "new": checked}


@register
class File(FieldType):
    name = "file"
    block_class = FileBlock
    settings = {
        **FIELD_SETTINGS,
        "file_types": TEXT_LIST,
        "max_size_mb": WHOLE,
        "max_count": WHOLE,
        "material_form": TEXT,
    }
    menu_order = 160
    in_group = False
    has_answer = False
    stores_files = True
    condition_operators = ()

    def form_field(self, item, **common):
        return MaterialField(
            item.get("file_types") or ["pdf"],
            item.get("max_size_mb") or 10,
            item.get("max_count") or 1,
            **common,
        )

    def answer_row(self, item, answers, files_by_key, *, reveal):
        files = files_by_key.get(item["key"], [])
        return {"label": item["label"], "files": files} if files else None

    def export_text(self, item, value, files, *, reveal):
        return "、".join(stored.original_name for stored in files)
