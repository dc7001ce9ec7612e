"""The second step of a staff sign-in: enrol a TOTP app, type its code or a
recovery code, get new recovery codes (docs/security.md B3)."""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from . import otp
from .backends import forget_failed_logins_from

LOCKED = _(
    "Too many wrong codes: signing in to this account from your network is "
    "blocked for a while. Try again later, or ask an administrator."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("second factor", "Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        return otp.normalise_code(self.cleaned_data["code"])


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/admin/"


def _staff_only(request: HttpRequest) -> None:
    if not otp.can_reach_admin(request.user):
        raise PermissionDenied


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    # Answered here; AxesMiddleware would otherwise swap in its lockout page
    # without the reason.
    request.axes_locked_out = False
    messages.error(request, LOCKED)
    return redirect(settings.LOGIN_URL)


def _ask_to_wait(form: CodeForm) -> None:
    form.add_error(
        "code",
        forms.ValidationError(
            _("Wait a few seconds after a wrong code, then type the current one."),
            code="throttled",
        ),
    )


def _refuse_wrong_code(request: HttpRequest, form: CodeForm) -> HttpResponse | None:
    """Counts the failure; a response when it locked the account."""
    if otp.count_failure(request, request.user):
        return _locked_out(request)
    form.add_error(
        "code",
        forms.ValidationError(
            _("This code is wrong or was already used. Try the current code."),
            code="code_wrong",
        ),
    )
    return None


@method_decorator(never_cache, name="dispatch")
@method_decorator(login_required, name="dispatch")
@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class VerifyView(View):
    """A code from the enrolled app, or one of the recovery codes."""

    template_name = "accounts/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        _staff_only(request)
        if not otp.has_confirmed_device(request.user):
            return redirect(otp.verification_step(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if otp.is_locked(request, user):
            return _locked_out(request)
        form = CodeForm(request.POST)
        if form.is_valid() and otp.throttled(
            list(devices_for_user(user, confirmed=True))
        ):
            _ask_to_wait(form)
        elif form.is_valid():
            device = match_token(user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                forget_failed_logins_from(request, user)
                if isinstance(device, otp.StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _(
                            "You signed in with a recovery code. %(left)d are left; "
                            "make new ones under My account when they run low."
                        )
                        % {"left": left},
                    )
                return redirect(_next_url(request))
            locked = _refuse_wrong_code(request, form)
            if locked:
                return locked
        return self._render(request, form)

    def _render(self, request, form) -> HttpResponse:
        return render(
            request, self.template_name, {"form": form, "next": _next_url(request)}
        )


@method_decorator(never_cache, name="dispatch")
@method_decorator(login_required, name="dispatch")
@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class SetupView(View):
    """Enrolment of the first device: the secret is shown as a QR code and as
    text on this page only; a correct code confirms it and the recovery codes
    are shown once."""

    template_name = "accounts/otp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        _staff_only(request)
        if otp.has_confirmed_device(request.user):
            return redirect(otp.verification_step(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        device = otp.new_totp_device(request.user)
        return self._render(request, device, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if otp.is_locked(request, user):
            return _locked_out(request)
        device = otp.TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            return redirect(request.path)
        form = CodeForm(request.POST)
        if form.is_valid() and otp.throttled([device]):
            _ask_to_wait(form)
        elif form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = otp.issue_recovery_codes(user)
                otp_login(request, device)
                forget_failed_logins_from(request, user)
                return render(
                    request,
                    "accounts/otp_recovery_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
            locked = _refuse_wrong_code(request, form)
            if locked:
                return locked
        return self._render(request, device, form)

    def _render(self, request, device, form) -> HttpResponse:
        qr = segno.make(device.config_url, error="m")
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "qr_svg": qr.svg_inline(scale=4, title=str(_("TOTP QR code"))),
                "secret": otp.base32_secret(device),
                "next": _next_url(request),
            },
        )


@method_decorator(never_cache, name="dispatch")
@method_decorator(login_required, name="dispatch")
class RecoveryCodesView(View):
    """New recovery codes for a verified staff session; the old ones stop working."""

    def post(self, request: HttpRequest) -> HttpResponse:
        _staff_only(request)
        if not request.user.is_verified():
            return redirect(otp.verification_step(request.user))
        codes = otp.issue_recovery_codes(request.user)
        return render(
            request,
            "accounts/otp_recovery_codes.html",
            {"codes": codes, "next": "/admin/"},
        )
