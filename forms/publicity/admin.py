"""The admin side of publicity (公示) and the talent database (人才库):
wagtail-modeladmin lists, the publish and objection-handling views, the talent
export and the lookup by ID number.

Imported at the end of forms/wagtail_hooks.py, so Wagtail registers these hooks
with the app's own.
"""

from django import forms
from django.contrib.admin import display
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from cms.core.identifiers import mask_mobile, mask_name
from cms.core.modeladmin import HallModelAdmin, ScopedInspectView
from forms.builder.admin_views import is_back_office
from forms.models import (
    Application,
    Objection,
    ObjectionStatus,
    PublicityBatch,
)
from forms.publicity import batches as publicity

EXPORT_TALENTS = "applications.export_talentprofile"
REVEAL = "applications.reveal_personal_data"


# --- publicity batches ---


class ApplicationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, application: Application) -> str:
        return (
            f"{application.receipt_number} · {mask_name(application.subject_name)} · "
            f"{application.form.title}"
        )


class PublicityBatchForm(WagtailAdminModelForm):
    applications = ApplicationsField(
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Applications"),
        help_text=gettext_lazy(
            "Approved applications waiting at their publicity step and in no batch."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        eligible = publicity.eligible_applications()
        if self.instance.pk:
            eligible = eligible | Application.objects.filter(
                publicity_entries__batch=self.instance
            ).select_related("form")
        self.fields["applications"].queryset = eligible.distinct()

    def clean(self):
        cleaned = super().clean()
        if self.instance.published_at:
            raise forms.ValidationError(_("A published batch cannot be changed."))
        if not cleaned.get("working_days") and cleaned.get("applications"):
            cleaned["working_days"] = publicity.step_days(cleaned["applications"])
        return cleaned


class BatchPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return is_back_office(user) and super().user_can_list(user)

    def user_can_edit_obj(self, user, obj) -> bool:
        return not obj.published_at and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj) -> bool:
        return not obj.published_at and super().user_can_delete_obj(user, obj)

    def user_can_publish_obj(self, user, obj) -> bool:
        return (
            is_back_office(user)
            and not obj.published_at
            and user.has_perm("applications.change_publicitybatch")
        )


class BatchButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, *args, **kwargs):
        buttons = super().get_buttons_for_obj(obj, *args, **kwargs)
        if self.permission_helper.user_can_publish_obj(self.request.user, obj):
            buttons.append(
                {
                    "url": reverse("publicity_admin:publish", args=[obj.pk]),
                    "label": _("Publish"),
                    "classname": "button button-small",
                    "title": _("Publish this batch"),
                }
            )
        if obj.is_live:
            buttons.append(
                {
                    "url": reverse("publicity:detail", args=[obj.pk]),
                    "label": _("Public page"),
                    "classname": "button button-small button-secondary",
                    "title": _("Open the public page"),
                }
            )
        return buttons


class BatchInspectView(ScopedInspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.instance
        context.update(
            {
                "batch": batch,
                "entries": batch.entries.select_related("application").order_by(
                    "number", "application__receipt_number"
                ),
                "objections": batch.objections.select_related("application"),
                "objection_url": lambda pk: reverse(
                    "publicity_admin:handle_objection", args=[pk]
                ),
            }
        )
        return context


class PublicityBatchAdmin(HallModelAdmin):
    model = PublicityBatch
    menu_label = gettext_lazy("Publicity batches")
    menu_icon = "list-ul"
    permission_helper_class = BatchPermissionHelper
    button_helper_class = BatchButtonHelper
    inspect_view_enabled = True
    inspect_view_class = BatchInspectView
    inspect_template_name = "forms/publicity/admin_batch_inspect.html"
    list_display = ("title", "starts_on", "ends_on", "entry_count", "state")
    list_filter = ("starts_on",)
    search_fields = ("title",)
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("intro"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("working_days")]),
            FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_address")]),
            FieldPanel("applications"),
        ],
        base_form_class=PublicityBatchForm,
    )

    @display(description=gettext_lazy("Applications"))
    def entry_count(self, batch):
        return batch.entries.count()

    @display(description=gettext_lazy("State"))
    def state(self, batch):
        return batch.state_label


# --- objections ---


