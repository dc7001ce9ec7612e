"""Policy documents (政策文件) published by departments."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.core.blocks import BodyStreamBlock
from cms.core.fragments import lazy
from cms.core.links import exclude_private, page_url
from cms.core.models import BasePage, ServiceCategory
from cms.core.params import parse_int
from cms.departments.models import Department
from cms.policies.forms import PolicyPageForm
from cms.services.models import ServiceMode, handling_mode, with_live_form


class PolicyStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class PolicyIndexPage(BasePage):
    """Lists every published policy of the hall, newest first, filterable."""

    # The header and footer link here ({% fixed_page_url "policies" %}).
    fixed_page_name = "policies"

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("policy list")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        policies = (
            PolicyPage.objects.live()
            .public()
            .select_related("issuing_department", "category")
        )
        department = parse_int(request.GET.get("department", ""))
        category = request.GET.get("category", "")
        status = request.GET.get("status", "")
        if department is not None:
            policies = policies.filter(issuing_department_id=department)
        if category:
            policies = policies.filter(category__slug=category)
        if status in PolicyStatus.values:
            policies = policies.filter(status=status)
        page = Paginator(policies.order_by("-issued_on", "-pk"), 20).get_page(
            request.GET.get("page")
        )
        context.update(
            policies=page,
            departments=Department.objects.all(),
            categories=ServiceCategory.objects.all(),
            statuses=PolicyStatus.choices,
            selected={"department": department, "category": category, "status": status},
        )
        return context


class PolicyPage(BasePage):
    document_number = models.CharField(
        _("document number"),
        max_length=80,
        blank=True,
        help_text=_("文号, e.g. 泉人社〔2026〕12号"),
    )
    issuing_department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("issuing department"),
        on_delete=models.PROTECT,
        related_name="policies",
    )
    issued_on = models.DateField(_("issued on"))
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PolicyStatus.choices,
        default=PolicyStatus.IN_FORCE,
    )
    superseded_by = models.ForeignKey(
        "policies.PolicyPage",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        help_text=_("For an amended or repealed policy: the policy that replaced it."),
    )
    category = models.ForeignKey(
        "core.ServiceCategory",
        verbose_name=_("service category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    tiers = ParentalManyToManyField(
        "core.TalentTier",
        verbose_name=_("talent tiers"),
        blank=True,
        related_name="policies",
        help_text=_("The talent tiers this policy applies to; none means all."),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Two or three sentences in plain words.")
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    related_guides = ParentalManyToManyField(
        "services.ServiceGuidePage",
        verbose_name=_("related service guides"),
        blank=True,
        related_name="policies",
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("document_number"), FieldPanel("issuing_department")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("issued_on"),
                        FieldPanel("effective_from"),
                        FieldPanel("effective_until"),
                    ]
                ),
                FieldRowPanel([FieldPanel("status"), FieldPanel("superseded_by")]),
            ],
            heading=pgettext_lazy("policy attachment", "Document"),
        ),
        FieldPanel("category"),
        FieldPanel("tiers", widget=forms.CheckboxSelectMultiple),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
        FieldPanel("related_guides"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("document_number"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
        index.FilterField("issued_on"),
        index.FilterField("issuing_department"),
        index.FilterField("category"),
    ]
    api_fields = [
        APIField("document_number"),
        APIField("issuing_department_name"),
        APIField("issued_on"),
        APIField("effective_from"),
        APIField("effective_until"),
        APIField("status"),
        APIField("superseded_by"),
        APIField("category_name"),
        APIField("tier_names"),
        APIField("summary"),
        APIField("body"),
        APIField("attachment_links"),
    ]
    parent_page_types = ["departments.DepartmentPage", "departments.DistrictPage"]
    subpage_types: list[str] = []
    base_form_class = PolicyPageForm

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def clean(self) -> None:
        """A successor only makes sense for a policy that is no longer in force,
        and the chain of successors must end: the public banner follows it."""
        super().clean()
        if self.superseded_by_id is None:
            return
        if self.status == PolicyStatus.IN_FORCE:
            message = _(
                "A policy in force cannot be superseded: set its status to "
                "amended or repealed first."
            )
        elif self.pk and self.superseded_by_id == self.pk:
            message = _("A policy cannot supersede itself.")
        elif self.pk and self._successor_chain_reaches_self():
            message = _(
                "This successor is itself superseded, directly or further down, "
                "by this policy: the policies would supersede each other."
            )
        else:
            return
        raise ValidationError({"superseded_by": message})

    def _successor_chain_reaches_self(self) -> bool:
        seen: set[int] = set()
        successor_id = self.superseded_by_id
        while successor_id is not None and successor_id not in seen:
            if successor_id == self.pk:
                return True
            seen.add(successor_id)
            successor_id = (
                PolicyPage.objects.filter(pk=successor_id)
                .values_list("superseded_by_id", flat=True)
                .first()
            )
        return False

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Everything the template shows is read here, once, and as values where
        # a link is all it needs: no page loaded to build a link. Lazily, so a
        # body from the fragment cache reads none of it.
        context.update(
            related_guides=lazy(lambda: self._guide_links(request)),
            issuer=lazy(lambda: self._issuer_link(request)),
            tiers=lazy(lambda: list(self.tiers.all())),
            attachments=lazy(lambda: list(self.attachments.select_related("document"))),
            replaced=lazy(
                lambda: list(
                    self.supersedes.live().only(
                        "title", "url_path", "status", "issued_on", "document_number"
                    )
                )
            ),
            successor=lazy(self._live_successor),
        )
        return context

    def _guide_links(self, request) -> list[dict]:
        guides = exclude_private(self.related_guides.live(), request).order_by("path")
        modes = dict(ServiceMode.choices)
        return [
            {
                "title": title,
                "url": page_url(url_path, request),
                "service_mode_label": modes[handling_mode(mode, live)],
            }
            for title, url_path, mode, live in with_live_form(guides).values_list(
                "title", "url_path", "service_mode", "has_live_form"
            )
        ]

    def _issuer_link(self, request) -> dict:
        issuer = (
            Department.objects.filter(pk=self.issuing_department_id)
            .values("name", "module_page__live", "module_page__url_path")
            .first()
        ) or {}
        return {
            "name": issuer.get("name", ""),
            "url": page_url(issuer.get("module_page__url_path"), request)
            if issuer.get("module_page__live")
            else None,
        }

    def _live_successor(self):
        successor = self.superseded_by
        return successor if successor and successor.live else None

    @property
    def is_repealed(self) -> bool:
        return self.status == PolicyStatus.REPEALED

    @property
    def issuing_department_name(self) -> str:
        return self.issuing_department.name

    @property
    def category_name(self) -> str:
        return self.category.name if self.category else ""

    @property
    def tier_names(self) -> list[str]:
        return [tier.name for tier in self.tiers.all()]

    @property
    def attachment_links(self) -> list[dict[str, str]]:
        """Download links for the headless API (served through Wagtail's view)."""
        return [
            {"title": str(attachment), "url": attachment.document.url}
            for attachment in self.attachments.all()
        ]


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.title or self.document.title


@hooks.register("module_page_lists")
def module_policies(module) -> dict[str, list]:
    """A module page's latest policies, with the columns its list shows."""
    return {
        "policies": list(
            PolicyPage.objects.child_of(module)
            .live()
            .only("title", "url_path", "status", "issued_on", "document_number")
            .order_by("-issued_on")[:10]
        )
    }
