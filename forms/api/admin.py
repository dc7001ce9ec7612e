"""Administrators list and end a user's app sign-ins (a lost phone, a left
job), from the user listing of the admin."""

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets import Button

from cms.accounts.models import User
from forms.api import tokens

logger = logging.getLogger("harbor.security")


def can_revoke(user) -> bool:
    return user.is_superuser


@require_http_methods(["GET", "POST"])
def app_sign_ins(request, pk: int):
    if not can_revoke(request.user):
        raise PermissionDenied
    target = get_object_or_404(User, pk=pk)
    records = tokens.AppSignIn.objects.filter(user=target)
    if request.method == "POST":
        ended = tokens.revoke(records, by=request.user)
        logger.info(
            "App sign-ins revoked: user %s by %s (%d)",
            target.pk,
            request.user.pk,
            ended,
        )
        messages.success(
            request,
            _("%(count)s app sign-ins of %(name)s were ended.")
            % {"count": ended, "name": target.get_username()},
        )
        return redirect(reverse("api_app_sign_ins", args=[target.pk]))
    return TemplateResponse(
        request,
        "forms/api/app_sign_ins.html",
        {"target": target, "records": records[:100]},
    )


@hooks.register("register_admin_urls")
def register_app_sign_in_urls():
    return [path("users/<int:pk>/app-sign-ins/", app_sign_ins, name="api_app_sign_ins")]


@hooks.register("register_user_listing_buttons")
def app_sign_ins_button(user, request_user):
    if can_revoke(request_user):
        yield Button(
            gettext_lazy("App sign-ins"),
            reverse("api_app_sign_ins", args=[user.pk]),
            priority=95,
        )