class ObjectionPermissionHelper(PermissionHelper):
    def user_can_list(self, user) -> bool:
        return is_back_office(user) and super().user_can_list(user)

    def user_can_create(self, user) -> bool:
        return False  # objections come from the public page

    def user_can_edit_obj(self, user, obj) -> bool:
        return False  # handled through the decision view, never edited

    def user_can_delete_obj(self, user, obj) -> bool:
        return False

    def user_can_handle_obj(self, user, obj) -> bool:
        return (
            is_back_office(user)
            and obj.status == ObjectionStatus.OPEN
            and user.has_perm("applications.change_objection")
        )


class ObjectionButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, *args, **kwargs):
        buttons = super().get_buttons_for_obj(obj, *args, **kwargs)
        if self.permission_helper.user_can_handle_obj(self.request.user, obj):
            buttons.append(
                {
                    "url": reverse("publicity_admin:handle_objection", args=[obj.pk]),
                    "label": _("Decide"),
                    "classname": "button button-small",
                    "title": _("Uphold or dismiss this objection"),
                }
            )
        return buttons


class ObjectionAdmin(HallModelAdmin):
    model = Objection
    menu_label = gettext_lazy("Objections")
    menu_icon = "warning"
    permission_helper_class = ObjectionPermissionHelper
    button_helper_class = ObjectionButtonHelper
    inspect_view_enabled = True
    inspect_view_fields = (
        "batch",
        "application",
        "name",
        "relation",
        "content",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
        "resolution",
    )
    list_display = (
        "application",
        "subject",
        "name",
        "masked_phone",
        "created_at",
        "status",
    )
    list_filter = ("status", "batch")
    list_select_related = ("application",)

    @display(description=gettext_lazy("Person objected to"))
    def subject(self, objection):
        return mask_name(objection.application.subject_name)

    @display(description=gettext_lazy("Mobile number"))
    def masked_phone(self, objection):
        return mask_mobile(objection.phone)


class PublicityGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Publicity")
    menu_icon = "list-ul"
    menu_order = 270
    items = (PublicityBatchAdmin, ObjectionAdmin)


modeladmin_register(PublicityGroup)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("dismiss", gettext_lazy("Dismiss: the approval stands")),
            ("uphold", gettext_lazy("Uphold: the application is not approved")),
        ],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=gettext_lazy("Resolution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy("What was checked and found. Kept in the case."),
    )


@never_cache
@login_required
def publish_batch(request, batch_id: int):
    batch = get_object_or_404(PublicityBatch, pk=batch_id)
    if not BatchPermissionHelper(PublicityBatch).user_can_publish_obj(
        request.user, batch
    ):
        raise PermissionDenied
    index_url = reverse("applications_publicitybatch_modeladmin_index")
    if request.method == "POST":
        try:
            publicity.publish(batch, request.user)
        except publicity.PublicityError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Published: %(title)s") % {"title": batch.title}
            )
        return HttpResponseRedirect(index_url)
    return TemplateResponse(
        request,
        "forms/publicity/admin_publish.html",
        {"batch": batch, "entries": batch.entries.count(), "index_url": index_url},
    )


@never_cache
@login_required
def handle_objection(request, objection_id: int):
    objection = get_object_or_404(
        Objection.objects.select_related("application", "batch"), pk=objection_id
    )
    if not ObjectionPermissionHelper(Objection).user_can_handle_obj(
        request.user, objection
    ):
        raise PermissionDenied
    index_url = reverse("applications_objection_modeladmin_index")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = (
            publicity.uphold
            if form.cleaned_data["decision"] == "uphold"
            else publicity.dismiss
        )
        try:
            action(
                objection,
                request.user,
                form.cleaned_data["resolution"],
                request=request,
            )
        except publicity.PublicityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The objection was decided."))
        return HttpResponseRedirect(index_url)
    return TemplateResponse(
        request,
        "forms/publicity/admin_objection.html",
        {
            "objection": objection,
            "masked_subject": mask_name(objection.application.subject_name),
            "form": form,
            "index_url": index_url,
        },
    )


@hooks.register("register_admin_urls")
def register_publicity_admin_urls():
    publicity_urls = [
        path("<int:batch_id>/publish/", publish_batch, name="publish"),
        path(
            "objections/<int:objection_id>/decide/",
            handle_objection,
            name="handle_objection",
        ),
    ]
    return [
        path("publicity-admin/", include((publicity_urls, "publicity_admin"))),
    ]
