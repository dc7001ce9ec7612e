"""The access records in the Wagtail admin: a read-only list for administrators,
filtered by person, kind of access, date range and object, and its export.

Administrators are superusers and those an administrator gave *Can view access
record* (an auditor); nobody else sees the menu, the list, a record or the
export. No one adds, changes or deletes a record here: the model has no such
permissions and the views refuse.

Registered by importing this module from forms/wagtail_hooks.py.
"""

import datetime

from django.contrib.admin import ListFilter, SimpleListFilter, display
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect, QueryDict, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail_modeladmin.options import modeladmin_register

from cms.core.modeladmin import (
    DeclaredFiltersIndexView,
    HallModelAdmin,
    ReadOnlyPermissionHelper,
    filter_specs,
    whole_number_filter,
)
from forms.builder.admin_views import is_back_office
from forms.casework.application_list import ExportReasonForm, export_reason
from forms.casework.exports import CONTENT_TYPES, FORMATS, csv_chunks, xlsx_chunks
from forms.models import AccessKind, AccessRecord

READ = "applications.view_accessrecord"
# Dates before or after these are typing errors, and would overflow once
# turned into the time zone's datetimes.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999


def can_read_access_records(user) -> bool:
    return is_back_office(user) and (user.is_superuser or user.has_perm(READ))


# --- list filters ---


class UserFilter(SimpleListFilter):
    title = pgettext_lazy("access record", "person")
    parameter_name = "user"

    def lookups(self, request, model_admin):
        users = get_user_model().objects.filter(
            pk__in=AccessRecord.objects.values("user")
        )
        return [
            (str(user.pk), user.real_name or user.get_username())
            for user in users.order_by("real_name", "username")
        ]

    def queryset(self, request, queryset):
        user_id = whole_number_filter(self)
        return queryset if user_id is None else queryset.filter(user_id=user_id)


class ObjectTypeFilter(SimpleListFilter):
    title = pgettext_lazy("access record", "type of object")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.filter(
            pk__in=AccessRecord.objects.values("object_type")
        )
        lookups = []
        for kind in types:
            model = kind.model_class()
            if model is not None:
                lookups.append((str(kind.pk), str(model._meta.verbose_name)))
        return lookups

    def queryset(self, request, queryset):
        kind = whole_number_filter(self)
        return queryset if kind is None else queryset.filter(object_type_id=kind)


class InputFilter(ListFilter):
    """A filter typed into inputs (a date range, a receipt number) rather than
    chosen from links; rendered as a small GET form."""

    template = "forms/admin/input_filter.html"
    # (parameter, label, input type); the label may be a lazy translation.
    inputs: tuple[tuple[str, str | Promise, str], ...] = ()

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.values = {}
        for name in self.expected_parameters():
            if name in params:
                value = params.pop(name)
                if isinstance(value, list):
                    value = value[-1]
                self.values[name] = value.strip()

    def expected_parameters(self):
        return [name for name, _label, _type in self.inputs]

    def has_output(self):
        return True

    def choices(self, changelist):
        own = set(self.expected_parameters())
        yield {
            "inputs": [
                {
                    "name": name,
                    "label": label,
                    "type": kind,
                    "value": self.values.get(name, ""),
                }
                for name, label, kind in self.inputs
            ],
            "hidden": [
                (key, value)
                for key, values in changelist.params.lists()
                if key not in own and key != changelist.PAGE_VAR
                for value in values
            ],
            "clear": changelist.get_query_string(remove=list(own)),
        }


def _date(value: str, parameter: str) -> datetime.date | None:
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise IncorrectLookupParameters(parameter) from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise IncorrectLookupParameters(parameter)
    return day


class DateRangeFilter(InputFilter):
    title = pgettext_lazy("access record", "date range")
    inputs = (
        ("date_from", pgettext_lazy("date range", "From"), "date"),
        ("date_to", pgettext_lazy("date range", "To (inclusive)"), "date"),
    )

    def queryset(self, request, queryset):
        start = _date(self.values.get("date_from", ""), "date_from")
        end = _date(self.values.get("date_to", ""), "date_to")
        zone = timezone.get_current_timezone()
        if start:
            since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
            queryset = queryset.filter(created_at__gte=since)
        if end:
            until = datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
            queryset = queryset.filter(created_at__lt=until)
        return queryset


class ObjectFilter(InputFilter):
    """One object by its label (a receipt or certificate number), with the
    records of its files, whose labels start with it."""

    title = pgettext_lazy("access record", "object")
    inputs = (("object", gettext_lazy("Receipt or certificate number"), "text"),)

    def queryset(self, request, queryset):
        value = self.values.get("object", "")
        if not value:
            return queryset
        if len(value) > 200:
            raise IncorrectLookupParameters("object")
        return queryset.filter(
            Q(object_label=value) | Q(object_label__startswith=f"{value} ")
        )


# --- the list ---


class AccessRecordPermissionHelper(ReadOnlyPermissionHelper):
    def user_can_list(self, user) -> bool:
        return can_read_access_records(user)

    def user_can_inspect_obj(self, user, obj) -> bool:
        return can_read_access_records(user)


