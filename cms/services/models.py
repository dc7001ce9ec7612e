"""The service-item catalogue (服务事项) and service guides (办事指南)."""

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.core.links import exclude_private
from cms.core.models import BasePage

from . import blocks as guide_blocks


class ServiceMode(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("At the window")
    BOTH = "both", _("Online or at the window")


def with_live_form(guides: QuerySet) -> QuerySet:
    """Guides annotated `has_live_form`, in the one query that lists them.

    A guide holds nothing but application forms (its subpage types), so a live
    child is a live form, found without knowing the form's page type."""
    children = Page.objects.filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1, live=True
    )
    return guides.annotate(has_live_form=Exists(children))


def handling_mode(service_mode: str, has_live_form: bool) -> str:
    """How a guide's service is applied for, as people see it.

    A live online form is an online application, whatever the mode field was set
    to before the form went live: the field alone would hide the form's button
    and call the service window-only (窗口办理)."""
    if has_live_form and service_mode == ServiceMode.OFFLINE:
        return ServiceMode.BOTH
    return service_mode


class ServiceItem(models.Model):
    """An entry of the hall's service menu, linked to its department and guide."""

    name = models.CharField(_("name"), max_length=100)
    category = models.ForeignKey(
        "core.ServiceCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    guide = models.OneToOneField(
        "services.ServiceGuidePage",
        verbose_name=_("service guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_item",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("shown on the menu"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category__sort_order", "sort_order", "name"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "department"],
                name="services_item_unique_per_department",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceGuidePage(RoutablePageMixin, BasePage):
    """A service guide: everything an applicant must know, at once (一次性告知)."""

    item_code = models.CharField(
        _("item code"), max_length=40, blank=True, help_text=_("事项编码")
    )
    eligible_applicants = models.CharField(
        _("who may apply"),
        max_length=300,
        blank=True,
        help_text=_("e.g. 在泉工作的高层次人才及其用人单位"),
    )
    summary = models.TextField(_("summary"), blank=True)
    conditions = StreamField(
        [("condition", guide_blocks.ConditionBlock())],
        verbose_name=_("conditions"),
        blank=True,
    )
    materials = StreamField(
        [("material", guide_blocks.MaterialBlock())],
        verbose_name=_("materials"),
        blank=True,
    )
    process = StreamField(
        [("step", guide_blocks.ProcessStepBlock())],
        verbose_name=_("process"),
        blank=True,
    )
    legal_basis = StreamField(
        [("basis", guide_blocks.LegalBasisBlock())],
        verbose_name=_("legal basis"),
        blank=True,
    )
    statutory_limit_days = models.PositiveSmallIntegerField(
        _("statutory time limit (working days)"), null=True, blank=True
    )
    promised_limit_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"),
        null=True,
        blank=True,
        help_text=_(
            "For a service without an online form. A guide with an online form "
            "promises the total of the form's review steps instead."
        ),
    )
    fees = models.CharField(_("fees"), max_length=200, blank=True, default="不收费")
    place = models.CharField(_("place"), max_length=200, blank=True)
    window = models.CharField(_("window"), max_length=120, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=120, blank=True)
    service_mode = models.CharField(
        _("online or offline"),
        max_length=10,
        choices=ServiceMode.choices,
        default=ServiceMode.BOTH,
    )
    online_url = models.URLField(_("online application address"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40, blank=True)
    faq = StreamField(
        [("question", guide_blocks.QuestionBlock())],
        verbose_name=_("questions and answers"),
        blank=True,
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("item_code"), FieldPanel("service_mode")]),
        FieldPanel("eligible_applicants"),
        FieldPanel("summary"),
        FieldPanel("conditions"),
        FieldPanel("materials"),
        FieldPanel("process"),
        FieldPanel("legal_basis"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("statutory_limit_days"),
                        FieldPanel("promised_limit_days"),
                    ]
                ),
                FieldPanel("fees"),
            ],
            heading=_("Time limits and fees"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("place"), FieldPanel("window")]),
                FieldPanel("office_hours"),
                FieldPanel("online_url"),
                FieldRowPanel(
                    [FieldPanel("contact_phone"), FieldPanel("complaint_phone")]
                ),
            ],
            heading=_("Where and how"),
        ),
        FieldPanel("faq"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("eligible_applicants"),
        index.SearchField("conditions"),
        index.SearchField("materials"),
        index.SearchField("faq"),
        index.FilterField("item_code"),
    ]
    api_fields = [
        APIField("item_code"),
        APIField("eligible_applicants"),
        APIField("summary"),
        APIField("conditions"),
        APIField("materials"),
        APIField("process"),
        APIField("legal_basis"),
        APIField("statutory_limit_days"),
        APIField(
            "promised_limit_days",
            serializer=serializers.IntegerField(source="promised_days", read_only=True),
        ),
        APIField("fees"),
        APIField("place"),
        APIField("window"),
        APIField("office_hours"),
        APIField("service_mode"),
        APIField("online_url"),
        APIField("contact_phone"),
        APIField("complaint_phone"),
        APIField("faq"),
    ]
    parent_page_types = ["departments.DepartmentPage", "departments.DistrictPage"]
    subpage_types = ["applications.ApplicationFormPage"]

    class Meta:
        verbose_name = _("service guide")
        verbose_name_plural = _("service guides")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["module"] = self.get_module()
        if kwargs.get("sheet"):
            return context  # the printed sheet lists no policies
        # A list, evaluated once: the template tests it and loops over it, and
        # a policy list shows no more than these columns.
        policies = exclude_private(self.policies.live(), request)
        context["related_policies"] = list(
            policies.order_by("-issued_on").only(
                "title", "url_path", "status", "issued_on", "document_number"
            )
        )
        return context

    @path("")
    def guide(self, request):
        return self.render(request)

    @path("notice/", name="notice")
    def notice(self, request):
        """The printable one-time notification sheet (一次性告知单)."""
        return self.render(request, template="services/notice_sheet.html", sheet=True)

    @cached_property
    def application_form(self):
        """The live online form under this guide, if an administrator built one.

        The app that builds forms answers through the `service_guide_form` hook
        (a function `(guide) -> page or None`): content knows no form type."""
        for hook in hooks.get_hooks("service_guide_form"):
            form = hook(self)
            if form is not None:
                return form
        return None

    @cached_property
    def time_limits(self):
        """The online form's time limits (its review steps), or None. The app
        that builds forms answers through the `service_guides_time_limits` hook
        (a function `(guides) -> {guide pk: limits}`)."""
        if not self.pk or not self.path:  # previewed before its first save
            return None
        if self.application_form is None:  # asked anyway for "Apply online"
            return None
        return guides_time_limits([self]).get(self.pk)

    @property
    def promised_days(self) -> int | None:
        """What the guide promises: its online form's review steps if it has
        one, else the figure its editor typed."""
        limits = self.time_limits
        return limits.promised if limits is not None else self.promised_limit_days

    @property
    def apply_url(self) -> str:
        """Where "Apply online" leads: our own form first, else an external address."""
        form = self.application_form
        return form.url if form else self.online_url

    @property
    def handling_mode(self) -> str:
        live = getattr(self, "has_live_form", None)
        if live is None:
            live = self.application_form is not None
        return handling_mode(self.service_mode, live)

    def get_handling_mode_display(self) -> str:
        return ServiceMode(self.handling_mode).label

    @property
    def applies_online(self) -> bool:
        """Whether the page offers "Apply online": a window-only service offers no
        external address, but our own live form is always offered."""
        return bool(self.apply_url) and self.handling_mode != ServiceMode.OFFLINE

    @property
    def required_materials(self):
        return [block.value for block in self.materials if block.value.get("required")]

    @property
    def optional_materials(self):
        return [
            block.value for block in self.materials if not block.value.get("required")
        ]


def guides_time_limits(guides) -> dict:
    limits: dict = {}
    for hook in hooks.get_hooks("service_guides_time_limits"):
        limits.update(hook(guides))
    return limits


@hooks.register("module_page_lists")
def module_guides(module) -> dict[str, list]:
    """A module page's guides: a guide's StreamFields are not loaded to link to it."""
    guides = list(
        with_live_form(
            ServiceGuidePage.objects.child_of(module)
            .live()
            .only(
                "title",
                "url_path",
                "path",
                "depth",
                "item_code",
                "service_mode",
                "promised_limit_days",
            )
        )
    )
    limits = guides_time_limits(guides)
    for guide in guides:
        guide.time_limits = limits.get(guide.pk)  # read for all at once
    return {"guides": guides}
