"""The submitted applications in the admin: the list (wagtail-modeladmin) with
its search and filters, exports of a form's applications, and the lookup by ID
number. Who sees which application is decided in one place,
forms.casework.rights.visible_applications."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail_modeladmin.helpers import ButtonHelper

from cms.core import crypto
from cms.core.modeladmin import (
    DeclaredFiltersIndexView,
    ReadOnlyPermissionHelper,
    ScopedInspectView,
)
from cms.core.params import parse_int
from forms.builder.admin_views import (
    EXPORT,
    FORM_FILTER,
    REVEAL,
    applications_index_url,
    can_list_applications,
    is_back_office,
    looks_like_id,
)
from forms.casework.exports import CONTENT_TYPES, FORMATS, export_chunks
from forms.casework.rights import officer_candidates, visible_applications
from forms.models import (
    AccessKind,
    AccessRecord,
    ApplicationFormPage,
)
from forms.models.access import REASON_MAX_LENGTH, object_label

# --- exports (docs/security.md H1, H2) ---


class ExportReasonForm(forms.Form):
    """Every export of personal data says why (PIPL Art. 6: a specific purpose);
    the reason is kept in the access record."""

    reason = forms.CharField(
        label=gettext_lazy("Purpose of this export"),
        max_length=REASON_MAX_LENGTH,
        strip=True,
    )


def export_reason(request, back: str):
    """The stated reason of an export, or a redirect back to the list that
    asks for it."""
    form = ExportReasonForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    messages.error(request, _("Say why you export these records."))
    return "", HttpResponseRedirect(back)


@never_cache
@require_POST
@login_required
def export_applications(request, form_id: int, file_format: str):
    """Stream a form's submitted applications; masked unless revealed, audited."""
    user = request.user
    if not can_list_applications(user):
        raise Http404  # no casework role: no sign that cases exist (docs/security.md D1)
    if file_format not in FORMATS or not (
        is_back_office(user) and user.has_perm(EXPORT)
    ):
        raise PermissionDenied
    form = get_object_or_404(ApplicationFormPage, pk=form_id)
    reason, refused = export_reason(request, applications_index_url(form))
    if refused:
        return refused
    reveal = request.POST.get("reveal") == "1" and user.has_perm(REVEAL)
    queryset = visible_applications(user).filter(form=form)
    rows = queryset.count()
    AccessRecord.record(
        request,
        AccessKind.EXPORT,
        form,
        reason=reason,
        rows=rows,
        format=file_format,
        revealed=reveal,
    )
    response = StreamingHttpResponse(
        export_chunks(form, queryset, file_format, reveal=reveal),
        content_type=CONTENT_TYPES[file_format],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="applications-{form.pk}-{stamp}.{file_format}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- lookup by ID number (docs/security.md G7: never in a URL) ---


@never_cache
@sensitive_post_parameters("id_number")
@require_POST
@login_required
def find_by_id(request):
    """Turn a typed ID number into its blind index and list the matches.

    The number arrives by POST; the list's address carries only the keyed hash.
    """
    if not can_list_applications(request.user):
        raise Http404  # as for a case: staff without a casework role see nothing
    return redirect_to_id_matches(
        request, visible_applications(request.user), applications_index_url
    )


# A lookup names at most this many of the records it found.
MAX_RECORDED_MATCHES = 50


def redirect_to_id_matches(request, queryset, index_url):
    """Send a POSTed ID number to a list as its keyed hash, on record.

    ``index_url(**params)`` builds the list's address; the number itself never
    goes into it (docs/security.md G7), nor into the access record, which names the
    records found instead.
    """
    number = request.POST.get("id_number", "").strip()
    if not number:
        messages.error(request, _("Type an ID number to look for."))
        return HttpResponseRedirect(index_url())
    digest = crypto.blind_index(number)
    matches = queryset.filter(id_digest=digest).order_by("pk")
    found = [object_label(match) for match in matches[:MAX_RECORDED_MATCHES]]
    AccessRecord.record(
        request,
        AccessKind.ID_LOOKUP,
        model=queryset.model,
        label=found[0] if len(found) == 1 else "",
        matches=matches.count(),
        found=found,
    )
    return HttpResponseRedirect(index_url(id_digest=digest))


# --- wagtail-modeladmin pieces for ApplicationAdmin (registered in wagtail_hooks) ---


class ApplicationPermissionHelper(ReadOnlyPermissionHelper):
    """Read-only: applications are created by applicants, never in the admin."""

    def user_can_list(self, user) -> bool:
        return can_list_applications(user)

    def user_can_inspect_obj(self, user, obj) -> bool:
        return visible_applications(user).filter(pk=obj.pk).exists()


class CaseButtonHelper(ButtonHelper):
    """Every listed row is visible (the list is visible_applications), so the
    row links straight to the case without a permission query per row."""

    def get_primary_button(self, obj):
        from forms.casework.admin_views import case_url

        return {
            "url": case_url(obj),
            "label": _("Open"),
            "classname": "button button-small button-secondary",
            "title": _("Open the case %(receipt)s") % {"receipt": obj.receipt_number},
        }

    def get_buttons_for_obj(self, obj, **kwargs):
        return [self.get_primary_button(obj)]


class PrivateSearchIndexView(DeclaredFiltersIndexView):
    """A modeladmin list whose address never carries an ID number (it filters
    by the keyed hash, ``id_digest``, one of the admin's extra_filter_params)."""

    def dispatch(self, request, *args, **kwargs):
        query = request.GET.get(self.SEARCH_VAR, "")
        if query and looks_like_id(query):
            # Already in this one address; at least not in the next ones.
            messages.warning(
                request,
                _(
                    "ID numbers are searched with 'Find by ID number', so that they "
                    "never appear in an address."
                ),
            )
            params = request.GET.copy()
            del params[self.SEARCH_VAR]
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")
        return super().dispatch(request, *args, **kwargs)


class ApplicationIndexView(PrivateSearchIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = None
        form_id = parse_int(self.params.get(FORM_FILTER))
        if form_id is not None:
            form = ApplicationFormPage.objects.filter(pk=form_id).first()
        user = self.request.user
        context.update(
            {
                "export_form": form,
                "can_export": form is not None and user.has_perm(EXPORT),
                "can_reveal": user.has_perm(REVEAL),
                "formats": FORMATS,
                "find_by_id_url": reverse("applications_admin:find_by_id"),
                "id_filtered": "id_digest" in self.params,
                "bulk_assign_url": reverse("applications_cases:bulk_assign"),
                "officers": officer_candidates(),
            }
        )
        return context


class ApplicationInspectView(ScopedInspectView):
    """The case view replaced modeladmin's inspect page; old links still work."""

    def get(self, request, *args, **kwargs):
        from forms.casework.admin_views import case_url

        return HttpResponseRedirect(case_url(self.instance))
