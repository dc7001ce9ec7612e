"""The administrator's reset of a staff member's second factor (a lost phone and
lost recovery codes): every device goes, every verified session of theirs stops
being verified, and their next sign-in enrols a new device."""

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from . import otp
from .models import User

logger = logging.getLogger("harbor.security")


def can_reset(user) -> bool:
    # Only administrators: a reset hands the account to whoever signs in next
    # with its password.
    return user.is_superuser


@require_http_methods(["GET", "POST"])
def reset_second_factor(request, pk: int):
    if not can_reset(request.user):
        raise PermissionDenied
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        removed = otp.reset_devices(target)
        logger.info(
            "Second factor reset: user %s by %s (%d devices)",
            target.pk,
            request.user.pk,
            removed,
        )
        messages.success(
            request,
            _(
                "The second factor of %(name)s was reset; they enrol again at their next sign-in."
            )
            % {"name": target.get_username()},
        )
        return redirect(reverse("wagtailusers_users:edit", args=[target.pk]))
    return TemplateResponse(
        request,
        "accounts/otp_admin_reset.html",
        {
            "target": target,
            "has_device": otp.has_confirmed_device(target),
        },
    )
