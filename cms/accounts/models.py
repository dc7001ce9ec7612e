"""People and the organisations they act for."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.core import crypto
from cms.core.documents import ID_KINDS, mask_document, normalize_identity
from cms.core.identifiers import (
    mask_email,
    mask_mobile,
    normalize_code,
    normalize_phone,
    validate_phone,
    validate_uscc,
)


class Employer(models.Model):
    """An employer organisation (用人单位), identified by its unified social credit code."""

    name = models.CharField(_("name"), max_length=120)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as printed on the business licence."),
    )
    district = models.ForeignKey(
        "departments.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employers",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = normalize_code(self.uscc)
        super().save(*args, **kwargs)


class User(AbstractUser):
    """Everyone who signs in: talents, employer contacts and staff.

    Talents and employer contacts sign in with their mobile number or e-mail; staff
    belong to a department or a district, which scopes what they may do.
    """

    class Kind(models.TextChoices):
        TALENT = "talent", _("Talent")
        EMPLOYER = "employer", _("Employer contact")
        STAFF = "staff", _("Staff")

    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    # E.164 (+8613800138000, +85261234567): one spelling per number, any country.
    mobile = models.CharField(
        _("mobile number"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_phone],
    )
    mobile_verified = models.BooleanField(
        _("mobile number verified"),
        default=True,
        help_text=_(
            "Off when the account was opened with an e-mail code and no SMS code "
            "has reached this number yet."
        ),
    )
    email_verified_at = models.DateTimeField(
        _("e-mail address verified at"), null=True, blank=True
    )
    # The identity document, sealed like an application's ID answers (G2): the
    # kind and a mask to show, the number encrypted, a blind index to find it.
    id_kind = models.CharField(
        _("identity document"), max_length=20, choices=ID_KINDS, blank=True
    )
    id_masked = models.CharField(
        _("identity document number (masked)"), max_length=30, blank=True
    )
    id_cipher = models.TextField(blank=True, editable=False)
    id_digest = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.TALENT
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text=_(
            "For employer contacts: the organisation they act for. For talents: where they work."
        ),
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("For staff of a department."),
    )
    district = models.ForeignKey(
        "departments.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_(
            "For district staff: their district. For talents: where they live or work."
        ),
    )
    password_changed_at = models.DateTimeField(
        _("password changed at"), null=True, blank=True
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_unique_email",
                violation_error_message=_(
                    "An account with this e-mail address already exists."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.get_username()

    def get_full_name(self) -> str:
        return self.real_name or super().get_full_name()

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        if self.mobile == "":
            self.mobile = None
        elif self.mobile:
            # Whatever spelling the caller used (13800138000, +86 138...), the
            # stored one is E.164; an invalid number is left for validation.
            try:
                self.mobile = normalize_phone(self.mobile)
            except ValidationError:
                pass
        self.email = (self.email or "").strip().lower()
        if self.password and self.password_changed_at is None:
            # UserManager.create_user() hashes without set_password(); without this a
            # brand-new staff account would count as having an expired password.
            self.password_changed_at = timezone.now()
        super().save(*args, **kwargs)

    def set_identity(self, kind: str, number: str) -> None:
        """Records the identity document (checked by its kind's rule; a
        ValidationError otherwise). Not saved."""
        number = normalize_identity(kind, number)
        self.id_kind = kind
        self.id_masked = mask_document(number)
        self.id_cipher = crypto.encrypt(number)
        self.id_digest = crypto.blind_index(number)

    @property
    def identity_number(self) -> str:
        return crypto.decrypt(self.id_cipher) if self.id_cipher else ""

    @property
    def is_hall_staff(self) -> bool:
        return self.kind == self.Kind.STAFF


class VerificationCode(models.Model):
    """A one-time code sent by SMS to prove a mobile number, or by e-mail to
    prove an address (docs/security.md B2).

    Only an HMAC of the code is stored, so a database dump does not hand out
    working codes. Each code serves one purpose, expires, allows a few wrong
    tries and can be used once: `cms.accounts.verification` enforces all of it.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        RESET_PASSWORD = "reset_password", _("Password reset")
        REGISTER_BY_EMAIL = "register_email", _("Registration by e-mail")

    # A mobile number in E.164, or a lower-case e-mail address.
    target = models.CharField(
        _("mobile number or e-mail address"), max_length=254, db_index=True
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    failed_attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")

    def __str__(self) -> str:
        target = self.target
        if "@" in target:
            return f"{self.get_purpose_display()} {mask_email(target)}"
        return f"{self.get_purpose_display()} {mask_mobile(target)}"
