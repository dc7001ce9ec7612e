"""The one base for every wagtail-modeladmin registration of the hall.

wagtail-modeladmin leaves three holes that Django's own admin closes:

- its list applies any query parameter it does not know as an ORM lookup
  (``?application__applicant__password__startswith=md5$``), which turns every
  list into an oracle on related rows; Django's admin refuses such lookups;
- a filter value the database cannot use (``?district__id__exact=x``) raises
  IncorrectLookupParameters out of the view, a 500;
- its history view checks nothing beyond admin access, and its inspect, edit
  and delete views find the object among all rows, not among those the list
  shows, so a scoped list (visible cases only) is bypassed by typing a pk.

``HallModelAdmin`` plugs them: the list takes only the parameters of its
declared ``list_filter`` (plus ``extra_filter_params``, which the admin's own
``get_queryset`` or view handles), answers 400 with a translated message for a
value it cannot use, and every view about one object requires the list's rights
and finds the object only inside the list's queryset (404 otherwise, so the
answer does not tell whether the object exists).
"""

from django.contrib.admin import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    get_fields_from_path,
    lookup_spawns_duplicates,
    prepare_lookup_value,
)
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import (
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
)

from cms.core.params import parse_int

BAD_FILTER_TEMPLATE = "core/admin_bad_filter.html"


class ReadOnlyPermissionHelper(PermissionHelper):
    """For records the hall writes itself (applications, deliveries, access
    records): listed and inspected, never created, edited or deleted in the
    admin."""

    def user_can_create(self, user) -> bool:
        return False

    def user_can_edit_obj(self, user, obj) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False


def whole_number_filter(list_filter, *, maximum: int | None = None) -> int | None:
    """A list filter's value as a whole number, None when the filter is unset.

    Any other value ("x", "²", thirty digits) is refused as a bad lookup, which
    the list answers with a 400 page: ``str.isdigit()`` would let "²" through
    to ``int()``.
    """
    value = list_filter.value()
    if value is None or value == "":
        return None
    number = parse_int(value, maximum=maximum)
    if number is None:
        raise IncorrectLookupParameters(list_filter.parameter_name)
    return number


def filter_specs(model_admin, request, params: dict) -> tuple[list, bool]:
    """The declared list filters of ``model_admin``, built the way
    wagtail-modeladmin builds them; each takes its own parameters out of
    ``params``. Also used by exports that must filter exactly like the list."""
    specs = []
    use_distinct = False
    for list_filter in model_admin.get_list_filter(request):
        if callable(list_filter):
            spec = list_filter(request, params, model_admin.model, model_admin)
        else:
            field_path = None
            if isinstance(list_filter, (tuple, list)):
                field, filter_class = list_filter
            else:
                field, filter_class = list_filter, FieldListFilter.create
            if isinstance(field, str):
                field_path = field
                field = get_fields_from_path(model_admin.model, field_path)[-1]
            spec = filter_class(
                field,
                request,
                params,
                model_admin.model,
                model_admin,
                field_path=field_path,
            )
            use_distinct = use_distinct or lookup_spawns_duplicates(
                model_admin.model._meta, field_path
            )
        if spec and spec.has_output():
            specs.append(spec)
    return specs, use_distinct


class DeclaredFiltersIndexView(IndexView):
    """A list that filters by its declared filters only, and says 400 (not
    500) when a filter value cannot be used."""

    # modeladmin's own ?export= writes an unaudited spreadsheet of the list:
    # exports go through the hall's own audited views.
    FORMATS = ()

    def dispatch(self, request, *args, **kwargs):
        # PostgreSQL refuses NUL in text: a search or filter carrying one would
        # fail in the database.
        values = (value for _key, values in request.GET.lists() for value in values)
        if any("\x00" in value for value in values):
            return self.bad_filter_response(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except (IncorrectLookupParameters, ValidationError):
            return self.bad_filter_response(request)

    def bad_filter_response(self, request):
        return TemplateResponse(
            request,
            BAD_FILTER_TEMPLATE,
            {
                "title": self.get_page_title(),
                "message": _(
                    "This list cannot be filtered by one of the values in the "
                    "address. Open the list again and choose the filter from it."
                ),
                "index_url": self.index_url,
            },
            status=400,
        )

    def get_queryset(self, request=None):
        # Built once per request: modeladmin asks again for the context, and
        # each build runs every filter's choices query.
        if getattr(self, "_built_queryset", None) is None:
            self._built_queryset = super().get_queryset(request)
        return self._built_queryset

    def get_context_data(self, **kwargs):
        """modeladmin's list context with each count made once: the paginator
        reuses the list's count, and the total equals it unless a filter or a
        search narrows the list (each is a COUNT over every visible row)."""
        queryset = self.get_queryset()
        result_count = queryset.count()
        narrowed = bool(self.query) or bool(self.get_filters_params())
        all_count = self.get_base_queryset().count() if narrowed else result_count
        paginator = self.paginator_class(queryset, self.items_per_page)
        paginator.count = result_count  # a cached_property: no second COUNT
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        context = {
            "view": self,
            "all_count": all_count,
            "result_count": result_count,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(
                self.request.user
            ),
            "show_search": self.search_handler.show_search_form,
        }
        if self.is_pagemodel:
            return super().get_context_data(**kwargs)
        context.update(kwargs)
        # Past IndexView's own, which would count everything again.
        return super(IndexView, self).get_context_data(**context)

    def get_filters(self, request):
        params = self.get_filters_params()
        specs, use_distinct = filter_specs(self.model_admin, request, params)
        # What the filters did not take is dropped unless the admin declared it:
        # an undeclared parameter is never an ORM lookup.
        extra = getattr(self.model_admin, "extra_filter_params", ())
        remaining = {}
        for key, value in params.items():
            if key in extra:
                remaining[key] = prepare_lookup_value(key, value)
        return specs, bool(specs), remaining, use_distinct


class ListScopedMixin:
    """A view about one object: the object must be one the list shows this
    user (the admin's get_queryset) and the user must be allowed the list."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # login_required
        in_list = (
            self.model_admin.get_queryset(request).filter(pk=self.instance.pk).exists()
        )
        if not in_list:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_list(
            user
        ) and super().check_action_permitted(user)


class ScopedInspectView(ListScopedMixin, InspectView):
    pass


class ScopedEditView(ListScopedMixin, EditView):
    pass


class ScopedDeleteView(ListScopedMixin, DeleteView):
    pass


class ScopedHistoryView(ListScopedMixin, HistoryView):
    """The history of an object tells who changed it and when: the same
    rights as seeing it in the list."""

    pass


class HallModelAdmin(ModelAdmin):
    """Every modeladmin registration of the hall derives from this class
    (tests/cms/test_modeladmin_rights.py walks the registrations)."""

    index_view_class = DeclaredFiltersIndexView
    inspect_view_class = ScopedInspectView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    # Query parameters the list accepts besides those of its declared filters,
    # handled by get_queryset or the index view itself (exact field lookups).
    extra_filter_params: tuple[str, ...] = ()
