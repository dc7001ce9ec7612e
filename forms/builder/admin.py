"""The form builder in the admin: only form builders create or change application
forms (on every page action), the forms menu and its pages, and the online form
a service guide offers."""

from django.db.models import Q
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from cms.core.permissions import ALL_ACTIONS
from forms.builder import admin_views
from forms.casework import application_list
from forms.casework.timelimits import forms_time_limits
from forms.models import ApplicationFormPage

# --- a service guide's online form ---


@hooks.register("service_guide_form")
def live_form_under(guide):
    """The live form an administrator built under this guide, if any: the guide's
    "Apply online" leads there before any external address."""
    return ApplicationFormPage.objects.child_of(guide).live().first()


@hooks.register("service_guides_time_limits")
def time_limits_of_guides(guides) -> dict:
    """{guide pk: TimeLimits} of the guides with a live form: the form's review
    steps are the one source of the time a guide promises. Two queries for any
    number of guides."""
    by_path = {guide.path: guide.pk for guide in guides}
    if not by_path:
        return {}
    children = Q()
    for guide in guides:
        children |= Q(path__startswith=guide.path, depth=guide.depth + 1)
    forms: dict[int, ApplicationFormPage] = {}
    candidates = (
        ApplicationFormPage.objects.live()
        .filter(children)
        .order_by("path")
        .only("path", "review_none")
    )
    for form in candidates:
        forms.setdefault(by_path[form.path[: -ApplicationFormPage.steplen]], form)
    limits = forms_time_limits(list(forms.values()))
    return {guide_pk: limits[form.pk] for guide_pk, form in forms.items()}


# --- only form builders create or change application forms ---

# What a page that holds a form below it refuses to anyone else: each of these
# would delete, copy, hide or take offline the form with it. Editing and
# publishing the guide itself leave the form as it is.
HOLDER_ACTIONS = frozenset(
    {"delete", "move", "copy", "unpublish", "set_view_restrictions"}
)


def _holds_form(page: Page) -> bool:
    # A page without children holds nothing: no query for the common leaf.
    return bool(page.numchild) and (
        ApplicationFormPage.objects.descendant_of(page).exists()
    )


@hooks.register("restrict_page_actions")
def restrict_form_pages(user, page):
    """Every page action on a form, or on a page holding one, needs the form
    builder's right: Wagtail's page tester consults this on every path (editor,
    bulk actions, privacy, copy, move, revisions, workflow publish)."""
    if admin_views.can_build_forms(user):
        return ()
    if issubclass(page.specific_class or Page, ApplicationFormPage):
        return ALL_ACTIONS
    return HOLDER_ACTIONS if _holds_form(page) else ()


@hooks.register("before_create_page")
def guard_form_creation(request, parent_page, page_class):
    # Creating is checked on the parent, which says nothing of the new page's
    # page type: refuse the form type here.
    if issubclass(page_class, ApplicationFormPage) and not (
        admin_views.can_build_forms(request.user)
    ):
        messages.error(
            request,
            _("Only staff allowed to build application forms may change them."),
        )
        return redirect("wagtailadmin_home")


# --- application forms and their versions ---


class FormsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_forms(request.user)


@hooks.register("register_admin_urls")
def register_forms_admin_urls():
    urls = [
        path("", admin_views.form_list, name="forms"),
        path("<int:form_id>/versions/", admin_views.version_list, name="versions"),
        path(
            "<int:form_id>/versions/<int:number>/",
            admin_views.version_detail,
            name="version",
        ),
        path(
            "<int:form_id>/export/<str:file_format>/",
            application_list.export_applications,
            name="export",
        ),
        path("find-by-id/", application_list.find_by_id, name="find_by_id"),
        path("field-key/", admin_views.field_key, name="field_key"),
    ]
    return [path("application-forms/", include((urls, "applications_admin")))]


@hooks.register("register_admin_menu_item")
def register_forms_menu_item():
    return FormsMenuItem(
        gettext_lazy("Application forms"),
        reverse("applications_admin:forms"),
        icon_name="form",
        order=250,
    )
