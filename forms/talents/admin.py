"""The talent database (人才库) in the admin: the list with its validity filter,
one profile, masked exports, and finding a talent by ID number
(docs/security.md D1, G3, H2)."""

from django.contrib.admin import SimpleListFilter, display
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict, StreamingHttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import modeladmin_register

from cms.core.identifiers import mask_name
from cms.core.modeladmin import HallModelAdmin, ScopedInspectView
from forms.builder.admin_views import is_back_office
from forms.casework.application_list import (
    PrivateSearchIndexView,
    export_reason,
    redirect_to_id_matches,
)
from forms.casework.exports import CONTENT_TYPES, FORMATS
from forms.models import (
    AccessKind,
    AccessRecord,
    TalentProfile,
)
from forms.publicity.admin import (
    EXPORT_TALENTS,
    REVEAL,
)
from forms.talents import profiles as talents

# --- the talent database ---


class ValidFilter(SimpleListFilter):
    title = gettext_lazy("validity")
    parameter_name = "valid"

    def lookups(self, request, model_admin):
        return [
            ("yes", gettext_lazy("Valid")),
            ("no", gettext_lazy("Expired")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.exclude(valid_until__lt=today)
        if self.value() == "no":
            return queryset.filter(valid_until__lt=today)
        return queryset


class TalentPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return is_back_office(user) and super().user_can_list(user)

    def user_can_create(self, user) -> bool:
        return False  # from approvals and roster imports only


class TalentIndexView(PrivateSearchIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "can_export": user.has_perm(EXPORT_TALENTS),
                "can_reveal": user.has_perm(REVEAL),
                "formats": FORMATS,
                "find_by_id_url": reverse("talents_admin:find_by_id"),
                "id_filtered": "id_digest" in self.params,
                "query_string": self.request.GET.urlencode(),
            }
        )
        return context


class TalentInspectView(ScopedInspectView):
    """A talent's record: name, ID (masked), employer. Opening it is on record."""

    def get(self, request, *args, **kwargs):
        AccessRecord.record(request, AccessKind.VIEW, self.instance)
        return super().get(request, *args, **kwargs)


class TalentProfileAdmin(HallModelAdmin):
    model = TalentProfile
    menu_label = gettext_lazy("Talent database")
    menu_icon = "group"
    menu_order = 280
    permission_helper_class = TalentPermissionHelper
    index_view_class = TalentIndexView
    index_template_name = "forms/publicity/admin_talent_index.html"
    inspect_view_enabled = True
    inspect_view_class = TalentInspectView
    inspect_view_fields = (
        "certificate_number",
        "name",
        "id_masked",
        "tier",
        "tier_name",
        "industry",
        "employer_name",
        "valid_from",
        "valid_until",
        "revoked_on",
        "revocation_reason",
        "source_application",
        "created_at",
        "updated_at",
    )
    list_display = (
        "certificate_number",
        "masked_name",
        "id_masked",
        "tier_label",
        "industry",
        "employer_name",
        "valid_until",
    )
    list_filter = ("tier", "industry", "employer", ValidFilter)
    list_select_related = ("tier",)
    search_fields = ("name", "certificate_number")
    extra_filter_params = ("id_digest",)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("tier"), FieldPanel("tier_name")]),
            FieldPanel("industry"),
            FieldRowPanel([FieldPanel("employer"), FieldPanel("employer_name")]),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
            FieldRowPanel([FieldPanel("revoked_on"), FieldPanel("revocation_reason")]),
        ]
    )

    @display(description=pgettext_lazy("person", "Name"))
    def masked_name(self, profile):
        return mask_name(profile.name)

    @display(description=gettext_lazy("Tier"))
    def tier_label(self, profile):
        return profile.tier_label


modeladmin_register(TalentProfileAdmin)


def _talent_index_url(**params) -> str:
    url = reverse("applications_talentprofile_modeladmin_index")
    return f"{url}?{urlencode(params)}" if params else url


def _can_list_talents(user) -> bool:
    return is_back_office(user) and user.has_perm("applications.view_talentprofile")


@never_cache
@require_POST
@login_required
def export_talents(request, file_format: str):
    """The talent list as filtered, masked unless revealed, audited (H1, H2)."""
    user = request.user
    if file_format not in FORMATS or not (
        _can_list_talents(user) and user.has_perm(EXPORT_TALENTS)
    ):
        raise PermissionDenied
    # PostgreSQL refuses NUL in text; no filter of the list carries one.
    filters = request.POST.get("filters", "").replace("%00", "").replace("\x00", "")
    reason, refused = export_reason(
        request, f"{_talent_index_url()}?{filters}" if filters else _talent_index_url()
    )
    if refused:
        return refused
    reveal = request.POST.get("reveal") == "1" and user.has_perm(REVEAL)
    # The list's own filters and search, so the file is what the page showed.
    params = QueryDict(filters)
    queryset = talents.filter_profiles(params)
    rows = queryset.count()
    AccessRecord.record(
        request,
        AccessKind.EXPORT,
        model=TalentProfile,
        reason=reason,
        rows=rows,
        format=file_format,
        revealed=reveal,
        filters={
            key: value
            for key, value in params.items()
            if key in talents.PROFILE_FILTERS and key != "id_digest"
        },
    )
    response = StreamingHttpResponse(
        talents.export_chunks(queryset, file_format, reveal=reveal),
        content_type=CONTENT_TYPES[file_format],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="talents-{stamp}.{file_format}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@sensitive_post_parameters("id_number")
@require_POST
@login_required
def find_talent_by_id(request):
    if not _can_list_talents(request.user):
        raise PermissionDenied
    return redirect_to_id_matches(
        request, TalentProfile.objects.all(), _talent_index_url
    )


@hooks.register("register_admin_urls")
def register_talent_admin_urls():
    talent_urls = [
        path("export/<str:file_format>/", export_talents, name="export"),
        path("find-by-id/", find_talent_by_id, name="find_by_id"),
    ]
    return [path("talents-admin/", include((talent_urls, "talents_admin")))]
