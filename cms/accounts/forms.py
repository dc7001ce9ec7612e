"""Forms for signing in, registering and recovering an account.

Registration and the mobile password reset are single forms with two submit
buttons (send the code / finish), so they work without JavaScript: sending a
code validates only the mobile number and gives the rest back as typed.
"""

import re

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from cms.core.identifiers import normalize_code, normalize_mobile, validate_uscc

from .backends import forget_failed_logins_from
from .models import Employer, User, VerificationCode
from .verification import CODE_DIGITS, consume_code

CODE_PATTERN = re.compile(rf"^\d{{{CODE_DIGITS}}}$")
WRONG_CODE = _(
    "This verification code is wrong, used or expired. Check the SMS or request a new code."
)
MOBILE_TAKEN = _(
    "An account with this mobile number already exists. Sign in, or reset "
    "your password if you forgot it."
)


def mobile_field() -> forms.CharField:
    return forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "maxlength": 20}
        ),
        help_text=_("A mainland mobile number of 11 digits."),
    )


def code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Verification code"),
        max_length=CODE_DIGITS,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        help_text=_("The 6-digit code we send to your mobile number by SMS."),
    )


def new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    first = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    second = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    return first, second


class LoginForm(AuthenticationForm):
    """Django's login form, labelled for the three ways people identify themselves."""

    username = forms.CharField(
        label=_("Mobile number, e-mail or user name"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The account or the password is wrong. Both may be case-sensitive."
        ),
    }


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form, whose check of the current password is a sign-in attempt:
    django-axes counts a wrong one as a failed login for the account, so an
    unattended session cannot guess the password more often than the login
    page allows (docs/security.md B2)."""

    def __init__(self, user: User, *args, request: HttpRequest, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        # Through authenticate(), so that django-axes refuses a locked account
        # and counts the failure under the key the login page uses.
        proved = authenticate(
            self.request, username=self.user.get_username(), password=old_password
        )
        if proved is None or proved.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        forget_failed_logins_from(self.request, self.user)
        return old_password


class CodeRequestMixin:
    """Shared by forms whose mobile number gets a code before they are finished.

    `sending_code` is True when the visitor pressed "send code": then only the
    mobile number must be valid and nothing else is checked.
    """

    code_purpose: str

    def __init__(self, *args, sending_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sending_code = sending_code
        # Built per form, so the rules are listed in the visitor's language.
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def full_clean(self) -> None:
        super().full_clean()
        if self.sending_code and self._errors:
            # Only the number matters for sending; the rest is checked on finishing.
            for name in list(self._errors):
                if name != "mobile":
                    del self._errors[name]

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def check_code(self) -> None:
        """Uses up the code, but only once everything else is valid, so that a
        typo elsewhere does not cost the visitor their code."""
        if self.sending_code or self.errors:
            return
        code = (self.cleaned_data.get("code") or "").strip()
        if not CODE_PATTERN.match(code):
            self.add_error(
                "code",
                ValidationError(
                    _("Enter the %(digits)d-digit code from the SMS."),
                    code="code_format",
                    params={"digits": CODE_DIGITS},
                ),
            )
        elif not consume_code(self.cleaned_data["mobile"], self.code_purpose, code):
            self.add_error("code", ValidationError(WRONG_CODE, code="code_wrong"))

    def check_new_password(self, user: User) -> None:
        if self.sending_code:
            return
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2",
                ValidationError(
                    _("The two passwords are not the same."), code="password_mismatch"
                ),
            )
        elif first:
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)


class RegistrationForm(CodeRequestMixin, forms.Form):
    """A talent or an employer contact opens an account with a verified mobile number."""

    code_purpose = VerificationCode.Purpose.REGISTER

    kind = forms.ChoiceField(
        label=_("I am registering as"),
        choices=[
            (User.Kind.TALENT, _("A talent (an individual)")),
            (User.Kind.EMPLOYER, _("The contact person of an employer")),
        ],
        initial=User.Kind.TALENT,
        widget=forms.RadioSelect,
    )
    organisation_name = forms.CharField(
        label=_("Organisation name"),
        max_length=120,
        required=False,
        help_text=_("Employer contacts only: the name on the business licence."),
    )
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_(
            "Employer contacts only: the 18 characters on the business licence."
        ),
    )
    real_name = forms.CharField(
        label=_("Real name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = mobile_field()
    code = code_field()
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Optional. Lets you sign in and reset your password by e-mail."),
    )
    password1, password2 = new_password_fields()

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("An account with this e-mail address already exists."),
                code="email_taken",
            )
        return email

    def clean_uscc(self) -> str:
        return normalize_code(self.cleaned_data.get("uscc", ""))

    def clean(self):
        cleaned = super().clean()
        if self.sending_code:
            return cleaned
        if cleaned.get("kind") == User.Kind.EMPLOYER:
            self._clean_organisation(cleaned)
        self.check_new_password(self._unsaved_user())
        self.check_code()
        # Said only to whoever holds a code for the number: a code never goes to
        # a registered number, so this answers only a registration that
        # happened after the code was sent.
        if not self.errors and mobile_registered(cleaned["mobile"]):
            self.add_error("mobile", ValidationError(MOBILE_TAKEN, code="mobile_taken"))
        return cleaned

    def _clean_organisation(self, cleaned: dict) -> None:
        if not cleaned.get("organisation_name", "").strip():
            self.add_error(
                "organisation_name",
                ValidationError(
                    _("Employer contacts must give the organisation's name."),
                    code="required",
                ),
            )
        uscc = cleaned.get("uscc", "")
        if not uscc:
            self.add_error(
                "uscc",
                ValidationError(
                    _("Employer contacts must give the unified social credit code."),
                    code="required",
                ),
            )
            return
        try:
            validate_uscc(uscc)
        except ValidationError as error:
            self.add_error("uscc", error)
            return
        if Employer.objects.filter(uscc=uscc).exists():
            # Never attach a stranger to an existing organisation's account.
            self.add_error(
                "uscc",
                ValidationError(
                    _(
                        "This organisation is already registered. Ask its contact "
                        "person, or the service hall, to add you to it."
                    ),
                    code="uscc_registered",
                ),
            )

    def _unsaved_user(self) -> User:
        """The user to be, so that password checks can compare against their details."""
        return User(
            username=self.cleaned_data.get("mobile", ""),
            real_name=self.cleaned_data.get("real_name", ""),
            mobile=self.cleaned_data.get("mobile", ""),
            email=self.cleaned_data.get("email", ""),
        )

    @transaction.atomic
    def save(self) -> User:
        data = self.cleaned_data
        user = self._unsaved_user()
        user.kind = data["kind"]
        if user.kind == User.Kind.EMPLOYER:
            user.employer = Employer.objects.create(
                name=data["organisation_name"].strip(), uscc=data["uscc"]
            )
        user.set_password(data["password1"])
        user.save()
        return user


class SetPasswordByMobileForm(CodeRequestMixin, forms.Form):
    """Forgotten password: prove the mobile number with a code, then choose a new one."""

    code_purpose = VerificationCode.Purpose.RESET_PASSWORD

    mobile = mobile_field()
    code = code_field()
    password1, password2 = new_password_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password again")
        self.user: User | None = None

    def clean(self):
        cleaned = super().clean()
        if self.sending_code or "mobile" not in cleaned:
            return cleaned
        self.user = active_user_with_mobile(cleaned["mobile"])
        self.check_new_password(self.user or User(mobile=cleaned["mobile"]))
        self.check_code()
        if self.user is None and not self.errors:
            # Unreachable in practice (codes go only to accounts), kept as a guard.
            self.add_error("code", ValidationError(WRONG_CODE, code="code_wrong"))
        return cleaned

    def save(self) -> User:
        assert self.user is not None
        self.user.set_password(self.cleaned_data["password1"])
        self.user.save()
        return self.user


def mobile_registered(mobile: str) -> bool:
    return User.objects.filter(Q(mobile=mobile) | Q(username=mobile)).exists()


def active_user_with_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile=mobile, is_active=True).first()
