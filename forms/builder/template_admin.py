"""In the admin: creating an application form starts from a choice of a blank
form, a built-in template or a copy of an existing form."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from forms.builder import form_templates
from forms.builder.admin_views import can_build_forms
from forms.builder.form_files import FormFileError
from forms.models import ApplicationFormPage


def _parent_for(request, parent_id: int) -> Page:
    parent = get_object_or_404(Page, pk=parent_id).specific
    if not (
        can_build_forms(request.user)
        and ApplicationFormPage.can_create_at(parent)
        and parent.permissions_for_user(request.user).can_add_subpage()
    ):
        raise PermissionDenied
    return parent


def _blank_url(parent: Page) -> str:
    url = reverse(
        "wagtailadmin_pages:add",
        args=["applications", "applicationformpage", parent.pk],
    )
    return f"{url}?blank=1"


@never_cache
@login_required
def start_form(request, parent_id: int):
    parent = _parent_for(request, parent_id)
    if request.method == "POST":
        choice = request.POST.get("start", "")
        if choice == "copy":  # the form chosen in the list
            choice = request.POST.get("copy_source", "")
        kind, _sep, value = choice.partition(":")
        try:
            if kind == "template":
                page = form_templates.from_template(value, parent, request.user)
            elif kind == "copy" and value.isdigit():
                source = get_object_or_404(ApplicationFormPage, pk=int(value))
                page = form_templates.copy_form(source, parent, request.user)
            else:
                return redirect(_blank_url(parent))
        except FormFileError as error:
            messages.error(
                request,
                _("The form could not be created: %(reasons)s")
                % {"reasons": "; ".join(error.errors)},
            )
            return redirect("applications_admin_start:start", parent_id=parent.pk)
        messages.success(
            request,
            _(
                "'%(title)s' was created as a draft: check its fields and review "
                "steps, then publish it."
            )
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "forms/admin/start_form.html",
        {
            "parent": parent,
            "blank_url": _blank_url(parent),
            "templates": form_templates.template_summaries(),
            "forms": ApplicationFormPage.objects.order_by("title").only("title"),
        },
    )


@hooks.register("register_admin_urls")
def register_start_urls():
    urls = [path("start/<int:parent_id>/", start_form, name="start")]
    return [path("application-forms/", include((urls, "applications_admin_start")))]


@hooks.register("before_create_page")
def offer_templates(request, parent_page, page_class):
    """The page editor's "add application form" first offers the choices."""
    if (
        issubclass(page_class, ApplicationFormPage)
        and request.method == "GET"
        and not request.GET.get("blank")
        and can_build_forms(request.user)
    ):
        return redirect("applications_admin_start:start", parent_id=parent_page.pk)
    return None