class AccessRecordIndexView(DeclaredFiltersIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "export_form": ExportReasonForm(),
                "formats": FORMATS,
                "query_string": self.request.GET.urlencode(),
            }
        )
        return context


class AccessRecordAdmin(HallModelAdmin):
    model = AccessRecord
    menu_label = gettext_lazy("Access records")
    menu_icon = "view"
    menu_order = 320
    permission_helper_class = AccessRecordPermissionHelper
    index_view_class = AccessRecordIndexView
    index_template_name = "forms/admin/access_record_index.html"
    inspect_view_enabled = True
    # An append-only row has no history of changes.
    history_view_enabled = False
    list_display = (
        "created_at",
        "person",
        "kind",
        "what",
        "short_reason",
        "client_ip",
    )
    list_filter = (
        UserFilter,
        "kind",
        DateRangeFilter,
        ObjectTypeFilter,
        ObjectFilter,
    )
    list_select_related = ("user", "object_type")
    search_fields = ("object_label", "reason", "user__username", "user__real_name")
    inspect_view_fields = (
        "created_at",
        "user",
        "kind",
        "object_type",
        "object_id",
        "object_label",
        "reason",
        "detail",
        "client_ip",
    )

    @display(description=gettext_lazy("By"), ordering="user__username")
    def person(self, record):
        return record.user.real_name or record.user.get_username()

    @display(description=pgettext_lazy("access record", "Object"))
    def what(self, record):
        kind = record.object_type.model_class() if record.object_type else None
        kind_name = str(kind._meta.verbose_name) if kind else ""
        return " · ".join(part for part in (kind_name, record.object_label) if part)

    @display(description=gettext_lazy("Reason"))
    def short_reason(self, record):
        return record.reason[:60] + ("…" if len(record.reason) > 60 else "")


modeladmin_register(AccessRecordAdmin)


# --- the export ---


EXPORT_COLUMNS = (
    gettext_lazy("Time"),
    pgettext_lazy("access record", "User name"),
    pgettext_lazy("person", "Name"),
    pgettext_lazy("access record", "Kind of access"),
    pgettext_lazy("access record", "Type of object"),
    pgettext_lazy("access record", "Object id"),
    pgettext_lazy("access record", "Object"),
    gettext_lazy("Reason"),
    gettext_lazy("Client IP"),
)


def _row(record: AccessRecord) -> list[str]:
    kind = record.object_type.model_class() if record.object_type else None
    return [
        timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        record.user.get_username(),
        record.user.real_name,
        record.get_kind_display(),
        str(kind._meta.verbose_name) if kind else "",
        record.object_id,
        record.object_label,
        record.reason,
        record.client_ip or "",
    ]


def filtered_records(request, params: QueryDict):
    """The records as the list shows them with these parameters (its declared
    filters and its search); IncorrectLookupParameters for a bad value."""
    model_admin = AccessRecordAdmin()
    lookup = dict(params.lists())
    queryset = AccessRecord.objects.select_related("user", "object_type")
    specs, _distinct = filter_specs(model_admin, request, lookup)
    for spec in specs:
        queryset = spec.queryset(request, queryset) or queryset
    term = params.get("q", "").strip()
    if term:
        handler = model_admin.get_search_handler(request, model_admin.search_fields)
        queryset = handler.search_queryset(queryset, term)
    return queryset.order_by("-created_at", "-pk")


@never_cache
@require_POST
@login_required
def export_access_records(request, file_format: str):
    """The list as filtered, for a stated reason; the export is itself recorded."""
    if file_format not in FORMATS or not can_read_access_records(request.user):
        raise PermissionDenied
    filters = request.POST.get("filters", "")
    index_url = reverse("applications_accessrecord_modeladmin_index")
    back = f"{index_url}?{filters}" if filters else index_url
    reason, refused = export_reason(request, back)
    if refused:
        return refused
    params = QueryDict(filters)
    try:
        if any("\x00" in value for _key, values in params.lists() for value in values):
            raise IncorrectLookupParameters("NUL")  # PostgreSQL refuses it
        queryset = filtered_records(request, params)
        rows = queryset.count()
    except IncorrectLookupParameters:
        messages.error(request, _("The list's filters could not be used; try again."))
        return HttpResponseRedirect(index_url)
    AccessRecord.record(
        request,
        AccessKind.EXPORT,
        model=AccessRecord,
        reason=reason,
        rows=rows,
        format=file_format,
        filters={key: value for key, value in params.items() if key != "p"},
    )
    language = translation.get_language()

    def lines():
        with translation.override(language):
            for record in queryset.iterator(chunk_size=500):
                yield _row(record)

    headers = [str(label) for label in EXPORT_COLUMNS]
    if file_format == "csv":
        chunks = csv_chunks(headers, lines())
    else:
        chunks = xlsx_chunks(headers, lines(), sheet_name=_("Access records"))
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="access-records-{stamp}.{file_format}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@hooks.register("register_admin_urls")
def register_access_record_urls():
    return [
        path(
            "access-records/export/<str:file_format>/",
            export_access_records,
            name="access_records_export",
        )
    ]
