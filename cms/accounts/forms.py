"""Forms for signing in, registering and recovering an account.

Registration and the mobile password reset are single forms with two submit
buttons (send the code / finish), so they work without JavaScript: sending a
code validates only what the code goes to and gives the rest back as typed.
A registration proves either the mobile number (SMS code) or, where a text
message cannot reach the number, the e-mail address (e-mail code).
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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.debug import sensitive_variables

from cms.core.documents import ID_KINDS, normalize_identity
from cms.core.identifiers import normalize_code, normalize_phone, validate_uscc

from .backends import forget_failed_logins_from
from .models import Employer, User, VerificationCode
from .verification import CODE_DIGITS, consume_code

CODE_PATTERN = re.compile(rf"^\d{{{CODE_DIGITS}}}$")
WRONG_CODE = _(
    "This verification code is wrong, used or expired. Check the SMS or request a new code."
)
WRONG_EMAIL_CODE = _(
    "This verification code is wrong, used or expired. Check the e-mail or request "
    "a new code."
)
BY_SMS = "sms"
BY_EMAIL = "email"
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
        help_text=_(
            "A mainland number of 11 digits, or any other mobile number with its "
            "country or region code, such as +852 6123 4567."
        ),
    )


def code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Verification code"),
        max_length=CODE_DIGITS,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        help_text=_(
            "The 6-digit code we send by SMS to your mobile number, or by e-mail "
            "if you chose that."
        ),
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
    # What must be valid to send a code; the rest is checked on finishing.
    send_fields = frozenset({"mobile"})

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
                if name not in self.send_fields:
                    del self._errors[name]

    def clean_mobile(self) -> str:
        return normalize_phone(self.cleaned_data["mobile"])

    def code_target(self) -> tuple[str, str]:
        """Where the code went and for what: (target, purpose)."""
        return self.cleaned_data["mobile"], self.code_purpose

    def wrong_code_message(self):
        return WRONG_CODE

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
                    _("Enter the %(digits)d-digit code we sent you."),
                    code="code_format",
                    params={"digits": CODE_DIGITS},
                ),
            )
        elif not consume_code(*self.code_target(), code):
            self.add_error(
                "code", ValidationError(self.wrong_code_message(), code="code_wrong")
            )

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
    channel = forms.ChoiceField(
        label=_("Send my verification code"),
        choices=[
            (BY_SMS, _("By SMS to my mobile number")),
            (BY_EMAIL, _("By e-mail, if text messages cannot reach my number")),
        ],
        initial=BY_SMS,
        # Absent means SMS, as before the choice existed.
        required=False,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Needed for a code by e-mail; otherwise optional. Lets you sign in and "
            "reset your password by e-mail."
        ),
    )
    code = code_field()
    id_kind = forms.ChoiceField(
        label=_("Identity document"),
        choices=[("", pgettext_lazy("identity document", "Not now")), *ID_KINDS],
        required=False,
        help_text=_(
            "Optional; applications ask for it. Foreign talents give their passport "
            "or permanent resident card; Hong Kong, Macao and Taiwan residents their "
            "mainland travel permit, or their residence permit as a resident ID."
        ),
    )
    id_number = forms.CharField(
        label=pgettext_lazy("identity document", "Document number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    password1, password2 = new_password_fields()

    @property
    def by_email(self) -> bool:
        return self.cleaned_data.get("channel") == BY_EMAIL

    @property
    def send_fields(self) -> frozenset:
        fields = {"mobile", "channel"}
        if self.data.get(self.add_prefix("channel")) == BY_EMAIL:
            fields.add("email")
        return frozenset(fields)

    def code_target(self) -> tuple[str, str]:
        if self.by_email:
            return self.cleaned_data[
                "email"
            ], VerificationCode.Purpose.REGISTER_BY_EMAIL
        return super().code_target()

    def wrong_code_message(self):
        return WRONG_EMAIL_CODE if self.by_email else WRONG_CODE

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
        if self.by_email and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                ValidationError(
                    _("Enter your e-mail address to receive the code by e-mail."),
                    code="email_required",
                ),
            )
        if self.sending_code:
            return cleaned
        if cleaned.get("kind") == User.Kind.EMPLOYER:
            self._clean_organisation(cleaned)
        self._clean_identity(cleaned)
        self.check_new_password(self._unsaved_user())
        self.check_code()
        # Said only to whoever holds a code: an SMS code never goes to a
        # registered number, so by SMS this answers only a registration that
        # happened after the code was sent. A number only typed by someone who
        # proved an e-mail address does not stand in the way of its owner.
        if not self.errors and mobile_registered(
            cleaned["mobile"], proved_only=not self.by_email
        ):
            self.add_error("mobile", ValidationError(MOBILE_TAKEN, code="mobile_taken"))
        return cleaned

    def _clean_identity(self, cleaned: dict) -> None:
        kind, number = cleaned.get("id_kind", ""), cleaned.get("id_number", "")
        if not kind and not number:
            return
        if not kind:
            self.add_error(
                "id_kind",
                ValidationError(
                    _("Choose the kind of identity document."), code="kind"
                ),
            )
        elif not number.strip():
            self.add_error(
                "id_number",
                ValidationError(
                    _("Enter the number of the document, or choose “Not now”."),
                    code="required",
                ),
            )
        else:
            try:
                cleaned["id_number"] = normalize_identity(kind, number)
            except ValidationError as error:
                self.add_error("id_number", error)

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
        data = self.cleaned_data
        return User(
            # By e-mail the number is unproven, so it must not be the user name
            # that its owner's own registration would take.
            username=data.get("email", "") if self.by_email else data.get("mobile", ""),
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
        if data.get("id_kind"):
            user.set_identity(data["id_kind"], data["id_number"])
        if self.by_email:
            user.mobile_verified = False
            user.email_verified_at = timezone.now()
        else:
            # The owner proved the number: an account that only typed it lets go.
            User.objects.filter(mobile=user.mobile, mobile_verified=False).update(
                mobile=None
            )
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


def mobile_registered(mobile: str, proved_only: bool = False) -> bool:
    """Whether an account holds the number (E.164), or has it as its user name
    (older accounts' user names are the 11-digit form). `proved_only` leaves out
    numbers that no SMS code has reached."""
    names = {mobile}
    if mobile.startswith("+86"):
        names.add(mobile[3:])
    held = Q(mobile=mobile, mobile_verified=True) if proved_only else Q(mobile=mobile)
    return User.objects.filter(held | Q(username__in=names)).exists()


def active_user_with_mobile(mobile: str) -> User | None:
    """The account a reset code for this number may go to: a number no SMS code
    has reached is not proof of anything."""
    return User.objects.filter(
        mobile=mobile, mobile_verified=True, is_active=True
    ).first()
