"""Public account pages: register, sign in, recover a password, "my account"."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from cms.core.identifiers import mask_email, mask_mobile, phone_key
from cms.core.sms import send_sms

from .backends import clear_failed_logins
from .forms import (
    BY_EMAIL,
    LoginForm,
    PasswordChangeForm,
    RegistrationForm,
    SetPasswordByMobileForm,
    active_user_with_mobile,
    mobile_registered,
)
from .models import User
from .templatetags.account_tags import in_minutes
from .verification import (
    SendLimitExceeded,
    check_send_limits,
    issue_code,
    issue_email_code,
)

SEND_CODE_ACTION = "send_code"
# Kept out of Django's error reports: passwords, codes and the mobile number
# they prove.
SECRET_FIELDS = ("password1", "password2", "code", "mobile")
# Named when signing in a user we just created (several backends are configured).
LOGIN_BACKEND = "cms.accounts.backends.MobileOrEmailBackend"
CODE_SENT = _(
    "A code has been sent to %(mobile)s. It is valid for %(minutes)d minutes."
)
# Texted instead of a registration code to a number that has an account: the
# page answers the same either way, and only the number's owner learns more.
ALREADY_REGISTERED_SMS = _(
    "Someone asked to register a Talent Harbor account with this number, which "
    "already has one. Sign in, or reset your password if you forgot it. If it was "
    "not you, ignore this message."
)
EMAIL_CODE_SENT = _(
    "A code has been sent to %(email)s. It is valid for %(minutes)d minutes. "
    "If it does not arrive, look in the spam folder."
)
CODE_SENT_IF_KNOWN = _(
    "If an account uses %(mobile)s, a code has been sent to it. "
    "It is valid for %(minutes)d minutes."
)


def too_many_requests() -> ValidationError:
    return ValidationError(
        _(
            "Too many codes or e-mails were requested for this number, address or "
            "network. Please wait an hour and try again."
        ),
        code="too_many_requests",
    )


def wants_code(request: HttpRequest) -> bool:
    return request.POST.get("action") == SEND_CODE_ACTION


def send_target(request: HttpRequest) -> str:
    """What a "send code" press is counted against: the number, or the address
    when the visitor asked for the code by e-mail."""
    if request.POST.get("channel") == BY_EMAIL:
        return (request.POST.get("email") or "").strip().lower()
    return phone_key(request.POST.get("mobile", ""))


def send_code_for(
    request: HttpRequest,
    form,
    template_name: str,
    only_to_accounts: bool = False,
    sent_message=CODE_SENT,
    registering: bool = False,
) -> HttpResponse:
    """Handles a "send code" press: limits, sends, and shows the form again as typed.

    The press is counted before the form is checked, so that every press counts,
    whatever the form then says (even "this number is already registered").
    `only_to_accounts` True means a number without an active account silently
    gets nothing (a password reset); the visitor is told the same thing.
    `registering` True means a number that already has an account gets a notice
    instead of a code, and the page says the same as for a new number.
    """
    try:
        check_send_limits(request, send_target(request))
    except SendLimitExceeded:
        # An unchecked copy of what was typed: past the limit, the answer must
        # say nothing about the number, not even "already registered".
        refused = type(form)(initial=request.POST.dict())
        refused.cleaned_data = {}  # add_error() expects it; unbound forms lack it
        refused.add_error(None, too_many_requests())
        return render(request, template_name, {"form": refused}, status=429)
    if not form.is_valid():
        return render(request, template_name, {"form": form})
    mobile = form.cleaned_data["mobile"]
    minutes = int(settings.VERIFICATION_CODE_TTL.total_seconds() // 60)
    if registering and form.by_email:
        # clean_email() refused an address that has an account.
        email, purpose = form.code_target()
        issue_email_code(email, purpose)
        messages.success(
            request,
            EMAIL_CODE_SENT % {"email": mask_email(email), "minutes": minutes},
        )
        return render(request, template_name, {"form": form, "code_sent": True})
    if registering and mobile_registered(mobile, proved_only=True):
        send_sms(mobile, str(ALREADY_REGISTERED_SMS))
    elif not only_to_accounts or active_user_with_mobile(mobile) is not None:
        issue_code(mobile, form.code_purpose)
    messages.success(
        request, sent_message % {"mobile": mask_mobile(mobile), "minutes": minutes}
    )
    return render(request, template_name, {"form": form, "code_sent": True})


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(*SECRET_FIELDS), name="dispatch")
class RegisterView(View):
    """A talent or an employer contact opens an account (the issue's part 3)."""

    template_name = "accounts/register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        kind = request.GET.get("kind")
        initial = (
            {"kind": kind} if kind in {User.Kind.TALENT, User.Kind.EMPLOYER} else {}
        )
        return render(
            request, self.template_name, {"form": RegistrationForm(initial=initial)}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if wants_code(request):
            form = RegistrationForm(request.POST, sending_code=True)
            return send_code_for(request, form, self.template_name, registering=True)
        form = RegistrationForm(request.POST)
        try:
            # One transaction: if saving fails, the code is not used up either.
            with transaction.atomic():
                if not form.is_valid():
                    return render(request, self.template_name, {"form": form})
                user = form.save()
        except IntegrityError:
            form.add_error(
                None,
                ValidationError(
                    _(
                        "Someone registered this mobile number, e-mail address or "
                        "organisation a moment ago. Please check your details."
                    ),
                    code="registered_meanwhile",
                ),
            )
            return render(request, self.template_name, {"form": form})
        login(request, user, backend=LOGIN_BACKEND)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("accounts:profile")


class LoginView(auth_views.LoginView):
    """Sign in with mobile number, e-mail or user name. Django's view keeps `next`
    on this site (url_has_allowed_host_and_scheme); django-axes locks repeated failures."""

    form_class = LoginForm
    template_name = "accounts/login.html"


@method_decorator(never_cache, name="dispatch")
class ProfileView(LoginRequiredMixin, TemplateView):
    """ "My account": who you are signed in as. The applicant's pages hang off it."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["masked_mobile"] = mask_mobile(user.mobile) if user.mobile else ""
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, whose wrong current passwords are failed logins
    (PasswordChangeForm). The one that locks the account also ends this
    session: it is sent to the login page, where the lock now holds."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        # Set by django-axes when this failure reached the limit, or when it
        # refused the password because the account was already locked.
        if getattr(self.request, "axes_locked_out", False):
            return self.sign_out_locked()
        return super().form_invalid(form)

    def sign_out_locked(self) -> HttpResponse:
        request = self.request
        credentials = getattr(request, "axes_credentials", None)
        failure_limit = get_failure_limit(request, credentials)
        minutes = in_minutes(get_cool_off(request))
        logout(request)
        # Answered here; AxesMiddleware would otherwise swap the redirect for
        # its lockout page.
        request.axes_locked_out = False
        # The lockout page's own words (site/templates/accounts/locked_out.html).
        messages.error(
            request,
            ngettext(
                "After %(failure_limit)s wrong passwords, signing in to this account "
                "from your network is blocked for %(minutes)s minute.",
                "After %(failure_limit)s wrong passwords, signing in to this account "
                "from your network is blocked for %(minutes)s minutes.",
                minutes,
            )
            % {"failure_limit": failure_limit, "minutes": minutes},
        )
        return redirect(settings.LOGIN_URL)


@method_decorator(sensitive_post_parameters("email"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Reset by e-mail. Known and unknown addresses get the same answer; requests
    are limited like SMS codes so the hall cannot be used to flood a mailbox."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict:
        # Links come from configuration, never from the request's Host header.
        return {"base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}

    def form_valid(self, form):
        try:
            check_send_limits(self.request, form.cleaned_data["email"].strip().lower())
        except SendLimitExceeded:
            form.add_error(None, too_many_requests())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        clear_failed_logins(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(*SECRET_FIELDS), name="dispatch")
class MobilePasswordResetView(View):
    """Reset by SMS: a code to the account's mobile number, then a new password."""

    template_name = "accounts/password_reset_mobile.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": SetPasswordByMobileForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        if wants_code(request):
            form = SetPasswordByMobileForm(request.POST, sending_code=True)
            return send_code_for(
                request,
                form,
                self.template_name,
                only_to_accounts=True,
                sent_message=CODE_SENT_IF_KNOWN,
            )
        form = SetPasswordByMobileForm(request.POST)
        with transaction.atomic():
            if not form.is_valid():
                return render(request, self.template_name, {"form": form})
            user = form.save()
        clear_failed_logins(user)
        messages.success(
            request, _("Your password has been changed. Sign in with the new password.")
        )
        return redirect("accounts:login")
