from django.contrib.admin import display
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.models import Page
from wagtail_modeladmin.options import modeladmin_register

from cms.core.identifiers import mask_name
from cms.core.modeladmin import HallModelAdmin
from cms.core.permissions import ALL_ACTIONS
from forms.builder import admin_views
from forms.casework import admin_views as case_admin
from forms.casework import workflow
from forms.models import Application, ApplicationFormPage
from forms.reporting.figures import application_figures

# --- a service guide's online form ---


@hooks.register("service_guide_form")
def live_form_under(guide):
    """The live form an administrator built under this guide, if any: the guide's
    "Apply online" leads there before any external address."""
    return ApplicationFormPage.objects.child_of(guide).live().first()


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
            admin_views.export_applications,
            name="export",
        ),
        path("find-by-id/", admin_views.find_by_id, name="find_by_id"),
    ]
    return [
        path("application-forms/", include((urls, "applications_admin"))),
        path(
            "applications/cases/",
            include((case_admin.case_urls(), "applications_cases")),
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_forms_menu_item():
    return FormsMenuItem(
        gettext_lazy("Application forms"),
        reverse("applications_admin:forms"),
        icon_name="form",
        order=250,
    )


# --- submitted applications (wagtail-modeladmin) ---


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_list_applications(request.user)


class ApplicationAdmin(HallModelAdmin):
    model = Application
    menu_icon = "doc-full-inverse"
    menu_order = 260
    permission_helper_class = admin_views.ApplicationPermissionHelper
    button_helper_class = admin_views.CaseButtonHelper
    index_view_class = admin_views.ApplicationIndexView
    inspect_view_class = admin_views.ApplicationInspectView
    inspect_view_enabled = True
    index_template_name = "forms/admin/application_index.html"
    list_display = (
        "receipt_number",
        "form",
        "masked_subject",
        "stage",
        "district",
        "departments",
        "officer_name",
        "due",
        "submitted_at",
        "select",
    )
    list_display_add_buttons = "receipt_number"
    list_filter = (
        case_admin.QueueFilter,
        case_admin.StageFilter,
        case_admin.DepartmentFilter,
        "district",
        "form",
        "submitted_at",
    )
    # ID numbers go through the keyed hash ("Find by ID number"), never here.
    search_fields = ("receipt_number", "subject_name")
    extra_filter_params = ("id_digest",)

    def get_queryset(self, request):
        return case_admin.list_queryset(request.user)

    def get_menu_item(self, order=None):
        """The list and its usual queues, one click each."""
        url = self.url_helper.index_url
        items = [
            QueueMenuItem(label, f"{url}{query}", name=name, icon_name=icon, order=n)
            for n, (label, query, name, icon) in enumerate(
                [
                    (gettext_lazy("My work"), "?queue=mine", "my-work", "user"),
                    (gettext_lazy("Due soon"), "?queue=due_soon", "due-soon", "time"),
                    (gettext_lazy("Overdue"), "?queue=overdue", "overdue", "warning"),
                    (gettext_lazy("All visible"), "", "all-cases", "list-ul"),
                ]
            )
        ]
        return SubmenuMenuItem(
            gettext_lazy("Applications"),
            Menu(items=items),
            name="applications",
            icon_name=self.menu_icon,
            order=order or self.get_menu_order(),
        )

    @display(description=pgettext_lazy("person", "Name"))
    def masked_subject(self, application):
        return mask_name(application.subject_name)

    @display(description=gettext_lazy("Stage"))
    def stage(self, application):
        return workflow.stage_label(application)

    @display(description=gettext_lazy("Departments"))
    def departments(self, application):
        held = case_admin.holding_departments(application)
        return "、".join(d.short_name or d.name for d in held) or "—"

    @display(description=gettext_lazy("Case officer"))
    def officer_name(self, application):
        officer = application.officer
        return (officer.real_name or officer.get_username()) if officer else "—"

    @display(description=gettext_lazy("Step due"), ordering="step_due")
    def due(self, application):
        if not application.step_due:
            return "—"
        late = (
            application.status == "submitted"
            and application.step_due < timezone.localdate()
        )
        if late:
            return format_html(
                '<span class="case-overdue" style="color:#cd4444;font-weight:bold">'
                "{}</span>",
                application.step_due.isoformat(),
            )
        return application.step_due.isoformat()

    @display(description=gettext_lazy("Select"))
    def select(self, application):
        # Linked to the bulk form outside the table by its form attribute.
        return format_html(
            '<input type="checkbox" name="case" value="{}:{}" form="bulk-assign" '
            'aria-label="{}">',
            application.uuid,
            application.lock_version,
            application.receipt_number,
        )


modeladmin_register(ApplicationAdmin)


# The hall's public figures: applicants (cms/home/figures.py).
hooks.register("register_hall_figures", application_figures)

# Admin areas kept in their own modules; importing them registers their hooks.
from forms.casework import access_admin  # noqa: E402, F401
from forms.notifications import admin as notification_admin  # noqa: E402, F401
from forms.publicity import admin as publicity_admin  # noqa: E402, F401
from forms.reporting import admin as reporting_admin  # noqa: E402, F401
from forms.talents import admin as talents_admin  # noqa: E402, F401
