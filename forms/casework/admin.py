"""Casework in the admin: the submitted applications (wagtail-modeladmin) and the
case pages' addresses."""

from django.contrib.admin import display
from django.urls import include, path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail_modeladmin.options import modeladmin_register

from cms.core.identifiers import mask_name
from cms.core.modeladmin import HallModelAdmin
from forms.builder import admin_views
from forms.casework import admin_views as case_admin
from forms.casework import (
    application_list,
    todo,  # noqa: F401 (registers the dashboard's to-do panel)
    workflow,
)
from forms.models import Application

# --- submitted applications (wagtail-modeladmin) ---


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_list_applications(request.user)


class ApplicationAdmin(HallModelAdmin):
    model = Application
    menu_icon = "doc-full-inverse"
    menu_order = 260
    permission_helper_class = application_list.ApplicationPermissionHelper
    button_helper_class = application_list.CaseButtonHelper
    index_view_class = application_list.ApplicationIndexView
    inspect_view_class = application_list.ApplicationInspectView
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


@hooks.register("register_admin_urls")
def register_case_urls():
    return [
        path(
            "applications/cases/",
            include((case_admin.case_urls(), "applications_cases")),
        )
    ]
