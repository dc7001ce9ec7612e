"""Application forms, their versions, and the applications filled against them."""

import hashlib
import json
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField

from cms.core import crypto
from cms.core.models import BasePage
from forms.applying.storage import private_storage
from forms.builder import preview
from forms.builder.blocks import FormStreamBlock, form_blocks
from forms.builder.definition import (
    DefinitionError,
    definition_from_stream,
    validate_definition,
)
from forms.builder.keys import fill_missing_keys, keys_of
from forms.builder.page_form import ApplicationFormPageForm, default_slug


class ApplicantKinds(models.TextChoices):
    TALENT = "talent", _("Talents")
    EMPLOYER = "employer", _("Employers")
    BOTH = "both", _("Talents and employers")


class ApplicationFormPage(RoutablePageMixin, BasePage):
    """An online application form that an administrator builds from blocks."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )
    form_fields = StreamField(
        FormStreamBlock(form_blocks()),
        verbose_name=_("form"),
        block_counts={"consent": {"max_num": 1}},
        help_text=_(
            "Fields in order. A 'New step' block starts the next step; a section's "
            "condition hides everything up to the next section or step."
        ),
    )
    applicant_kinds = models.CharField(
        _("who may apply"),
        max_length=10,
        choices=ApplicantKinds.choices,
        default=ApplicantKinds.TALENT,
        help_text=_("An employer contact applies for a talent of their organisation."),
    )
    is_open = models.BooleanField(_("accepting applications"), default=True)
    receipt_prefix = models.CharField(
        _("receipt number prefix"),
        max_length=10,
        blank=True,
        help_text=_("Leave empty for the hall's prefix, e.g. QZRC."),
    )
    confirmation_text = models.TextField(
        _("what happens next"),
        blank=True,
        help_text=_(
            "Shown with the receipt number after submitting. Do not repeat time "
            "limits here: the receipt states them from the review steps."
        ),
    )
    review_none = models.BooleanField(
        _("No review (即办件)"),
        default=False,
        help_text=_(
            "Applications are complete as soon as they are submitted, with no "
            "review steps. A form needs review steps or this choice to be published."
        ),
    )

    # The title does not write the slug: a new form's slug is readable pinyin
    # (forms/builder/page_form.py), which the browser cannot make.
    content_panels = [
        TitleFieldPanel("title", targets=[]),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("applicant_kinds"), FieldPanel("is_open")]),
                FieldPanel("receipt_prefix"),
                FieldPanel("confirmation_text"),
            ],
            heading=_("Applying"),
        ),
        FieldPanel("form_fields"),
    ]
    review_panels = [
        FieldPanel("review_none"),
        InlinePanel(
            "review_steps",
            heading=_("Review steps"),
            label=_("Step"),
            help_text=_(
                "In order, each with its time limit in working days: their total "
                "(publicity aside) is the time the guide and the receipt promise."
            ),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Form")),
            ObjectList(review_panels, heading=_("Review")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(BasePage.settings_panels, heading=_("Settings")),
        ]
    )
    parent_page_types = [
        "services.ServiceGuidePage",
        "departments.DepartmentPage",
        "departments.DistrictPage",
    ]
    subpage_types: list[str] = []
    template = "forms/form_page.html"
    base_form_class = ApplicationFormPageForm

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")

    # --- definition and versions ---

    @property
    def definition(self) -> list[dict]:
        return definition_from_stream(self.form_fields)

    def full_clean(self, *args, **kwargs):
        # Before Wagtail makes a slug from the title (in Chinese, percent-encoded
        # in addresses): once the parent is known, a readable one.
        parent = getattr(self, "_cached_parent_obj", None) or (
            self.get_parent() if self.path else None
        )
        slug: str = getattr(self, "slug", "")  # Page's field (mypy cannot see it here)
        if not slug and parent is not None:
            self.slug = default_slug(parent, self.title, self.pk)
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        latest = self.latest_version() if self.pk else None
        fill_missing_keys(
            self.form_fields, keep=keys_of(latest.definition if latest else [])
        )
        if getattr(self, "blocks_checked_by_editor", False):
            return
        # Code that saves pages directly (imports, scripts) gets the editor's
        # checks here; the editor's StreamField has made them block by block.
        stream_block = self._meta.get_field("form_fields").stream_block
        try:
            stream_block.clean(self.form_fields)
        except ValidationError as error:
            raise ValidationError({"form_fields": error}) from error
        try:
            validate_definition(self.definition)
        except DefinitionError as error:
            raise ValidationError({"form_fields": error.errors}) from error

    def latest_version(self):
        return self.versions.order_by("-number").first()

    def ensure_version(self, user=None) -> "FormVersion":
        """The version matching the live definition, created if it changed."""
        definition = self.definition
        digest = FormVersion.digest_of(definition)
        latest = self.latest_version()
        if latest and latest.digest == digest:
            return latest
        with transaction.atomic():
            number = (latest.number if latest else 0) + 1
            try:
                with transaction.atomic():
                    return FormVersion.objects.create(
                        form=self,
                        number=number,
                        definition=definition,
                        digest=digest,
                        created_by=user if user and user.is_authenticated else None,
                    )
            except IntegrityError:
                # Another request created it at the same moment.
                return self.latest_version()

    # --- the applicant's side ---

    @cached_property
    def guide(self):
        from cms.services.models import ServiceGuidePage

        parent = self.get_parent().specific
        return parent if isinstance(parent, ServiceGuidePage) else None

    def accepts(self, user) -> bool:
        """May this signed-in user start an application here?"""
        if not user.is_authenticated or user.is_hall_staff:
            return False
        if self.applicant_kinds == ApplicantKinds.BOTH:
            return True
        return user.kind == self.applicant_kinds

    @property
    def preview_modes(self):
        return preview.MODES

    def serve_preview(self, request, mode_name):
        # A form not saved yet has no landing page to show (its drafts, its
        # checklist URL): it is previewed as an applicant sees its steps.
        if mode_name == preview.APPLICANT or self.pk is None:
            return preview.as_applicant(request, self)
        return super().serve_preview(request, mode_name)

    @path("")
    def index(self, request):
        from forms.applying.views import form_landing

        return form_landing(request, self)

    @path("checklist/", name="checklist")
    def checklist(self, request):
        from forms.applying.views import form_checklist

        return form_checklist(request, self)

    @path("start/", name="start")
    def start(self, request):
        from forms.applying.views import start_application

        return start_application(request, self)


class FormVersion(models.Model):
    """A published definition, frozen: applications point at the one they used."""

    form = models.ForeignKey(
        ApplicationFormPage,
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "number"], name="applications_version_unique"
            )
        ]
        permissions = [("build_forms", _("Can build application forms"))]

    def __str__(self) -> str:
        return f"{self.form.title} v{self.number}"

    @staticmethod
    def digest_of(definition: list[dict]) -> str:
        text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # In the review steps; Application.step_index says which.
    SUBMITTED = "submitted", pgettext_lazy("casework", "In progress")
    # Returned for supplement: waits for the applicant, the clock stops.
    SUPPLEMENT = "supplement", _("Awaiting supplement")
    PUBLICITY = "publicity", _("In publicity")
    COMPLETED = "completed", pgettext_lazy("casework", "Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SUPPLEMENT)


class Application(models.Model):
    """One application: a draft until submitted, then a case with a receipt number.

    While a draft, ``draft_data`` holds what the applicant typed, encrypted as a
    whole (it may contain ID numbers). Submitting validates it against the version
    and writes the canonical ``answers``, where ID numbers stay encrypted one by one.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(
        ApplicationFormPage,
        verbose_name=_("form"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    version = models.ForeignKey(
        FormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    employer = models.ForeignKey(
        "accounts.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    talent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("talent applied for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications_on_behalf",
        help_text=_("The registered talent an employer contact applied for."),
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    receipt_number = models.CharField(
        _("receipt number"), max_length=40, unique=True, null=True, blank=True
    )
    start_token = models.UUIDField(unique=True, editable=False)
    subject_name = models.CharField(_("name"), max_length=100, blank=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True)
    draft_data = models.TextField(blank=True, editable=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # The language the applicant started in; answers are the same whatever it is.
    language = models.CharField(
        _("applicant's language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        editable=False,
    )
    furthest_step = models.PositiveSmallIntegerField(default=0, editable=False)
    # The page of the draft the applicant had in front of them last: a step's
    # number, or RESUME_AT_REVIEW; "Continue" opens it again.
    resume_step = models.PositiveSmallIntegerField(default=1, editable=False)
    # Casework: the review steps frozen at submission, where the case stands in
    # them, and its clock (docs/security.md R3: lock_version guards every transition).
    workflow = models.JSONField(_("review steps"), default=list, blank=True)
    step_index = models.PositiveSmallIntegerField(_("current step"), default=0)
    step_started_on = models.DateField(_("step started"), null=True, blank=True)
    step_due = models.DateField(_("step due"), null=True, blank=True, db_index=True)
    clock_paused_on = models.DateField(_("clock stopped on"), null=True, blank=True)
    district = models.ForeignKey(
        "departments.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    # Who decides the current step, written by forms.casework.actions whenever
    # the case moves (the rule: forms.casework.workflow.step_handler), so the
    # staff queues are one indexed filter however long the workflow is. Empty
    # unless the case is at a step (submitted or awaiting supplement).
    step_kind = models.CharField(
        _("current step kind"), max_length=20, blank=True, editable=False
    )
    # No foreign key: the id is the one frozen in the workflow, and a deleted
    # group must leave the step closed to everyone but superusers, as before.
    step_group_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    step_district = models.ForeignKey(
        "departments.District",
        verbose_name=_("pre-review district"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Department handling: the departments still to answer at this step.
    step_departments = models.ManyToManyField(
        "departments.Department",
        verbose_name=_("departments holding the case"),
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["form", "status", "-submitted_at"]),
            # The staff list's order (Meta.ordering, then the pk modeladmin
            # adds): a page of it is read from the index, not sorted from
            # every visible row.
            models.Index(
                fields=["-submitted_at", "-created_at", "-id"],
                name="applications_queue_order",
            ),
            # "My work" and the stage filters (step_district and the
            # departments' table have their own indexes).
            models.Index(
                fields=["status", "step_kind", "step_group_id"],
                name="applications_step_handler",
            ),
        ]
        permissions = [
            ("export_application", _("Can export applications")),
            ("reveal_personal_data", _("Can reveal personal data")),
        ]

    def __str__(self) -> str:
        return self.receipt_number or str(_("Draft"))

    RESUME_AT_REVIEW = 0

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    def resume_url(self) -> str:
        """Where "Continue" reopens this draft: where the applicant stopped."""
        if self.resume_step == self.RESUME_AT_REVIEW:
            return reverse("applications:review", args=[self.uuid])
        return reverse("applications:step", args=[self.uuid, self.resume_step])

    def get_draft_data(self) -> dict[str, list[str]]:
        return crypto.decrypt(self.draft_data) if self.draft_data else {}

    def set_draft_data(self, data: dict[str, list[str]]) -> None:
        self.draft_data = crypto.encrypt(data)

    def is_visible_to(self, user) -> bool:
        """Applicant-side ownership; staff rights are checked by the caller."""
        return user.is_authenticated and user.pk in (self.applicant_id, self.talent_id)


def application_file_path(instance: "ApplicationFile", filename: str) -> str:
    # A random name: the original stays in the database only (F1, F5).
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"applications/{instance.application.uuid}/{uuid.uuid4().hex}{suffix}"


class ApplicationFile(models.Model):
    """An uploaded material, kept in private storage."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    field_key = models.CharField(_("field"), max_length=40)
    file = models.FileField(
        storage=private_storage, upload_to=application_file_path, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ReceiptCounter(models.Model):
    """The last receipt number given per prefix and year."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="applications_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"

    @classmethod
    def next_number(cls, prefix: str, year: int) -> str:
        """The next receipt number; call inside the submitting transaction."""
        try:
            with transaction.atomic():
                cls.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # created by a concurrent submit
        counter = cls.objects.select_for_update().get(prefix=prefix, year=year)
        counter.last = models.F("last") + 1
        counter.save(update_fields=["last"])
        counter.refresh_from_db(fields=["last"])
        return f"{prefix}-{year}-{counter.last:06d}"
