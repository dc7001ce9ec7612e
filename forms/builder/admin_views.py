"""The form builder's side of the admin: who may see and build forms, the list
of forms, their versions and a version's definition as a table. The submitted
applications are forms.casework.application_list; the queues and the case view
forms.casework.admin_views."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from forms.builder.blocks import form_blocks
from forms.builder.definition import LAYOUT_TYPES
from forms.builder.field_types import registered
from forms.builder.field_types.choices import YES_NO
from forms.builder.field_types.parts import OPERATORS
from forms.builder.keys import key_for_label
from forms.casework.exports import FORMATS
from forms.casework.rights import visible_applications
from forms.models import (
    Application,
    ApplicationFormPage,
    ApplicationStatus,
    FormVersion,
)

VIEW = "applications.view_application"
BUILD = "applications.build_forms"
EXPORT = "applications.export_application"
REVEAL = "applications.reveal_personal_data"
# The filter parameter of the applications list for one form.
FORM_FILTER = "form__page_ptr__exact"


# --- who sees what ---


def is_back_office(user) -> bool:
    return user.is_active and (user.is_superuser or user.is_hall_staff)


def can_see_forms(user) -> bool:
    return is_back_office(user) and (user.has_perm(VIEW) or user.has_perm(BUILD))


def can_list_applications(user) -> bool:
    """Back-office staff who see at least one case: all of them with the view
    permission, others once a case reached their department, district or them."""
    if not is_back_office(user):
        return False
    return user.has_perm(VIEW) or visible_applications(user).exists()


def can_build_forms(user) -> bool:
    return user.is_active and user.has_perm(BUILD)


# ID numbers: resident (15 or 18), passports and permits. Receipt numbers have
# dashes, so they never look like this.
ID_LIKE = re.compile(r"^(\d{15}|\d{17}[\dX]|[A-Z]{1,3}\d{6,16}|\d{8,10})$")


def looks_like_id(text: str) -> bool:
    return bool(ID_LIKE.match("".join(text.split()).upper()))


def applications_index_url(form=None, **params) -> str:
    url = reverse("applications_application_modeladmin_index")
    if form is not None:
        params[FORM_FILTER] = form.pk
    return f"{url}?{urlencode(params)}" if params else url


def _need(user, test) -> None:
    if not test(user):
        raise PermissionDenied


# --- the page editor ---

# Far beyond a real label or form; bounds the work of one request.
MAX_LABEL_LENGTH = 200
MAX_TAKEN = 500


@never_cache
@login_required
def field_key(request):
    """The key a field's label gives, unique among the keys already taken in
    its form (the editor's script asks as the label is typed)."""
    _need(request.user, can_build_forms)
    label = request.GET.get("label", "")[:MAX_LABEL_LENGTH].replace("\x00", "")
    taken = request.GET.getlist("taken")[:MAX_TAKEN]
    return JsonResponse({"key": key_for_label(label, taken)})


# --- forms and versions ---


@never_cache
@login_required
def form_list(request):
    _need(request.user, can_see_forms)
    visible = visible_applications(request.user)
    submitted = dict(
        visible.values("form").annotate(n=Count("pk")).values_list("form", "n")
    )
    drafts = dict(
        Application.objects.filter(status=ApplicationStatus.DRAFT)
        .values("form")
        .annotate(n=Count("pk"))
        .values_list("form", "n")
    )
    rows = []
    for page in ApplicationFormPage.objects.order_by("path"):
        latest = page.versions.order_by("-number").first()
        rows.append(
            {
                "page": page,
                "parent": page.get_parent(),
                "latest": latest,
                "submitted": submitted.get(page.pk, 0),
                "drafts": drafts.get(page.pk, 0),
                "applications_url": applications_index_url(page),
            }
        )
    return TemplateResponse(
        request,
        "forms/admin/form_list.html",
        {
            "rows": rows,
            "can_export": request.user.has_perm(EXPORT),
            "can_reveal": request.user.has_perm(REVEAL),
            "formats": FORMATS,
        },
    )


@never_cache
@login_required
def version_list(request, form_id: int):
    _need(request.user, can_see_forms)
    page = get_object_or_404(ApplicationFormPage, pk=form_id)
    versions = page.versions.select_related("created_by").annotate(
        count=Count(
            "applications",
            filter=~Q(applications__status=ApplicationStatus.DRAFT),
        )
    )
    return TemplateResponse(
        request,
        "forms/admin/version_list.html",
        {"page": page, "versions": versions.order_by("-number")},
    )


def describe_condition(condition: dict | None, fields: dict[str, dict]) -> str:
    """A condition as people read it: the field's label, the comparison in
    words, the answer (yes/no answers as shown to applicants)."""
    if not condition:
        return ""
    source = fields.get(condition.get("field") or "", {})
    operator = condition.get("operator") or "equals"
    value = "" if operator == "not_empty" else str(condition.get("value") or "")
    if source.get("type") == "yes_no":
        value = str(dict(YES_NO).get(value, value))
    parts = [
        str(source.get("label") or condition.get("field") or ""),
        str(dict(OPERATORS).get(operator, operator)),
        value,
    ]
    return " ".join(part for part in parts if part)


def definition_table(
    definition: list[dict], depth: int = 0, fields: dict[str, dict] | None = None
) -> list[dict]:
    """Rows describing each item of a definition for people, groups indented."""
    labels = {name: block.label for name, block in form_blocks()}
    if fields is None:
        fields = {
            item["key"]: item
            for item in definition
            if isinstance(item, dict) and isinstance(item.get("key"), str)
        }
    rows = []
    for item in definition:
        kind = item.get("type")
        field_type = registered(kind)
        condition = item.get("condition")
        details = []
        if item.get("choices"):
            details.append("、".join(item["choices"]))
        for name in ("min_value", "max_value", "min_date", "max_date", "max_length"):
            if item.get(name) not in (None, ""):
                details.append(f"{name}={item[name]}")
        if item.get("file_types"):
            details.append(
                f"{'/'.join(item['file_types'])}, ≤{item.get('max_size_mb')} MB "
                f"× {item.get('max_count')}"
            )
        if item.get("id_kinds"):
            details.append(", ".join(item["id_kinds"]))
        if item.get("pattern"):
            details.append(f"/{item['pattern']}/")
        rows.append(
            {
                "depth": depth,
                "is_layout": kind in LAYOUT_TYPES,
                "type": labels.get(kind, kind) if kind is not None else None,
                "key": item.get("key", ""),
                "label": item.get("label")
                or item.get("title")
                or item.get("heading")
                or item.get("text", "")[:80],
                "required": field_type is not None and bool(item.get("required", True)),
                "condition": describe_condition(condition, fields),
                "details": "; ".join(details),
            }
        )
        if field_type is not None and field_type.nests_fields:
            rows += definition_table(item.get("fields") or [], depth + 1, fields)
    return rows


@never_cache
@login_required
def version_detail(request, form_id: int, number: int):
    _need(request.user, can_see_forms)
    version = get_object_or_404(
        FormVersion.objects.select_related("form", "created_by"),
        form_id=form_id,
        number=number,
    )
    return TemplateResponse(
        request,
        "forms/admin/version_detail.html",
        {
            "page": version.form,
            "version": version,
            "rows": definition_table(version.definition),
        },
    )
